// How each diagnosis category looks: icon, colour family and short label. The colour family
// groups what a developer acts on the same way (cut links vs server faults vs policy…); the
// icon and the word make the difference visible without colour.
import type { DiagnosisCategory } from '../core/diagnosis/diagnose.ts';
import type { IconName } from './components/Icon.tsx';
import type { UiKey } from './i18n.ts';

export type Tone = 'live' | 'clean' | 'cut' | 'handshake' | 'server' | 'policy' | 'nav' | 'retry' | 'app' | 'other';

export interface CategoryLook {
  icon: IconName;
  tone: Tone;
  label: UiKey;
}

export const CATEGORY_LOOK: Record<DiagnosisCategory, CategoryLook> = {
  live: { icon: 'live', tone: 'live', label: 'catLive' },
  'handshake-failed': { icon: 'blocked', tone: 'handshake', label: 'catHandshakeFailed' },
  'idle-timeout': { icon: 'cut', tone: 'cut', label: 'catIdleTimeout' },
  offline: { icon: 'cut', tone: 'cut', label: 'catOffline' },
  suspended: { icon: 'cut', tone: 'cut', label: 'catSuspended' },
  'message-too-big': { icon: 'policy', tone: 'policy', label: 'catMessageTooBig' },
  abnormal: { icon: 'cut', tone: 'cut', label: 'catAbnormal' },
  navigated: { icon: 'leave', tone: 'nav', label: 'catNavigated' },
  'server-error': { icon: 'error', tone: 'server', label: 'catServerError' },
  'closed-by-page': { icon: 'check', tone: 'clean', label: 'catClosedByPage' },
  'closed-by-server': { icon: 'check', tone: 'clean', label: 'catClosedByServer' },
  'going-away': { icon: 'leave', tone: 'retry', label: 'catGoingAway' },
  'no-status': { icon: 'unknown', tone: 'other', label: 'catNoStatus' },
  'protocol-error': { icon: 'error', tone: 'server', label: 'catProtocolError' },
  'unsupported-data': { icon: 'policy', tone: 'policy', label: 'catUnsupportedData' },
  'invalid-payload': { icon: 'policy', tone: 'policy', label: 'catInvalidPayload' },
  policy: { icon: 'policy', tone: 'policy', label: 'catPolicy' },
  'retry-later': { icon: 'retry', tone: 'retry', label: 'catRetryLater' },
  'app-code': { icon: 'app', tone: 'app', label: 'catAppCode' },
  'unknown-code': { icon: 'unknown', tone: 'other', label: 'catUnknownCode' },
  'create-failed': { icon: 'blocked', tone: 'handshake', label: 'catCreateFailed' },
};

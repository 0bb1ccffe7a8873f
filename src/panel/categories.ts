// How each diagnosis category looks: icon and colour family (its name is knowledge, shared with
// the CLI: core/knowledge/categories.ts). The colour family groups what a developer acts on the
// same way (cut links vs server faults vs policy…); the icon and the word make the difference
// visible without colour.
import { CATEGORY_LABEL, type DiagnosisCategory } from '../core/knowledge/categories.ts';
import { localize } from '../core/knowledge/i18n/text.ts';
import type { IconName } from './components/Icon.tsx';
import type { UiLang } from './i18n.ts';
import type { Outcome } from '../core/session/session.ts';

export type Tone = 'live' | 'clean' | 'cut' | 'handshake' | 'server' | 'policy' | 'nav' | 'retry' | 'app' | 'other';

export interface CategoryLook {
  icon: IconName;
  tone: Tone;
}

export const CATEGORY_LOOK: Record<DiagnosisCategory, CategoryLook> = {
  live: { icon: 'live', tone: 'live' },
  'handshake-failed': { icon: 'blocked', tone: 'handshake' },
  'idle-timeout': { icon: 'cut', tone: 'cut' },
  offline: { icon: 'cut', tone: 'cut' },
  suspended: { icon: 'cut', tone: 'cut' },
  'message-too-big': { icon: 'policy', tone: 'policy' },
  abnormal: { icon: 'cut', tone: 'cut' },
  navigated: { icon: 'leave', tone: 'nav' },
  'server-error': { icon: 'error', tone: 'server' },
  // The client closed it, but because the server (or the path from it) fell silent: a cut, not a goodbye.
  'heartbeat-lost': { icon: 'cut', tone: 'cut' },
  'closed-by-page': { icon: 'check', tone: 'clean' },
  'closed-by-server': { icon: 'check', tone: 'clean' },
  'going-away': { icon: 'leave', tone: 'retry' },
  'no-status': { icon: 'unknown', tone: 'other' },
  'protocol-error': { icon: 'error', tone: 'server' },
  'unsupported-data': { icon: 'policy', tone: 'policy' },
  'invalid-payload': { icon: 'policy', tone: 'policy' },
  policy: { icon: 'policy', tone: 'policy' },
  'retry-later': { icon: 'retry', tone: 'retry' },
  'app-code': { icon: 'app', tone: 'app' },
  'unknown-code': { icon: 'unknown', tone: 'other' },
  'create-failed': { icon: 'blocked', tone: 'handshake' },
  // The developer's own test, not a failure: a muted tone, and a bolt that no real end uses.
  injected: { icon: 'inject', tone: 'other' },
};

export const categoryLabel = (category: DiagnosisCategory, lang: UiLang): string => localize(CATEGORY_LABEL[category], lang);

const OUTCOME_OF_TONE: Record<Tone, Outcome> = {
  live: 'live',
  clean: 'clean',
  cut: 'abnormal',
  handshake: 'handshake-failed',
  server: 'server-error',
  policy: 'policy',
  nav: 'navigated',
  retry: 'retry',
  app: 'app',
  other: 'other',
};

/**
 * A row's outcome (its colour and data-outcome) from the diagnosis category, so the row and the
 * explanation can never disagree; the close code's coarse outcome is only for rows not yet diagnosed.
 */
export function outcomeOfCategory(category: DiagnosisCategory): Outcome {
  return OUTCOME_OF_TONE[CATEGORY_LOOK[category].tone];
}

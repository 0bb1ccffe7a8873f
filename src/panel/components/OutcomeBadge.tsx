// Outcome marking: colour *and* an icon *and* a word, so 1006 and 1011 differ for everyone,
// including colour-blind users and screen readers.
import type { DiagnosisCategory } from '../../core/diagnosis/diagnose.ts';
import type { Outcome } from '../../core/session/session.ts';
import { CATEGORY_LOOK, categoryLabel } from '../categories.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';
import { Icon, type IconName } from './Icon.tsx';

const LOOK: Record<Outcome, { icon: IconName; label: UiKey }> = {
  live: { icon: 'live', label: 'outcomeLive' },
  clean: { icon: 'check', label: 'outcomeClean' },
  abnormal: { icon: 'cut', label: 'outcomeAbnormal' },
  'handshake-failed': { icon: 'blocked', label: 'outcomeHandshake' },
  'server-error': { icon: 'error', label: 'outcomeServerError' },
  policy: { icon: 'policy', label: 'outcomePolicy' },
  navigated: { icon: 'leave', label: 'outcomeNavigated' },
  retry: { icon: 'retry', label: 'outcomeRetry' },
  app: { icon: 'app', label: 'outcomeApp' },
  other: { icon: 'unknown', label: 'outcomeOther' },
};

export function OutcomeBadge({ outcome, lang, testid }: { outcome: Outcome; lang: UiLang; testid?: string }) {
  const look = LOOK[outcome];
  return (
    <span class={`badge outcome-${outcome}`} data-testid={testid} data-outcome={outcome}>
      <Icon name={look.icon} size={10} />
      {ui(lang, look.label)}
    </span>
  );
}

/** The finer marking: the diagnosis category, with the tone of its family. */
export function CategoryBadge({ category, lang, testid }: { category: DiagnosisCategory; lang: UiLang; testid?: string }) {
  const look = CATEGORY_LOOK[category];
  return (
    <span class={`badge tone-${look.tone}`} data-testid={testid} data-category={category}>
      <Icon name={look.icon} size={10} />
      {categoryLabel(category, lang)}
    </span>
  );
}

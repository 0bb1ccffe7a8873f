// Outcome marking: colour *and* an icon *and* a word, so 1006 and 1011 differ for everyone,
// including colour-blind users and screen readers.
import type { Outcome } from '../../core/session.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';

const LOOK: Record<Outcome, { icon: string; label: UiKey }> = {
  live: { icon: '●', label: 'outcomeLive' },
  clean: { icon: '✓', label: 'outcomeClean' },
  abnormal: { icon: '⚡', label: 'outcomeAbnormal' },
  'handshake-failed': { icon: '⛔', label: 'outcomeHandshake' },
  'server-error': { icon: '✖', label: 'outcomeServerError' },
  policy: { icon: '⊘', label: 'outcomePolicy' },
  navigated: { icon: '↪', label: 'outcomeNavigated' },
  retry: { icon: '↻', label: 'outcomeRetry' },
  app: { icon: '◆', label: 'outcomeApp' },
  other: { icon: '?', label: 'outcomeOther' },
};

export function OutcomeBadge({ outcome, lang, testid }: { outcome: Outcome; lang: UiLang; testid?: string }) {
  const look = LOOK[outcome];
  return (
    <span class={`badge outcome-${outcome}`} data-testid={testid} data-outcome={outcome}>
      <span class="badge-icon" aria-hidden="true">
        {look.icon}
      </span>
      {ui(lang, look.label)}
    </span>
  );
}

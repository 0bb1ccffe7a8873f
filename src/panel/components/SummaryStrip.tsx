// Counts by outcome, worst first: "3× 1006 idle cut · nginx/ALB". Clicking one filters the list.
import type { DiagnosisCategory } from '../../core/diagnosis/diagnose.ts';
import { CATEGORY_LOOK, categoryLabel } from '../categories.ts';
import type { SummaryItem } from '../derive.ts';
import { ui, type UiLang } from '../i18n.ts';
import { Icon } from './Icon.tsx';
import { formatNumber } from '../plural.ts';

interface Props {
  items: SummaryItem[];
  active: DiagnosisCategory | undefined;
  /** "All" is pressed when the filter picks no outcome (an `outcome:` term the chips do not show counts as one). */
  allActive?: boolean;
  onPick: (c: DiagnosisCategory | undefined) => void;
  lang: UiLang;
}

export function SummaryStrip({ items, active, allActive = active === undefined, onPick, lang }: Props) {
  if (items.length === 0) return null;
  return (
    <div class="summary" role="toolbar" aria-label={ui(lang, 'summary')} data-testid="summary">
      <button class={`chip${allActive ? ' active' : ''}`} aria-pressed={allActive} data-testid="summary-all" onClick={() => onPick(undefined)}>
        {ui(lang, 'summaryAll')}
      </button>
      {items.map((it) => {
        const look = CATEGORY_LOOK[it.category];
        return (
          <button
            key={it.key}
            class={`chip tone-${look.tone}${active === it.category ? ' active' : ''}`}
            aria-pressed={active === it.category}
            data-testid="summary-item"
            data-category={it.category}
            data-count={it.count}
            onClick={() => onPick(active === it.category ? undefined : it.category)}
          >
            <Icon name={look.icon} size={10} />
            {formatNumber(lang, it.count)}× {it.code ?? ''} {categoryLabel(it.category, lang)}
            {it.suspect ? ` · ${it.suspect}` : ''}
          </button>
        );
      })}
    </div>
  );
}

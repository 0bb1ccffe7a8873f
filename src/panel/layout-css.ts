// The layout prefs (prefs.ts) as one small style sheet: column widths and visibility, the
// list/detail split, the timeline's height. A style sheet rather than props on every cell: a
// width dragged or a column hidden restyles the rows in place, without rendering any of them.
// Every value in it is a validated integer and every name a fixed column id (prefs.ts).
import type { Prefs } from './prefs.ts';

export function layoutCss(p: Pick<Prefs, 'hidden' | 'widths' | 'split' | 'timelineHeight'>): string {
  const rules: string[] = [];
  for (const id of p.hidden) rules.push(`.conn-table .c-${id} { display: none; }`);
  for (const [id, w] of Object.entries(p.widths)) rules.push(`.conn-table .c-${id} { flex: 0 0 ${w}px; min-width: 0; }`);
  rules.push(`.main.with-detail .conn-table { flex-basis: ${p.split}%; }`);
  rules.push(`.timeline-plot { max-height: ${p.timelineHeight}px; }`);
  return rules.join('\n');
}

// Which connections the list shows: the text typed in the filter box and the category picked in
// the summary strip. Plain functions over a plain value, so the rules are tested without a DOM.
import type { Diagnosis, DiagnosisCategory } from '../../core/diagnosis/diagnose.ts';
import type { Connection } from '../../core/session/session.ts';
import { categoryLabel } from '../categories.ts';
import type { UiLang } from '../i18n.ts';

export interface Filters {
  /** What the filter box holds, as typed. */
  text: string;
  /** The summary strip's pick; undefined shows every category. */
  category: DiagnosisCategory | undefined;
}

export const NO_FILTERS: Filters = { text: '', category: undefined };

export const withText = (f: Filters, text: string): Filters => (f.text === text ? f : { ...f, text });

export const withCategory = (f: Filters, category: DiagnosisCategory | undefined): Filters => (f.category === category ? f : { ...f, category });

/**
 * Whether a connection matches the filter text, case-insensitively: its URL, close code and
 * reason, its category both as an id and as the label shown in the current language (what the
 * user reads is what they type), and what the network said of its handshake.
 */
export function matches(c: Connection, d: Diagnosis | undefined, q: string, lang: UiLang): boolean {
  if (!q) return true;
  const cat = d ? `${d.category} ${categoryLabel(d.category, lang)}` : '';
  const net = d?.net ? ` ${d.net.label} ${d.net.cls}` : '';
  const hay = `${c.url} ${c.close?.code ?? ''} ${c.close?.reason ?? ''} ${cat}${net}`.toLowerCase();
  return hay.includes(q.toLowerCase());
}

/** The rows the list shows, in the order given. */
export function visibleRows(all: readonly Connection[], diagnoses: ReadonlyMap<string, Diagnosis>, f: Filters, lang: UiLang): Connection[] {
  return all.filter((c) => {
    const d = diagnoses.get(c.id);
    return (!f.category || d?.category === f.category) && matches(c, d, f.text, lang);
  });
}

// Which connections the list shows: the text typed in the filter box, in the filter language of
// filter-query.ts. The summary strip's chips are `outcome:` terms of that same text (a chip writes
// its term, the text says which chip is pressed), so the two can never disagree and the filter
// is one string to keep. Plain functions over plain values, tested without a DOM.
import type { Diagnosis, DiagnosisCategory } from '../../core/diagnosis/diagnose.ts';
import { CATEGORY_LABEL } from '../../core/knowledge/categories.ts';
import { localize } from '../../core/knowledge/i18n/text.ts';
import type { Connection, Outcome } from '../../core/session/session.ts';
import { outcomeOf } from '../../core/session/session.ts';
import { categoryLabel, outcomeOfCategory } from '../categories.ts';
import { ui, type UiKey, type UiLang } from '../i18n.ts';
import { matchesFilter, parseFilter, type Facets, type Token } from './filter-query.ts';

export interface Filters {
  /** What the filter box holds, as typed. */
  text: string;
}

export const NO_FILTERS: Filters = { text: '' };

export const withText = (f: Filters, text: string): Filters => (f.text === text ? f : { ...f, text });

const OUTCOME_LABEL: Record<Outcome, UiKey> = {
  live: 'outcomeLive',
  clean: 'outcomeClean',
  abnormal: 'outcomeAbnormal',
  'handshake-failed': 'outcomeHandshake',
  'server-error': 'outcomeServerError',
  policy: 'outcomePolicy',
  navigated: 'outcomeNavigated',
  retry: 'outcomeRetry',
  app: 'outcomeApp',
  other: 'outcomeOther',
};

const LANGS: UiLang[] = ['en', 'ja'];

/** A category's names in both languages: `outcome:` takes what either panel shows. */
const categoryNames = (c: DiagnosisCategory): string[] => [c, ...LANGS.map((l) => localize(CATEGORY_LABEL[c], l).toLowerCase())];

function schemeOf(url: string): string {
  const i = url.indexOf(':');
  return i > 0 ? url.slice(0, i).toLowerCase() : '';
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}

/** What a row offers the filter (see Facets). Free words search what the panel shows in `lang`. */
export function facetsOf(c: Connection, d: Diagnosis | undefined, lang: UiLang): Facets {
  const outcome = d ? outcomeOfCategory(d.category) : outcomeOf(c);
  const outcomes = [outcome, ...LANGS.map((l) => ui(l, OUTCOME_LABEL[outcome]).toLowerCase()), ...(d ? categoryNames(d.category) : [])];
  const protos = [schemeOf(c.url), c.protocol?.toLowerCase(), d?.appClose?.protocol.toLowerCase()].filter((p): p is string => !!p);
  return { hay: haystack(c, d, lang), code: c.close ? String(c.close.code) : '', host: hostOf(c.url), outcomes, protos };
}

function haystack(c: Connection, d: Diagnosis | undefined, lang: UiLang): string {
  const cat = d ? `${d.category} ${categoryLabel(d.category, lang)}` : '';
  const net = d?.net ? ` ${d.net.label} ${d.net.cls}` : '';
  return `${c.url} ${c.close?.code ?? ''} ${c.close?.reason ?? ''} ${cat}${net}`.toLowerCase();
}

/**
 * Whether a connection holds `q` as typed, case-insensitively: its URL, close code and reason,
 * its category both as an id and as the label shown in the current language (what the user
 * reads is what they type), and what the network said of its handshake. A free word's test.
 */
export function matches(c: Connection, d: Diagnosis | undefined, q: string, lang: UiLang): boolean {
  return !q || haystack(c, d, lang).includes(q.toLowerCase());
}

/** The rows the list shows, in the order given. */
export function visibleRows(all: readonly Connection[], diagnoses: ReadonlyMap<string, Diagnosis>, f: Filters, lang: UiLang): Connection[] {
  const q = parseFilter(f.text);
  if (q.length === 0) return all.slice();
  return all.filter((c) => matchesFilter(q, facetsOf(c, diagnoses.get(c.id), lang)));
}

const isChipTerm = (t: Token) => t.term.kind === 'key' && t.term.key === 'outcome' && !t.term.neg;

/** Which category a chip shows pressed: the one the text's `outcome:` term names, if exactly one does. */
export function activeCategory(text: string, categories: readonly DiagnosisCategory[]): DiagnosisCategory | undefined {
  const terms = parseFilter(text).filter(isChipTerm);
  if (terms.length !== 1) return undefined;
  const t = terms[0]!.term;
  const v = t.kind === 'key' ? t.value : '';
  return categories.find((c) => categoryNames(c).includes(v));
}

/** Whether the text picks an outcome at all (the "All" chip is pressed when it does not). */
export const hasOutcomeTerm = (text: string): boolean => parseFilter(text).some(isChipTerm);

/** The text with its `outcome:` terms replaced by the chip's (none for "All"); the rest as typed. */
export function withCategory(f: Filters, category: DiagnosisCategory | undefined): Filters {
  const terms = parseFilter(f.text).filter(isChipTerm);
  let text = f.text;
  for (const t of [...terms].reverse()) text = text.slice(0, t.start) + text.slice(t.end).replace(/^\s+/, '');
  text = text.trim();
  if (category) text = text ? `${text} outcome:${category}` : `outcome:${category}`;
  return withText(f, text);
}

// The filter box's language, DevTools Network style: free words, `key:value` terms (code, outcome,
// host, proto), `-` to exclude, `/regex/` for a pattern, "double quotes" around a value with
// spaces; every term must match (AND). Parsing never throws: an invalid regex becomes an
// `invalid` term that matches everything and that the box shows as invalid.

export type FilterKey = 'code' | 'outcome' | 'host' | 'proto';

/** Accepted spellings of each key (`domain:` is what DevTools' Network panel calls a host). */
const KEYS: Record<string, FilterKey> = { code: 'code', outcome: 'outcome', host: 'host', domain: 'host', proto: 'proto', protocol: 'proto' };

export type Term =
  | { kind: 'word'; neg: boolean; value: string }
  | { kind: 'key'; neg: boolean; key: FilterKey; value: string }
  | { kind: 'regex'; neg: boolean; re: RegExp }
  | { kind: 'invalid'; neg: boolean; source: string };

/** A term with where it was typed, so that a chip can rewrite its own terms and leave the rest as typed. */
export interface Token {
  term: Term;
  start: number;
  end: number;
}

/** Longest regex source compiled: a bound on what one keystroke can make the list evaluate. */
const MAX_REGEX = 500;

/** Splits at whitespace outside double quotes; quotes group and are removed from the value. */
function tokens(text: string): { raw: string; value: string; start: number; end: number; quoted: boolean }[] {
  const out: { raw: string; value: string; start: number; end: number; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let value = '';
    let quoted = false;
    let inQuote = false;
    while (i < text.length && (inQuote || !/\s/.test(text[i]!))) {
      const ch = text[i]!;
      if (ch === '"') {
        inQuote = !inQuote;
        quoted = true;
      } else value += ch;
      i++;
    }
    out.push({ raw: text.slice(start, i), value, start, end: i, quoted });
  }
  return out;
}

function termOf(raw: string, value: string, quoted: boolean): Term | undefined {
  let neg = false;
  let body = value;
  // "-" alone is a word (a URL may hold one); "-x" excludes x.
  if (raw.startsWith('-') && value.length > 1) {
    neg = true;
    body = value.slice(1);
  }
  if (!quoted && body.length > 2 && body.startsWith('/') && body.endsWith('/')) {
    const source = body.slice(1, -1);
    if (source.length > MAX_REGEX) return { kind: 'invalid', neg, source };
    try {
      return { kind: 'regex', neg, re: new RegExp(source, 'i') };
    } catch {
      return { kind: 'invalid', neg, source };
    }
  }
  const colon = body.indexOf(':');
  const key = colon > 0 ? KEYS[body.slice(0, colon).toLowerCase()] : undefined;
  if (key) {
    const v = body.slice(colon + 1).trim().toLowerCase();
    // A key still being typed ("code:") filters nothing yet, as in DevTools.
    return v ? { kind: 'key', neg, key, value: v } : undefined;
  }
  const w = body.toLowerCase();
  return w ? { kind: 'word', neg, value: w } : undefined;
}

export function parseFilter(text: string): Token[] {
  const out: Token[] = [];
  for (const t of tokens(text)) {
    const term = termOf(t.raw, t.value, t.quoted);
    if (term) out.push({ term, start: t.start, end: t.end });
  }
  return out;
}

/** What one row offers the filter, every text already lower-cased. */
export interface Facets {
  /** URL, close code and reason, outcome words, what the network said: what free words search. */
  hay: string;
  code: string;
  host: string;
  /** Ids and labels (en and ja) of the row's category and outcome. */
  outcomes: readonly string[];
  /** The URL's scheme, the negotiated subprotocol, the application protocol recognised. */
  protos: readonly string[];
}

function globOrSub(pattern: string, s: string): boolean {
  if (!pattern.includes('*')) return s.includes(pattern);
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(s);
}

function hit(t: Term, f: Facets): boolean {
  switch (t.kind) {
    case 'word':
      return f.hay.includes(t.value);
    case 'regex':
      return t.re.test(f.hay);
    case 'invalid':
      return true;
    case 'key':
      if (t.key === 'code') return f.code === t.value;
      if (t.key === 'outcome') return f.outcomes.includes(t.value);
      if (t.key === 'host') return globOrSub(t.value, f.host);
      return f.protos.includes(t.value);
  }
}

export function matchesFilter(tokens: readonly Token[], f: Facets): boolean {
  for (const { term } of tokens) {
    // An invalid regex is shown as invalid and ignored, negated or not.
    if (term.kind === 'invalid') continue;
    if (hit(term, f) === term.neg) return false;
  }
  return true;
}

/** The sources of the invalid regexes typed, for the box to say which. */
export function invalidPatterns(tokens: readonly Token[]): string[] {
  return tokens.flatMap((t) => (t.term.kind === 'invalid' ? [t.term.source] : []));
}

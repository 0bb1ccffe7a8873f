// Every text with a count, found in the catalogue (not listed by hand), in both languages, at
// 0, 1, 2, 1,000 and 1,234,567: the number grouped as the language groups digits, and English
// singular for 1 only (CLDR plural rules; Japanese has no plural forms).
import { describe, expect, it } from 'vitest';

import { ui, uiCatalogue, type UiLang } from '../src/panel/i18n.ts';
import { menuCatalogue, mui, type MenuKey } from '../src/panel/i18n-menu.ts';
import { ONE_EN, SAME_IN_SINGULAR } from '../src/panel/i18n-plural.ts';
import { formatClockIn, formatNumber, pluralOf } from '../src/panel/plural.ts';

/** Every catalogue of the panel's texts, with the function that fills its texts. */
const CATALOGUES = [
  { name: 'ui', en: uiCatalogue('en') as Record<string, string>, ja: uiCatalogue('ja') as Record<string, string>, t: (l: UiLang, k: string, p: Record<string, string | number>) => ui(l, k as never, p) },
  { name: 'menu', en: menuCatalogue('en') as Record<string, string>, ja: menuCatalogue('ja') as Record<string, string>, t: (l: UiLang, k: string, p: Record<string, string | number>) => mui(l, k as MenuKey, p) },
];
/** Every key whose text holds a count: {n} (what is pluralised on), {count} or {total}, in every catalogue. */
const COUNT_TEXTS = CATALOGUES.flatMap((c) =>
  Object.keys(c.en)
    .filter((k) => /\{(n|count|total)\}/.test(c.en[k]!))
    .map((key) => ({ key, en: c.en[key]!, ja: c.ja[key]!, t: c.t, label: `${c.name}.${key}` })),
);
const COUNT_KEYS = COUNT_TEXTS.map((c) => c.key);
const en: Record<string, string> = Object.fromEntries(COUNT_TEXTS.map((c) => [c.key, c.en]));

/** Values for the other placeholders of a count text. */
const fill = (k: string, n: number) => {
  const params: Record<string, string | number> = { n, total: n, count: n };
  for (const m of en[k]!.matchAll(/\{(\w+)\}/g)) if (!(m[1]! in params)) params[m[1]!] = `<${m[1]}>`;
  return params;
};

const NUMBERS: [number, string][] = [
  [0, '0'],
  [1, '1'],
  [2, '2'],
  [1000, '1,000'],
  [1_234_567, '1,234,567'],
];

describe('count texts', () => {
  it('are found in the catalogue', () => {
    expect(COUNT_KEYS.length).toBeGreaterThan(15);
    expect(COUNT_KEYS).toContain('summaryCount');
    expect(COUNT_KEYS).toContain('selectedCount');
    // No key holds a count in two catalogues: the singular forms are keyed by name alone.
    expect(new Set(COUNT_KEYS).size).toBe(COUNT_KEYS.length);
  });

  it('each has an English singular, or is declared the same in the singular', () => {
    const undecided = COUNT_KEYS.filter((k) => !(k in ONE_EN) && !SAME_IN_SINGULAR.has(k));
    expect(undecided).toEqual([]);
    // No stale entries: every singular belongs to a count text with the same placeholders.
    for (const k of Object.keys(ONE_EN)) {
      expect(COUNT_KEYS, k).toContain(k);
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(ph(ONE_EN[k]!), k).toEqual(ph(en[k]!));
    }
    for (const k of SAME_IN_SINGULAR) expect(COUNT_KEYS, k).toContain(k);
  });

  describe.each(COUNT_TEXTS)('$label', ({ key, t, ja }) => {
    it.each(NUMBERS)('en and ja at %d', (n, written) => {
      const e = t('en', key, fill(key, n));
      const j = t('ja', key, fill(key, n));
      for (const s of [e, j]) {
        expect(s).toContain(written);
        expect(s).not.toMatch(/\{(n|total|count)\}/);
      }
      if (n >= 1000) expect(e).not.toContain(String(n));
      // English: the singular text for 1 only, the plural one for every other count.
      const filled = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => (['n', 'total', 'count'].includes(name) ? written : `<${name}>`));
      expect(e).toBe(filled(n === 1 && key in ONE_EN ? ONE_EN[key]! : en[key]!));
      // Japanese has one form: the same text around the number for every count.
      expect(j).toBe(filled(ja));
    });
  });

  it('reads as English should', () => {
    expect(ui('en', 'summaryCount', { n: 0 })).toBe('0 connections');
    expect(ui('en', 'summaryCount', { n: 1 })).toBe('1 connection');
    expect(ui('en', 'summaryCount', { n: 2 })).toBe('2 connections');
    expect(ui('en', 'summaryCount', { n: 1_234_567 })).toBe('1,234,567 connections');
    expect(ui('en', 'reconnectChain', { n: 1 })).toBe('1 reconnect');
    expect(ui('en', 'msgMatches', { n: 1_234_567, total: 2_000_000 })).toBe('1,234,567 of 2,000,000');
    expect(ui('ja', 'summaryCount', { n: 1 })).toBe('接続 1 件');
    expect(ui('ja', 'summaryCount', { n: 1_234_567 })).toBe('接続 1,234,567 件');
    // A close code or a limit is not a count: written as it is.
    expect(ui('en', 'opClose', { code: 4000 })).toBe('server close 4000');
  });
});

describe('number, plural and clock formats', () => {
  it.each([
    ['en', 1, 'one'],
    ['en', 0, 'other'],
    ['en', 2, 'other'],
    ['ja', 1, 'other'],
    ['ja', 0, 'other'],
  ] as const)('%s %d is %s', (lang, n, cat) => {
    expect(pluralOf(lang, n)).toBe(cat);
  });

  it('groups digits and keeps one decimal', () => {
    expect(formatNumber('en', 1_234_567)).toBe('1,234,567');
    expect(formatNumber('ja', 1_234_567)).toBe('1,234,567');
    expect(formatNumber('en', 1.25)).toMatch(/^1\.[23]$/);
  });

  it('writes a clock time with milliseconds, 24-hour, in both languages', () => {
    const t = new Date(2026, 0, 2, 15, 4, 5, 67).getTime();
    expect(formatClockIn('en', t)).toBe('15:04:05.067');
    expect(formatClockIn('ja', t)).toBe('15:04:05.067');
    expect(formatClockIn('en', new Date(2026, 0, 2, 0, 0, 0, 0).getTime())).toBe('00:00:00.000');
  });
});

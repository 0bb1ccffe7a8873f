// Counts and numbers as the language writes them: the plural category from Intl.PluralRules
// (CLDR: English has "one" and "other", Japanese only "other"), digits grouped by
// Intl.NumberFormat ("1,234,567" in both en and ja, per CLDR), clock times by Intl.DateTimeFormat.
// Formatters are cached: constructing one costs far more than using it (each list row formats).
// Languages are BCP 47 tags ('en', 'ja'): i18n.ts uses this module, so it cannot import i18n's type.

const numbers = new Map<string, Intl.NumberFormat>();
const plurals = new Map<string, Intl.PluralRules>();
const clocks = new Map<string, Intl.DateTimeFormat>();

export function formatNumber(lang: string, n: number): string {
  let f = numbers.get(lang);
  if (!f) numbers.set(lang, (f = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 })));
  return f.format(n);
}

/** The CLDR plural category of `n` in `lang`: "one" or "other" for the languages we ship. */
export function pluralOf(lang: string, n: number): Intl.LDMLPluralRule {
  let r = plurals.get(lang);
  if (!r) plurals.set(lang, (r = new Intl.PluralRules(lang)));
  return r.select(n);
}

/** Wall-clock time with milliseconds, 24-hour, in the language's form: what server logs are searched for. */
export function formatClockIn(lang: string, epochMs: number): string {
  let f = clocks.get(lang);
  if (!f)
    clocks.set(
      lang,
      (f = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hourCycle: 'h23' })),
    );
  return f.format(epochMs);
}

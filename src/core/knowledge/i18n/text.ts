// Localizable text: every explanation is carried as an { en, ja } pair so that the panel can
// switch language at runtime without re-running the diagnosis, and so that a test can walk
// any structure and prove that no Japanese text is missing (test/i18n.test.ts).

export type Lang = 'en' | 'ja';
export const LANGS: readonly Lang[] = ['en', 'ja'];

export interface Text {
  readonly en: string;
  readonly ja: string;
}

export const tx = (en: string, ja: string): Text => ({ en, ja });

/** Renders a text in one language. Plain strings (URLs, proper names) pass through. */
export function localize(text: Text | string, lang: Lang): string {
  return typeof text === 'string' ? text : text[lang];
}

export function isText(x: unknown): x is Text {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.en === 'string' && typeof o.ja === 'string' && Object.keys(o).length === 2;
}

/** Concatenates texts language by language. */
export function concat(...parts: readonly (Text | string)[]): Text {
  return {
    en: parts.map((p) => localize(p, 'en')).join(''),
    ja: parts.map((p) => localize(p, 'ja')).join(''),
  };
}

/** Joins texts with a separator that may itself differ per language ("、" in Japanese). */
export function joinTexts(parts: readonly Text[], sep: Text = tx(', ', '、')): Text {
  return { en: parts.map((p) => p.en).join(sep.en), ja: parts.map((p) => p.ja).join(sep.ja) };
}

/**
 * A duration for humans: "450 ms", "2.5 s", "100 s", "4 min 5 s", "2 h". One decimal below 10 s
 * because the idle rules compare seconds and "3.0 s" versus "3.4 s" matters there; seconds up
 * to 2 min because that is how the proxy timeouts they are compared with are stated (60 s, 100 s).
 */
export function fmtDuration(ms: number): Text {
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs < 1000) {
    const n = Math.round(abs);
    return tx(`${sign}${n} ms`, `${sign}${n} ミリ秒`);
  }
  const s = abs / 1000;
  if (s < 10) {
    const v = (Math.round(s * 10) / 10).toFixed(1);
    return tx(`${sign}${v} s`, `${sign}${v} 秒`);
  }
  if (s < 120) {
    const v = Math.round(s);
    return tx(`${sign}${v} s`, `${sign}${v} 秒`);
  }
  if (s < 3600) {
    const total = Math.round(s);
    const m = Math.floor(total / 60);
    const rest = total % 60;
    return rest === 0
      ? tx(`${sign}${m} min`, `${sign}${m} 分`)
      : tx(`${sign}${m} min ${rest} s`, `${sign}${m} 分 ${rest} 秒`);
  }
  const h = Math.floor(s / 3600);
  const m = Math.round((s - h * 3600) / 60);
  return m === 0 ? tx(`${sign}${h} h`, `${sign}${h} 時間`) : tx(`${sign}${h} h ${m} min`, `${sign}${h} 時間 ${m} 分`);
}

/** Byte sizes in binary units, as the limits they are compared with are usually stated. */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${trim(n / 1024)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${trim(n / (1024 * 1024))} MiB`;
  return `${trim(n / (1024 * 1024 * 1024))} GiB`;
}

function trim(v: number): string {
  return v >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * "HH:MM:SS.mmm UTC". UTC on purpose: it is what server logs usually print, it is what the
 * developer greps for, and it keeps the text independent of the machine's time zone. The
 * evidence also carries the epoch time, so a view can show local time next to it.
 */
export function fmtClock(at: number): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '?';
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} UTC`;
}

/** Full ISO timestamp for bug reports, where the date matters too. */
export function fmtIso(at: number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? '?' : d.toISOString();
}

/** Quotes a server-provided string for display; reasons are limited to 123 bytes anyway. */
export const quote = (s: string): Text => tx(`"${s}"`, `「${s}」`);

// Formatting for the views: compact, DevTools-like numbers and times.
import type { UiLang } from './i18n.ts';
import { formatClockIn } from './plural.ts';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${s} s`;
}

/** Local wall-clock time with milliseconds, 24-hour, in the panel's language (plural.ts): what you search server logs for. */
export function formatClock(epochMs: number, lang: UiLang = 'en'): string {
  return formatClockIn(lang, epochMs);
}

/** A short one-line preview of a payload; never renders more than `max` characters. */
export function preview(data: string | undefined, max = 200): string {
  if (data === undefined) return '';
  const oneLine = data.length > max * 2 ? data.slice(0, max * 2) : data;
  const flat = inert(oneLine.replace(/[\r\n\t]+/g, ' '));
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The path and query of a socket URL, as the Network panel's Name column shows it (the full
 * URL goes in the tooltip): on one page the host rarely tells sockets apart, the path does. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = `${u.pathname}${u.search}`;
    return path === '/' ? `${u.host}/` : path;
  } catch {
    return url;
  }
}

/** Hex bytes of a base64 payload's first `max` bytes, for binary previews ("01 ff 3a …"). */
export function hexPreview(b64: string, decode: (s: string) => Uint8Array, max = 48): string {
  let bytes: Uint8Array;
  try {
    bytes = decode(b64.slice(0, Math.ceil(max / 3) * 4 + 4));
  } catch {
    return b64.slice(0, max);
  }
  const parts: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, max); i++) parts.push(bytes[i]!.toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > max ? ' …' : '');
}

// Bidirectional overrides/isolates and invisible characters, which a hostile page can put in a
// URL, a close reason or a payload to reorder or hide what we display around it (the
// "Trojan Source" class, CVE-2021-42574). We show them as visible escapes instead.
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Captured text made safe to display: bidi controls and zero-width characters shown as ⟨U+XXXX⟩. */
export function inert(s: string): string {
  return s.replace(INVISIBLE, (ch) => `⟨U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

// Reading helpers every decoder shares: JSON that never throws, UTF-8 from bytes without
// TextDecoder (src/core has no DOM or Node library), base64 bytes, and bounds on what a
// decoded body may hold, so that one 16 KiB frame stays a bounded amount of work and memory.
import { fromBase64 } from '../wire/payload.ts';

export { fromBase64 };

const NOT_JSON = { ok: false } as const;

/**
 * JSON.parse that reports failure instead of throwing. Text whose first character cannot start
 * JSON fails without calling the parser: a thrown SyntaxError costs microseconds, and a hostile
 * frame of 16 K empty records would otherwise throw 16 K times (bench/protocols.bench.ts).
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  const c = text.charCodeAt(i);
  // { [ " digit - t f n
  if (!(c === 123 || c === 91 || c === 34 || (c >= 48 && c <= 57) || c === 45 || c === 116 || c === 102 || c === 110)) return NOT_JSON;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A string field of an object, or undefined. */
export const str = (o: Record<string, unknown>, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);

/** A finite number field of an object, or undefined. */
export const num = (o: Record<string, unknown>, k: string): number | undefined =>
  typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : undefined;

/** UTF-8 bytes [start, end) to a string; invalid sequences become U+FFFD (WHATWG decode, replacement mode). */
export function utf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    let cp = 0xfffd;
    let need = 0;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b <= 0xdf) (need = 1), (cp = b & 0x1f);
    else if (b >= 0xe0 && b <= 0xef) (need = 2), (cp = b & 0x0f);
    else if (b >= 0xf0 && b <= 0xf4) (need = 3), (cp = b & 0x07);
    i++;
    let ok = true;
    for (let k = 0; k < need; k++) {
      const c = bytes[i];
      if (i >= end || c === undefined || (c & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
      i++;
    }
    if (!ok || (need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff))) cp = 0xfffd;
    out += String.fromCodePoint(cp);
    if (out.length > MAX_TEXT) return out;
  }
  return out;
}

/** Characters of any one string a decoded body keeps. */
export const MAX_TEXT = 4096;

/** A string cut to MAX_TEXT characters, with an ellipsis when cut. */
export const clip = (s: string, max = MAX_TEXT): string => (s.length > max ? `${s.slice(0, max)}…` : s);

/** The bytes of a binary frame's base64 data, or undefined when it is not valid base64. */
export function bytesOf(data: string): Uint8Array | undefined {
  try {
    return fromBase64(data);
  } catch {
    return undefined;
  }
}

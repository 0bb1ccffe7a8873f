// Payload measuring and encoding used by the page hook.
//
// Written without any built-in the page could have replaced (btoa, TextEncoder,
// String.fromCharCode.apply, Array.prototype.push): the hook runs inside hostile pages, and a
// page that overwrote one of those must not be able to break or mislead our capture. String
// methods are taken once, when this module loads (before any page script, in the hook), as
// functions of the string ("uncurried" through a bound Function.prototype.call): a call per
// character with no argument array, and no lookup on String.prototype a page could have replaced.
const uncurry = <A extends unknown[], R>(fn: (this: string, ...args: A) => R): ((s: string, ...args: A) => R) =>
  Function.prototype.call.bind(fn as (...args: unknown[]) => unknown) as (s: string, ...args: A) => R;
const charCodeAt = uncurry(String.prototype.charCodeAt);
const slice = uncurry(String.prototype.slice);

/** UTF-8 byte length of a JS string, counting a lone surrogate as U+FFFD (3 bytes), as a
 * WebSocket text frame would encode it (WHATWG "USVString" conversion). */
export function utf8Length(s: string): number {
  let n = 0;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = charCodeAt(s, i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = charCodeAt(s, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The longest prefix of `s` whose UTF-8 encoding fits in `maxBytes` (never splits a pair). */
export function utf8Prefix(s: string, maxBytes: number): string {
  let n = 0;
  const len = s.length;
  let i = 0;
  for (; i < len; i++) {
    const c = charCodeAt(s, i);
    let w = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    let step = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = charCodeAt(s, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        w = 4;
        step = 2;
      }
    }
    if (n + w > maxBytes) break;
    n += w;
    i += step - 1;
  }
  return slice(s, 0, i);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648 §4, padded) of bytes[0, end). */
export function base64(bytes: Uint8Array, end: number = bytes.length): string {
  let out = '';
  let i = 0;
  const stop = end - (end % 3);
  for (; i < stop; i += 3) {
    const x = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[x >> 18]! + B64[(x >> 12) & 63]! + B64[(x >> 6) & 63]! + B64[x & 63]!;
  }
  const rest = end - stop;
  if (rest === 1) {
    const x = bytes[i]! << 16;
    out += B64[x >> 18]! + B64[(x >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const x = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[x >> 18]! + B64[(x >> 12) & 63]! + B64[(x >> 6) & 63]! + '=';
  }
  return out;
}

let b64Index: Record<string, number> | undefined;

/** Decodes standard base64; throws on characters outside the alphabet. */
export function fromBase64(s: string): Uint8Array {
  // Built on first use: the page hook bundles this module but never decodes.
  const index = (b64Index ??= Object.fromEntries([...B64].map((ch, i) => [ch, i])));
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = index[ch];
    if (v === undefined) throw new Error(`invalid base64 character ${JSON.stringify(ch)}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

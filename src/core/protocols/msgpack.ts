// A bounded MessagePack reader (https://github.com/msgpack/msgpack/blob/master/spec.md) for the
// subset a decoder shows: nil, booleans, integers, floats, strings, binaries (as a size), arrays,
// maps and extensions (as type and size). Every element costs at least one input byte and a
// declared length beyond the input stops the read, so the work is linear in the bytes given;
// nesting is capped so hostile input cannot exhaust the stack.
import { clip, utf8 } from './text.ts';

const MAX_DEPTH = 32;

export type MsgpackRead = { ok: true; value: unknown; end: number } | { ok: false; error: 'truncated' | 'too deep' | 'invalid' };

const TRUNCATED = { ok: false, error: 'truncated' } as const;

function be(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[at + i]!;
  return v;
}

function float(b: Uint8Array, at: number, n: 4 | 8): number {
  const v = new DataView(b.buffer, b.byteOffset + at, n);
  return n === 4 ? v.getFloat32(0) : v.getFloat64(0);
}

/** Keys set as own data properties, so that a `__proto__` key stays a key. */
function put(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function keyText(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'boolean' || k === null) return String(k);
  return clip(JSON.stringify(k) ?? '?', 200);
}

/** Reads one value at `at`; never reads past `end`. */
export function readMsgpack(b: Uint8Array, at: number, end = b.length, depth = 0): MsgpackRead {
  if (depth > MAX_DEPTH) return { ok: false, error: 'too deep' };
  if (at >= end) return TRUNCATED;
  const t = b[at]!;
  const need = (n: number): boolean => at + 1 + n <= end;
  const scalar = (value: unknown, size: number): MsgpackRead => (need(size) ? { ok: true, value, end: at + 1 + size } : TRUNCATED);
  if (t <= 0x7f) return { ok: true, value: t, end: at + 1 };
  if (t >= 0xe0) return { ok: true, value: t - 0x100, end: at + 1 };
  if (t >= 0xa0 && t <= 0xbf) return text(b, at + 1, t & 0x1f, end);
  if (t >= 0x90 && t <= 0x9f) return list(b, at + 1, t & 0x0f, end, depth);
  if (t >= 0x80 && t <= 0x8f) return map(b, at + 1, t & 0x0f, end, depth);
  switch (t) {
    case 0xc0:
      return { ok: true, value: null, end: at + 1 };
    case 0xc2:
      return { ok: true, value: false, end: at + 1 };
    case 0xc3:
      return { ok: true, value: true, end: at + 1 };
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf: {
      const n = 1 << (t - 0xcc);
      return need(n) ? scalar(be(b, at + 1, n), n) : TRUNCATED;
    }
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3: {
      const n = 1 << (t - 0xd0);
      if (!need(n)) return TRUNCATED;
      // Signed high word and unsigned low word: a 64-bit value near zero keeps its precision.
      const hiBytes = n === 8 ? 4 : n;
      const hi = be(b, at + 1, hiBytes);
      const signed = hi >= 2 ** (8 * hiBytes - 1) ? hi - 2 ** (8 * hiBytes) : hi;
      return scalar(n === 8 ? signed * 2 ** 32 + be(b, at + 5, 4) : signed, n);
    }
    case 0xca:
      return need(4) ? scalar(float(b, at + 1, 4), 4) : TRUNCATED;
    case 0xcb:
      return need(8) ? scalar(float(b, at + 1, 8), 8) : TRUNCATED;
    case 0xd9:
    case 0xda:
    case 0xdb: {
      const n = 1 << (t - 0xd9);
      return need(n) ? text(b, at + 1 + n, be(b, at + 1, n), end) : TRUNCATED;
    }
    case 0xc4:
    case 0xc5:
    case 0xc6: {
      const n = 1 << (t - 0xc4);
      if (!need(n)) return TRUNCATED;
      const len = be(b, at + 1, n);
      const stop = at + 1 + n + len;
      return stop <= end ? { ok: true, value: `<binary ${len} bytes>`, end: stop } : TRUNCATED;
    }
    case 0xdc:
    case 0xdd: {
      const n = t === 0xdc ? 2 : 4;
      return need(n) ? list(b, at + 1 + n, be(b, at + 1, n), end, depth) : TRUNCATED;
    }
    case 0xde:
    case 0xdf: {
      const n = t === 0xde ? 2 : 4;
      return need(n) ? map(b, at + 1 + n, be(b, at + 1, n), end, depth) : TRUNCATED;
    }
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
      return ext(b, at + 1, 1 << (t - 0xd4), end);
    case 0xc7:
    case 0xc8:
    case 0xc9: {
      const n = 1 << (t - 0xc7);
      return need(n) ? ext(b, at + 1 + n, be(b, at + 1, n), end) : TRUNCATED;
    }
    default:
      // 0xc1 is "never used" in the spec.
      return { ok: false, error: 'invalid' };
  }
}

function text(b: Uint8Array, at: number, len: number, end: number): MsgpackRead {
  if (at + len > end) return TRUNCATED;
  return { ok: true, value: clip(utf8(b, at, at + len)), end: at + len };
}

function ext(b: Uint8Array, at: number, len: number, end: number): MsgpackRead {
  // One type byte, then the data.
  if (at + 1 + len > end) return TRUNCATED;
  const type = b[at]! >= 0x80 ? b[at]! - 0x100 : b[at]!;
  return { ok: true, value: `<ext ${type}, ${len} bytes>`, end: at + 1 + len };
}

function list(b: Uint8Array, at: number, n: number, end: number, depth: number): MsgpackRead {
  // Each element takes at least one byte: a larger count cannot be complete.
  if (n > end - at) return TRUNCATED;
  const out: unknown[] = [];
  let p = at;
  for (let i = 0; i < n; i++) {
    const r = readMsgpack(b, p, end, depth + 1);
    if (!r.ok) return r;
    out.push(r.value);
    p = r.end;
  }
  return { ok: true, value: out, end: p };
}

function map(b: Uint8Array, at: number, n: number, end: number, depth: number): MsgpackRead {
  if (n * 2 > end - at) return TRUNCATED;
  const out: Record<string, unknown> = {};
  let p = at;
  for (let i = 0; i < n; i++) {
    const k = readMsgpack(b, p, end, depth + 1);
    if (!k.ok) return k;
    const v = readMsgpack(b, k.end, end, depth + 1);
    if (!v.ok) return v;
    put(out, keyText(k.value), v.value);
    p = v.end;
  }
  return { ok: true, value: out, end: p };
}

/**
 * The leading elements of an array that is cut: what a truncated SignalR message still says
 * (its type, invocation id, target). Stops at the first element that does not fit.
 */
export function readArrayHead(b: Uint8Array, at: number, end: number): unknown[] | undefined {
  const t = b[at];
  if (t === undefined) return undefined;
  let n: number;
  let p: number;
  if (t >= 0x90 && t <= 0x9f) (n = t & 0x0f), (p = at + 1);
  else if (t === 0xdc && at + 3 <= end) (n = be(b, at + 1, 2)), (p = at + 3);
  else if (t === 0xdd && at + 5 <= end) (n = be(b, at + 1, 4)), (p = at + 5);
  else return undefined;
  const out: unknown[] = [];
  for (let i = 0; i < n && p < end; i++) {
    const r = readMsgpack(b, p, end);
    if (!r.ok) break;
    out.push(r.value);
    p = r.end;
  }
  return out;
}

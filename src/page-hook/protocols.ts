// The constructor's arguments, converted once, by us, as WebIDL would: so that we know the
// protocols the browser was given without running the page's code a second time.
import { apply, StringCtor, strSlice, SymbolIterator } from './lang.ts';
import type { TrapIo } from './trap-io.ts';

export interface Converted {
  /** What to give the native constructor in place of the page's arguments. */
  args: ArrayLike<unknown>;
  /** The protocols as the browser takes them (bounded as the wire wants, protocol.ts). */
  protocols: string[];
}

const isObject = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

/**
 * ToString (ECMAScript) of a value the browser would convert to a DOMString. A primitive has no
 * user code; an object's own toString / Symbol.toPrimitive runs here, once, in place of the
 * browser's run of it, and whatever it throws reaches the page as the browser would pass it on.
 */
const toText = (v: unknown): string => (isObject(v) ? `${v}` : StringCtor(v));

/**
 * `new WebSocket(url, protocols)`: url is a USVString, protocols an optional
 * (DOMString or sequence<DOMString>) defaulting to [] (HTML, WebSocket interface). For the union
 * (WebIDL, "converting to a union type"): an object with a @@iterator method is a sequence
 * ("create a sequence from an iterable": the method called once, `next` read once, each value
 * converted as it comes, nothing closed on failure); anything else is one DOMString. The URL is
 * converted first, as the browser does, so the page's conversions run in the same order.
 *
 * What the native gets is already converted: the URL as a string (its USVString fix-up of lone
 * surrogates the browser still does), the protocols as one string or as an iterable of the page's
 * realm whose iterator and results are own data properties (`io.iterable`: no Array.prototype or
 * %ArrayIteratorPrototype% lookup a page could have replaced). A symbol (whose ToString throws) is
 * left to the native, which throws its own TypeError about it; for a symbol URL nothing is
 * converted at all. The errors we throw in the browser's place are the page realm's (`io.typeError`).
 */
export function convertArgs(io: TrapIo, args: ArrayLike<unknown>): Converted {
  const protocols: string[] = [];
  if (args.length === 0 || typeof args[0] === 'symbol') return { args, protocols };
  const out: unknown[] = [];
  for (let i = 0; i < args.length; i++) out[i] = args[i];
  out[0] = toText(args[0]);
  if (args.length < 2 || args[1] === undefined) return { args: out, protocols };
  const v = args[1];
  const method: unknown = isObject(v) ? (v as { [k: symbol]: unknown })[SymbolIterator] : undefined;
  if (method === undefined || method === null) {
    if (typeof v === 'symbol') return { args: out, protocols };
    const s = toText(v);
    out[1] = s;
    protocols[0] = bounded(s);
    return { args: out, protocols };
  }
  if (typeof method !== 'function') throw io.typeError('object is not iterable');
  const it: unknown = apply(method, v, []);
  if (!isObject(it)) throw io.typeError('Result of the Symbol.iterator method is not an object');
  const next: unknown = (it as { next?: unknown }).next;
  const list: unknown[] = [];
  for (;;) {
    const res: unknown = apply(next as (...a: unknown[]) => unknown, it, []);
    if (!isObject(res)) throw io.typeError(`Iterator result ${StringCtor(res)} is not an object`);
    if ((res as { done?: unknown }).done) break;
    const value: unknown = (res as { value?: unknown }).value;
    if (typeof value === 'symbol') list[list.length] = value;
    else {
      const s = toText(value);
      list[list.length] = s;
      if (protocols.length < 64) protocols[protocols.length] = bounded(s);
    }
  }
  // Spread by this realm's Reflect.apply: the page realm's iterable gets the items, not this array.
  out[1] = apply(io.iterable, undefined, list);
  return { args: out, protocols };
}

const bounded = (s: string): string => apply(strSlice, s, [0, 256]) as string;

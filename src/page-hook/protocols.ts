// The constructor's arguments, converted once, by us, as WebIDL would: so that we know the
// protocols the browser was given without running the page's code a second time.
import { apply, isObject, strSlice, SymbolIterator, withTwo } from './lang.ts';
import { toText } from './to-text.ts';
import { ITER_BAD_ITERATOR, ITER_BAD_METHOD, ITER_BAD_NEXT, ITER_BAD_RESULT, ITER_OK, type TrapIo } from './trap-io.ts';

export interface Converted {
  /** What to give the native constructor in place of the page's arguments. */
  args: ArrayLike<unknown>;
  /** The protocols as the browser takes them (bounded as the wire wants, protocol.ts). */
  protocols: string[];
}


/**
 * `new WebSocket(url, protocols)`: url is a USVString, protocols an optional
 * (DOMString or sequence<DOMString>) defaulting to [] (HTML, WebSocket interface). For the union
 * (WebIDL, "converting to a union type"): an object with a @@iterator method is a sequence
 * ("create a sequence from an iterable": the method called once, `next` read once, each value
 * converted as it comes, nothing closed on failure); anything else is one DOMString. The URL is
 * converted first, as the browser does, so the page's conversions run in the same order; with no
 * protocols to convert, nothing is (the native converts the URL itself, with no frame of ours
 * between the page's toString and its caller).
 *
 * What the native gets is already converted: the URL as a string (its USVString fix-up of lone
 * surrogates the browser still does), the protocols as one string or as an iterable of the page's
 * realm whose iterator and results are own data properties (`io.iterable`: no Array.prototype or
 * %ArrayIteratorPrototype% lookup a page could have replaced). A symbol (whose ToString throws) is
 * left to the native, which throws its own TypeError about it; for a symbol URL nothing is
 * converted at all. So is an iterable the browser would refuse (an @@iterator that is not
 * callable, an iterator or a result that is not an object, a `next` that is not callable): the
 * native gets an iterable of ours that fails at the same step with the same value, and throws its
 * own TypeError, in its own words, without running the page's code a second time; and a value
 * that has no text (to-text.ts) is given as a stand-in that fails the same way.
 */
export function convertArgs(io: TrapIo, args: ArrayLike<unknown>): Converted {
  const protocols: string[] = [];
  if (args.length < 2 || args[1] === undefined || typeof args[0] === 'symbol') return { args, protocols };
  const out: unknown[] = [];
  for (let i = 0; i < args.length; i++) out[i] = args[i];
  const url = toText(io, args[0]);
  // The native fails on the URL before it looks at the protocols.
  if (!url.ok) return { args: [url.standIn], protocols };
  out[0] = url.text;
  const v = args[1];
  const method: unknown = isObject(v) ? (v as { [k: symbol]: unknown })[SymbolIterator] : undefined;
  if (method === undefined || method === null) {
    if (typeof v === 'symbol') return { args: out, protocols };
    const s = toText(io, v);
    out[1] = s.ok ? s.text : s.standIn;
    if (s.ok) protocols[0] = bounded(s.text);
    return { args: out, protocols };
  }
  const failing = (fault: number, bad: unknown, list: unknown[] = []): Converted => {
    out[1] = apply(io.iterable, undefined, withTwo(fault, bad, list));
    return { args: out, protocols: [] };
  };
  if (typeof method !== 'function') return failing(ITER_BAD_METHOD, method);
  const it: unknown = apply(method, v, []);
  if (!isObject(it)) return failing(ITER_BAD_ITERATOR, it);
  const next: unknown = (it as { next?: unknown }).next;
  if (typeof next !== 'function') return failing(ITER_BAD_NEXT, next);
  const list: unknown[] = [];
  for (;;) {
    const res: unknown = apply(next as (...a: unknown[]) => unknown, it, []);
    if (!isObject(res)) return failing(ITER_BAD_RESULT, res, list);
    if ((res as { done?: unknown }).done) break;
    const value: unknown = (res as { value?: unknown }).value;
    if (typeof value === 'symbol') list[list.length] = value;
    else {
      const s = toText(io, value);
      // The native converts the items before it, then fails on this one; it asks for no more.
      if (!s.ok) {
        list[list.length] = s.standIn;
        return failing(ITER_OK, undefined, list);
      }
      list[list.length] = s.text;
      if (protocols.length < 64) protocols[protocols.length] = bounded(s.text);
    }
  }
  // Spread by this realm's Reflect.apply: the page realm's iterable gets the items, not this array.
  out[1] = apply(io.iterable, undefined, withTwo(ITER_OK, undefined, list));
  return { args: out, protocols };
}

const bounded = (s: string): string => apply(strSlice, s, [0, 256]) as string;

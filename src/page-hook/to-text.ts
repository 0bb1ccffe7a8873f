// ToString (ECMAScript) of a value the browser would convert to a DOMString or USVString, done by
// us in the browser's place (protocols.ts, the send trap), with the page's own methods called in
// the engine's order and no error of ours: where the engine would throw (no method gives a
// primitive, a Symbol.toPrimitive that is not callable, a symbol to turn into text), we do not
// throw, but give back a stand-in that fails the same way when the native converts it, so that
// the error is the browser's own, in its own words (Chromium prefixes "Failed to construct
// 'WebSocket': …") and of the page's realm. What the page's methods throw passes through as
// thrown. Realm-neutral: runs in the page hook and in Firefox's isolated world (traps.ts).
import { apply, isObject, StringCtor, SymbolToPrimitive } from './lang.ts';
import { TEXT_BAD_HINT_METHOD, TEXT_NO_PRIMITIVE, type TrapIo } from './trap-io.ts';

/** Converted text, or the stand-in to give the native in its place. */
export type Text = { ok: true; text: string } | { ok: false; standIn: object };


const done = (v: unknown, io: TrapIo): Text =>
  typeof v === 'symbol' ? { ok: false, standIn: io.unconvertible(TEXT_NO_PRIMITIVE, v) } : { ok: true, text: StringCtor(v) };

/**
 * ToString(v): ToPrimitive with hint "string" (GetMethod(@@toPrimitive), called with "string";
 * else OrdinaryToPrimitive: toString, then valueOf), then ToString of the primitive.
 */
export function toText(io: TrapIo, v: unknown): Text {
  if (!isObject(v)) return done(v, io);
  const exotic: unknown = (v as { [k: symbol]: unknown })[SymbolToPrimitive];
  if (exotic !== undefined && exotic !== null) {
    if (typeof exotic !== 'function') return { ok: false, standIn: io.unconvertible(TEXT_BAD_HINT_METHOD, exotic) };
    const r: unknown = apply(exotic, v, ['string']);
    return isObject(r) ? { ok: false, standIn: io.unconvertible(TEXT_NO_PRIMITIVE, r) } : done(r, io);
  }
  const toString: unknown = (v as { toString?: unknown }).toString;
  if (typeof toString === 'function') {
    const r: unknown = apply(toString, v, []);
    if (!isObject(r)) return done(r, io);
  }
  const valueOf: unknown = (v as { valueOf?: unknown }).valueOf;
  if (typeof valueOf === 'function') {
    const r: unknown = apply(valueOf, v, []);
    if (!isObject(r)) return done(r, io);
  }
  return { ok: false, standIn: io.unconvertible(TEXT_NO_PRIMITIVE, v) };
}

// The language built-ins that the trap bodies (traps.ts) and the argument conversion
// (protocols.ts) use, saved when their bundle starts. Those two modules run in two places: in the
// page hook (builtins.ts re-exports these, first of all, before any page script) and, in Firefox,
// in the relay's isolated world (src/content/hidden-traps.ts), whose built-ins no page can reach.
// Nothing here touches the DOM, so the isolated bundle carries none of the hook's DOM getters.

const R = Reflect;
export const apply = R.apply;
export const construct = R.construct;
export const StringCtor = String;
export const strSlice = String.prototype.slice;
export const SymbolIterator: typeof Symbol.iterator = Symbol.iterator;
export const SymbolToPrimitive: typeof Symbol.toPrimitive = Symbol.toPrimitive;

/** An ECMAScript Object (functions included): what a conversion may run page code on. */
export const isObject = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

/**
 * `[a, b, ...rest]` without the spread: spreading an array runs %ArrayIteratorPrototype%.next,
 * which a page can replace in the hook's realm (the page's own).
 */
export function withTwo(a: unknown, b: unknown, rest: ArrayLike<unknown>): unknown[] {
  const out: unknown[] = [a, b];
  for (let i = 0; i < rest.length; i++) out[i + 2] = rest[i];
  return out;
}

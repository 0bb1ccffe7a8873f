// What a trap body (traps.ts) takes from the realm that runs it: the page hook's own (hidden.ts)
// or, in Firefox, the relay's isolated world (src/content/hidden-traps.ts).
export interface TrapIo {
  /**
   * The page's own view of a value the trap was given. Firefox's isolated world gets the page's
   * objects behind Xray wrappers, which hide what the page defined on them (its own toString,
   * iterator, subclass prototype): unwrapped there before anything reads them; elsewhere the value.
   * Not on the common send path: each unwrap costs a wrapper (docs/firefox.md).
   */
  waive: (x: unknown) => any;
  /** Reflect.apply and Reflect.construct of the realm running the trap. */
  apply: (fn: any, self: unknown, args: ArrayLike<unknown>) => unknown;
  construct: (fn: any, args: ArrayLike<unknown>, newTarget?: any) => unknown;
  /**
   * An object of the page's realm that the native cannot convert to text, failing as the page's
   * value did (to-text.ts): its Symbol.toPrimitive is `bad` (TEXT_BAD_HINT_METHOD), or returns
   * `bad`, an object or a symbol (TEXT_NO_PRIMITIVE).
   */
  unconvertible: (kind: number, bad: unknown) => object;
  /**
   * An iterable of the page's realm over `items`, made of own data properties only (protocols.ts);
   * with a fault, one that fails at that step with `bad` (ITER_*), so that the native throws.
   */
  iterable: (fault: number, bad: unknown, ...items: unknown[]) => object;
  /** Removes our frames from an error on its way to the page, where the engine lets us (stacks.ts). */
  hide: (err: unknown) => void;
}

/** What `TrapIo.iterable` makes: a working iterable, or one whose @@iterator is `bad`, returns `bad`, has `bad` as its `next`, or whose `next` returns `bad` after the items. */
export const ITER_OK = 0;
export const ITER_BAD_METHOD = 1;
export const ITER_BAD_ITERATOR = 2;
export const ITER_BAD_NEXT = 3;
export const ITER_BAD_RESULT = 4;

/** What `TrapIo.unconvertible` makes (to-text.ts). */
export const TEXT_BAD_HINT_METHOD = 0;
export const TEXT_NO_PRIMITIVE = 1;

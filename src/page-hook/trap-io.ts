// What a trap body (traps.ts) takes from the realm that runs it: the page hook's own (hidden.ts)
// or, in Firefox, the relay's isolated world (src/content/hidden-traps.ts).
export interface TrapIo {
  /** Reflect.apply and Reflect.construct of the realm running the trap. */
  apply: (fn: any, self: unknown, args: ArrayLike<unknown>) => unknown;
  construct: (fn: any, args: ArrayLike<unknown>, newTarget?: any) => unknown;
  /** A TypeError of the page's realm, for a conversion we do in the browser's place (protocols.ts). */
  typeError: (message: string) => unknown;
  /** An iterable of the page's realm over its arguments, made of own data properties only (protocols.ts). */
  iterable: (...items: unknown[]) => object;
  /** Removes our frames from an error on its way to the page, where the engine lets us (stacks.ts). */
  hide: (err: unknown) => void;
}

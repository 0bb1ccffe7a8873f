// Where the traps run (traps.ts): in Firefox, the relay's isolated world offers to run them there,
// where SpiderMonkey keeps their frames out of every stack the page reads (docs/firefox.md); else,
// and in Chromium, here, with `LOCAL`, where stacks.ts takes our frames out of V8's stacks.
import { channelFor } from '../core/wire/channel.ts';
import { apply, construct, createNull, fnBind, CustomEventCtor, dispatch, ObjectDefine, SymbolIterator, SymbolToPrimitive, type AnyFn } from './builtins.ts';
import { hideOurFrames } from './stacks.ts';
import { ITER_BAD_ITERATOR, ITER_BAD_METHOD, ITER_BAD_NEXT, ITER_BAD_RESULT, TEXT_BAD_HINT_METHOD, type TrapIo } from './trap-io.ts';

/**
 * An iterable over `items` made only of own data properties, of this (the page's) realm; with a
 * fault, one that fails at that step with `bad`, for the native to refuse (protocols.ts).
 */
function ownIterableOf(fault: number, bad: unknown, ...items: unknown[]): object {
  let i = 0;
  const iterator = {
    next: fault === ITER_BAD_NEXT ? bad : () => {
      if (fault === ITER_BAD_RESULT && i >= items.length) return bad;
      const r = { done: i >= items.length, value: undefined as unknown };
      if (!r.done) r.value = items[i++];
      return r;
    },
  };
  const iterable = {};
  const method = fault === ITER_BAD_METHOD ? bad : fault === ITER_BAD_ITERATOR ? () => bad : () => iterator;
  ObjectDefine(iterable, SymbolIterator, { value: method, writable: true, enumerable: false, configurable: true });
  return iterable;
}

/**
 * An object the native cannot turn into text, failing as the page's value did (to-text.ts). No
 * prototype, so no Symbol.toPrimitive a page put on Object.prototype is found. With no primitive,
 * toString and valueOf each return an object (the engine's OrdinaryToPrimitive path: Firefox then
 * words the error as for a plain object, "can't convert Object to string"); with a symbol,
 * toString returns it and the native's ToString of it throws.
 */
function unconvertible(kind: number, bad: unknown): object {
  const standIn = createNull(null) as Record<string | symbol, unknown>;
  const own = (key: string | symbol, value: unknown) => ObjectDefine(standIn, key, { value, writable: true, enumerable: false, configurable: true });
  if (kind === TEXT_BAD_HINT_METHOD) own(SymbolToPrimitive, bad);
  else if (typeof bad === 'symbol') own('toString', () => bad);
  else {
    own('toString', () => standIn);
    own('valueOf', () => standIn);
  }
  return standIn;
}

export const LOCAL: TrapIo = { waive: (x) => x, apply, construct, unconvertible, iterable: ownIterableOf, hide: hideOurFrames };

export type TrapKind = 'construct' | 'send' | 'close' | 'pass';

type Maker = (kind: TrapKind, hooks: object) => unknown;
/** The isolated world's trap maker, once it answered. */
let maker: Maker | undefined;

/**
 * Asks this window's isolated world for its trap maker. Firefox's relay answers synchronously,
 * inside this dispatch, when it started before us (content scripts run in the manifest's order,
 * the relay's first: measured on Firefox ESR). Chromium's relay never answers (it has no
 * `exportFunction`), nor does a relay that started after us: then the traps run here.
 */
export function askForHiddenTraps(): void {
  const detail = createNull(null) as { accept?: AnyFn; iterable?: AnyFn; unconvertible?: AnyFn };
  detail.accept = (fn: unknown) => {
    if (maker === undefined && typeof fn === 'function') maker = fn as Maker;
  };
  detail.iterable = ownIterableOf;
  detail.unconvertible = unconvertible;
  // Every member of the CustomEventInit given: reading it finds nothing on Object.prototype.
  const init: CustomEventInit = { bubbles: false, cancelable: false, composed: false, detail };
  try {
    apply(dispatch, window, [new CustomEventCtor(channelFor(__SA_CHANNEL__).traps, init)]);
  } catch {
    // no isolated world to ask: the traps run here
  }
  detail.accept = undefined;
}

/**
 * A Proxy trap calling `body` with `hooks`: the isolated world's when it answered, else one of
 * this realm. `hooks` has every member its interface names as its own, so no read of one (from
 * either world) goes on to Object.prototype, where a page could have put a getter; and it stays
 * an ordinary object, whose members V8 reads fast on every send().
 */
export function trapFor<H extends object>(kind: TrapKind, h: H, body: (io: TrapIo, h: H, ...rest: any[]) => unknown): AnyFn {
  if (maker !== undefined) {
    try {
      const fn = maker(kind, h);
      if (typeof fn === 'function') return fn as AnyFn;
    } catch {
      // the isolated world failed: the trap runs here
    }
  }
  // Bound rather than wrapped in an arrow: V8 gives a bound function no frame of its own, and
  // every frame of ours in a stack is one fewer of the page's (Error.stackTraceLimit, 10).
  return apply(fnBind, body, [undefined, LOCAL, h]) as AnyFn;
}

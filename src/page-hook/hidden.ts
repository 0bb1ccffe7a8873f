// Where the traps run (traps.ts): in Firefox, the relay's isolated world offers to run them there,
// where SpiderMonkey keeps their frames out of every stack the page reads (docs/firefox.md); else,
// and in Chromium, here, with `LOCAL`, where stacks.ts takes our frames out of V8's stacks.
import { channelFor } from '../core/wire/channel.ts';
import { apply, construct, createNull, CustomEventCtor, dispatch, ObjectDefine, ObjectKeys, SymbolIterator, TypeErrorCtor, type AnyFn } from './builtins.ts';
import { hideOurFrames } from './stacks.ts';
import type { TrapIo } from './traps.ts';

/** An iterable over `items` made only of own data properties, of this (the page's) realm. */
function ownIterableOf(...items: unknown[]): object {
  let i = 0;
  const iterator = {
    next: () => {
      const r = { done: i >= items.length, value: undefined as unknown };
      if (!r.done) r.value = items[i++];
      return r;
    },
  };
  const iterable = {};
  ObjectDefine(iterable, SymbolIterator, { value: () => iterator, writable: true, enumerable: false, configurable: true });
  return iterable;
}

export const LOCAL: TrapIo = {
  apply,
  construct,
  typeError: (message) => new TypeErrorCtor(message),
  iterable: ownIterableOf,
  hide: hideOurFrames,
};

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
  const detail = createNull(null) as { accept?: AnyFn; iterable?: AnyFn };
  detail.accept = (fn: unknown) => {
    if (maker === undefined && typeof fn === 'function') maker = fn as Maker;
  };
  detail.iterable = ownIterableOf;
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
 * this realm. The hooks are given as an object without a prototype, so that a member read from
 * the other world can never reach a page-made getter.
 */
export function trapFor<H extends object>(kind: TrapKind, hooks: H, body: (io: TrapIo, h: H, ...rest: any[]) => unknown): AnyFn {
  const h = createNull(null) as H;
  const keys = ObjectKeys(hooks) as Array<keyof H>;
  for (let i = 0; i < keys.length; i++) h[keys[i]!] = hooks[keys[i]!];
  if (maker !== undefined) {
    try {
      const fn = maker(kind, h);
      if (typeof fn === 'function') return fn as AnyFn;
    } catch {
      // the isolated world failed: the trap runs here
    }
  }
  return (a: unknown, b: unknown, c: unknown) => body(LOCAL, h, a, b, c);
}

// Firefox only: runs the page hook's traps (page-hook/traps.ts) in this isolated world, so that
// their frames are in no stack the page reads.
//
// An error takes its stack where it is made; SpiderMonkey leaves out of a stack, as it is read,
// every frame whose principal the reader's does not subsume. A content script's frames run with an
// expanded principal (the page's and the extension's), which the page's does not subsume, so a
// DOMException the native throws, or the page's own error from its toString, reads in the page as
// if the page had called the native itself. The hook's MAIN-world frames are the page's principal
// and show as "<fn>@<anonymous code>:L:C" (measured on Firefox ESR, docs/firefox.md). Chromium has
// no `exportFunction`, and there the hook keeps its traps (page-hook/hidden.ts).
//
// The hook asks once, as it starts, with a `traps` event of the private channel whose detail holds
// its `accept` and the makers of page-realm objects (TrapIo); we answer with a maker of exported
// traps. Each exported trap unwraps what the page gave it (Xray vision would hide the page's own
// toString and iterator, which the browser's conversion runs) and runs the shared body, calling
// the hook's hooks across the worlds: they get the page's own objects back and primitives, never
// an object of this world (the page world would see an opaque wrapper of it).
import { closeTrap, constructTrap, passTrap, sendTrap, type TrapIo } from '../page-hook/traps.ts';

interface FirefoxContentScriptGlobals {
  exportFunction: (fn: (...args: any[]) => unknown, scope: object, options?: object) => (...args: any[]) => unknown;
  XPCNativeWrapper: { unwrap: <T>(x: T) => T };
}

type Kind = 'construct' | 'send' | 'close' | 'pass';
type Body = (io: TrapIo, h: any, a: any, b: any, c: any) => unknown;
const BODIES: Record<Kind, Body> = { construct: constructTrap, send: sendTrap, close: closeTrap, pass: passTrap };

/**
 * Listens for the hook's one question on `eventName` (does nothing outside Firefox). Returns what
 * stops listening: the relay calls it once it has heard from the hook, which asks before anything
 * else it sends, so that a later event of that name (a page's, which could only have learnt the
 * name from our published code) is never answered.
 */
export function offerHiddenTraps(eventName: string): () => void {
  const stop = () => window.removeEventListener(eventName, onAsk, true);
  const g = globalThis as unknown as Partial<FirefoxContentScriptGlobals>;
  if (__SA_HOOK_TRAPS__ || typeof g.exportFunction !== 'function' || typeof g.XPCNativeWrapper?.unwrap !== 'function') return stop;
  const exportFunction = g.exportFunction;
  const unwrapXray = g.XPCNativeWrapper.unwrap;
  const unwrap = (x: unknown): unknown => ((typeof x === 'object' && x !== null) || typeof x === 'function' ? unwrapXray(x) : x);

  function onAsk(e: Event): void {
    stop();
    const detail = unwrap((e as CustomEvent<unknown>).detail) as { accept?: unknown; iterable?: unknown; unconvertible?: unknown } | null;
    if (!detail || typeof detail.accept !== 'function' || typeof detail.iterable !== 'function' || typeof detail.unconvertible !== 'function') return;
    const io: TrapIo = {
      waive: unwrap,
      apply: Reflect.apply,
      construct: Reflect.construct,
      unconvertible: detail.unconvertible as TrapIo['unconvertible'],
      iterable: detail.iterable as TrapIo['iterable'],
      // Nothing to take out: our frames here are not in the page's view of any stack.
      hide: () => undefined,
    };
    const make = (kind: unknown, hooks: unknown): unknown => {
      const body = typeof kind === 'string' && Object.prototype.hasOwnProperty.call(BODIES, kind) ? BODIES[kind as Kind] : undefined;
      const h = unwrap(hooks);
      if (!body || typeof h !== 'object' || h === null) return undefined;
      // The hook's functions, read once into an object of this world: a read through the waiver
      // on every call would cost a wrapper each time. They are called with this object as `this`,
      // which none of them reads.
      const local: Record<string, unknown> = {};
      for (const key of Object.keys(h)) local[key] = (h as Record<string, unknown>)[key];
      // What the page gave is passed on as it came (Xrays): each body unwraps what it reads (io.waive).
      return exportFunction((a: unknown, b: unknown, c: unknown) => body(io, local, a, b, c), window);
    };
    (detail.accept as (fn: unknown) => void)(exportFunction(make, window));
  }
  window.addEventListener(eventName, onAsk, true);
  return stop;
}

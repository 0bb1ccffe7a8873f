// The isolated world's offer of traps (src/content/hidden-traps.ts) with stand-ins for Firefox's
// content-script globals (exportFunction, XPCNativeWrapper) and a window: who gets answered, when,
// and what the exported traps run. Whether SpiderMonkey then hides their frames is measured in
// Firefox (e2e-firefox/transparency.spec.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offerHiddenTraps } from '../src/content/hidden-traps.ts';
import { SEND_GO } from '../src/page-hook/traps.ts';

const g = globalThis as Record<string, unknown>;

/** Node's EventTarget ignores a boolean `capture` in removeEventListener (browsers take it, DOM Standard "flatten"): the stand-in window passes it as an options object. */
class StandInWindow extends EventTarget {
  override addEventListener(type: string, fn: EventListenerOrEventListenerObject | null, opts?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, fn, typeof opts === 'boolean' ? { capture: opts } : opts);
  }
  override removeEventListener(type: string, fn: EventListenerOrEventListenerObject | null, opts?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, fn, typeof opts === 'boolean' ? { capture: opts } : opts);
  }
}
const ASK = 'sa-test:t';

function ask(): unknown {
  let got: unknown;
  const detail = { accept: (fn: unknown) => (got = fn), iterable: (...items: unknown[]) => items, unconvertible: () => ({}) };
  (g.window as EventTarget).dispatchEvent(new CustomEvent(ASK, { detail }));
  return got;
}

describe('offerHiddenTraps', () => {
  let exported: unknown[];
  beforeEach(() => {
    vi.stubGlobal('__SA_HOOK_TRAPS__', false);
    exported = [];
    g.window = new StandInWindow();
  });
  afterEach(() => {
    delete g.window;
    delete g.exportFunction;
    delete g.XPCNativeWrapper;
  });
  const asFirefox = () => {
    g.exportFunction = (fn: unknown) => (exported.push(fn), fn);
    g.XPCNativeWrapper = { unwrap: (x: unknown) => x };
  };

  it('outside Firefox answers nothing', () => {
    offerHiddenTraps(ASK);
    expect(ask()).toBeUndefined();
  });

  it('answers the first ask only, with a maker of exported traps that run the shared bodies with the given hooks', () => {
    asFirefox();
    offerHiddenTraps(ASK);
    const make = ask() as (kind: string, hooks: object) => ((...a: unknown[]) => unknown) | undefined;
    expect(typeof make).toBe('function');
    expect(ask()).toBeUndefined();
    const log: unknown[] = [];
    const trap = make('send', {
      fast: () => false,
      rec: () => ({}),
      asText: () => true,
      gate: () => SEND_GO,
      sent: (_r: unknown, _s: unknown, v: unknown) => log.push(v),
    })!;
    expect(exported).toContain(trap);
    const self = { out: [] as unknown[] };
    trap(function (this: typeof self, v: unknown) { this.out.push(v); }, self, [{ toString: () => 'text' }]);
    expect(self.out).toEqual(['text']);
    expect(log).toEqual(['text']);
    expect(make('nonsense', {})).toBeUndefined();
    expect(make('send', null as unknown as object)).toBeUndefined();
  });

  it('answers nobody once stopped (the relay heard from the hook first)', () => {
    asFirefox();
    const stop = offerHiddenTraps(ASK);
    stop();
    expect(ask()).toBeUndefined();
  });
});

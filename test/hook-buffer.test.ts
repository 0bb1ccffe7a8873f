// The page hook's own buffer, held until the relay says it listens: bounded in events and bytes.
// builtins.ts saves a few browser interfaces when it loads; Node lacks them, so the test gives
// it stand-ins with the getters it takes, and a window that is a plain EventTarget.
import { beforeAll, describe, expect, it } from 'vitest';
import { HOOK_BUFFER_BYTES, HOOK_BUFFER_MAX, PAYLOAD_CAP_BYTES } from '../src/core/wire/limits.ts';

const CH = 'sa-000000000000';
type Emit = typeof import('../src/page-hook/emit.ts');
let hook: Emit;

beforeAll(async () => {
  const g = globalThis as Record<string, unknown>;
  const withGetters = (names: string[]) => {
    const C = class {};
    for (const n of names) Object.defineProperty(C.prototype, n, { get: () => undefined, configurable: true });
    return C;
  };
  g.__SA_CHANNEL__ = CH;
  g.MessageEvent ??= withGetters(['data']);
  g.CloseEvent ??= withGetters(['code', 'reason', 'wasClean']);
  g.Document ??= withGetters(['hidden']);
  g.PageTransitionEvent ??= withGetters(['persisted']);
  g.window = Object.assign(new EventTarget(), { document: {} });
  hook = await import('../src/page-hook/emit.ts');
  hook.connectRelay(); // listens for the relay's answer (none yet)
});

describe('hook buffer before the relay listens', () => {
  it('drops, and counts, what goes over the byte bound; the rest arrives when the relay answers', () => {
    const win = (globalThis as unknown as { window: EventTarget }).window;
    const batches: Array<{ dropped?: number; c?: number; cols?: { d: string[] } }> = [];
    win.addEventListener(`${CH}:p`, (e) => batches.push(JSON.parse((e as CustomEvent<string>).detail)));
    const data = 'x'.repeat(PAYLOAD_CAP_BYTES);
    const each = 96 + data.length;
    const fit = Math.floor(HOOK_BUFFER_BYTES / each);
    const tried = fit + 50;
    expect(tried).toBeLessThan(HOOK_BUFFER_MAX); // the byte bound, not the count, is what bites
    for (let i = 0; i < tried; i++) hook.emitTraffic(1, i, i, data.length, 0, 0, 0, data);
    expect(batches).toHaveLength(0);
    win.dispatchEvent(new CustomEvent(`${CH}:r`)); // the relay: "I am listening"
    const held = batches.reduce((n, b) => n + (b.cols?.d.length ?? 0), 0);
    const dropped = batches.reduce((n, b) => n + (b.dropped ?? 0), 0);
    expect(held).toBeLessThanOrEqual(fit);
    expect(held).toBeGreaterThan(fit - 5); // a clock anchor may take a few bytes
    expect(held + dropped).toBe(tried);
  });
});

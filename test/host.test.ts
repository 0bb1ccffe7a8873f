// The panel host (src/panel/host.ts) on the port adapter's in-memory twin: what it sends the hub
// and when, across a stopped service worker, with `chrome` reduced to what the standalone viewer
// page uses (a `?tab=` in its URL, runtime.connect, permissions).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { PORT_PANEL, PROTOCOL_VERSION } from '../src/core/wire/protocol.ts';
import { MemoryRuntime } from '../src/messaging/memory.ts';
import { startHost } from '../src/panel/host.ts';
import { PanelStore } from '../src/panel/store.ts';

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

const runtime = new MemoryRuntime();
/** What the hub's end of each connection received, in order. */
const received = (i: number): unknown[] => runtime.ends[i]!.peer.posted;

beforeAll(() => {
  vi.useFakeTimers();
  vi.stubGlobal('__SA_DEBUG__', false);
  vi.stubGlobal('location', { search: '?tab=7' });
  vi.stubGlobal('navigator', { language: 'en' });
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener: () => undefined }));
  vi.stubGlobal('chrome', {
    runtime: { connect: ({ name }: { name: string }) => runtime.connect(name), lastError: undefined },
    permissions: { request: async () => true },
  });
});

afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('panel host', () => {
  it('subscribes at once; after the hub goes, reconnects 100 ms later and sends what the user did meanwhile, in order, after the new subscription', async () => {
    // A store whose renders never run: only its `connected` flag matters here.
    const store = new PanelStore(undefined, () => undefined);
    const host = startHost(store);
    expect(host.tabId).toBe(7);
    expect(runtime.ends.map((e) => e.name)).toEqual([PORT_PANEL]);
    expect(received(0)).toEqual([{ type: 'panel-subscribe', v: PROTOCOL_VERSION, tabId: 7, preserveLog: false }]);
    expect(store.connected).toBe(true);

    runtime.last!.disconnect(); // the service worker stopped
    await settle();
    expect(store.connected).toBe(false);
    host.send({ type: 'panel-preserve-log', on: true });
    host.send({ type: 'panel-clear' });
    await vi.advanceTimersByTimeAsync(99);
    expect(runtime.ends).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runtime.ends).toHaveLength(2);
    expect(store.connected).toBe(true);
    // The subscription carries the preference set while down; the queued messages follow it.
    expect(received(1)).toEqual([
      { type: 'panel-subscribe', v: PROTOCOL_VERSION, tabId: 7, preserveLog: true },
      { type: 'panel-preserve-log', on: true },
      { type: 'panel-clear' },
    ]);

    // Granting network access replaces the port at once with a fresh subscription.
    expect(await host.requestNetAccess()).toBe(true);
    expect(runtime.ends).toHaveLength(3);
    expect(runtime.ends[1]!.alive).toBe(false);
    expect(received(2)).toEqual([{ type: 'panel-subscribe', v: PROTOCOL_VERSION, tabId: 7, preserveLog: true }]);
    host.send({ type: 'panel-clear' });
    expect(received(2)).toHaveLength(2);
  });
});

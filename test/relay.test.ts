// The relay (src/content/relay.iife.ts) on the port adapter's in-memory twin: what it tells the
// hub and when, across a stopped service worker and a restore from the back/forward cache. The
// page is a bare EventTarget standing in for `window`; chrome.runtime.connect makes twin ports.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { BatchBuilder } from '../src/core/wire/page-batch.ts';
import { addEvent } from './helpers/page-batch.ts';
import { PORT_RELAY, PROTOCOL_VERSION } from '../src/core/wire/protocol.ts';
import { unpack } from '../src/core/wire/wire.ts';
import { MemoryRuntime } from '../src/messaging/memory.ts';

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

const runtime = new MemoryRuntime();
const page = new EventTarget();
/** What the hub's end of connection `i` received, unpacked (core/wire/wire.ts). */
const received = (i: number) => runtime.ends[i]!.peer.posted.map((m) => unpack(m, 'events') as Record<string, unknown>);

/** The page hook sends one batch with a hello and a socket's creation. */
function hookBatch(t: number): void {
  const b = new BatchBuilder();
  addEvent(b, { k: 'hello', t, timeOrigin: 1, url: 'https://app.example/', top: true });
  addEvent(b, { k: 'create', sid: 0, t, url: 'wss://app.example/feed', protocols: [] });
  page.dispatchEvent(new CustomEvent('sa-test:p', { detail: JSON.stringify(b.batch(PROTOCOL_VERSION, 0)) }));
}

beforeAll(async () => {
  vi.useFakeTimers();
  vi.stubGlobal('__SA_DEBUG__', false);
  vi.stubGlobal('__SA_CHANNEL__', 'sa-test');
  vi.stubGlobal('window', page);
  vi.stubGlobal('chrome', {
    runtime: { connect: ({ name }: { name: string }) => runtime.connect(name), sendMessage: () => undefined, lastError: undefined },
  });
  await import('../src/content/relay.iife.ts');
});

afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('relay', () => {
  it('says hello, replays its ring when watched, comes back 50 ms after the worker stops, and reconnects on a bfcache restore', async () => {
    expect(runtime.ends.map((e) => e.name)).toEqual([PORT_RELAY]);
    const [hello] = received(0);
    expect(hello).toMatchObject({ type: 'relay-hello', v: PROTOCOL_VERSION, replay: false });
    expect(hello).not.toHaveProperty('restored');
    const doc = hello!.doc;

    // Not watched: events stay in the ring.
    hookBatch(1);
    await settle();
    expect(received(0)).toHaveLength(1);

    // Watched: the ring is replayed, its last batch marked.
    runtime.last!.postMessage({ type: 'hub-watch', on: true });
    await settle();
    const replay = received(0).slice(1);
    expect(replay.map((m) => m.type)).toEqual(['relay-events', 'relay-events']);
    expect((replay[0]!.events as Array<{ seq: number }>).map((e) => e.seq)).toEqual([0, 1]);
    expect(replay[1]).toEqual({ type: 'relay-events', doc, events: [], drops: { malformed: 0, evicted: 0, hook: 0 }, replayed: true });

    // The worker stops: nothing is sent while down, and the new hello 50 ms later asks for a replay.
    runtime.last!.disconnect();
    await settle();
    hookBatch(2);
    await settle();
    await vi.advanceTimersByTimeAsync(49);
    expect(runtime.ends).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runtime.ends).toHaveLength(2);
    expect(received(1)).toEqual([{ type: 'relay-hello', v: PROTOCOL_VERSION, doc, replay: true }]);
    // Watched again: the whole ring, including what came while the port was down.
    runtime.last!.postMessage({ type: 'hub-watch', on: true });
    await settle();
    const events = received(1).flatMap((m) => (m.events as Array<{ seq: number }> | undefined) ?? []);
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);

    // Restored from the bfcache: the port died without a word (Chromium); pageshow reconnects now.
    runtime.last!.sever();
    page.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(runtime.ends).toHaveLength(3);
    expect(received(2)).toEqual([{ type: 'relay-hello', v: PROTOCOL_VERSION, doc, replay: true, restored: true }]);
    // No stray reconnect follows.
    await vi.advanceTimersByTimeAsync(500);
    expect(runtime.ends).toHaveLength(3);
  });

  it('a port found dead by a failed post is treated as a disconnect: back 50 ms later, not left dead until a pageshow', async () => {
    // (Before the port adapter the relay dropped such a port and waited for a pageshow that,
    // outside the bfcache, never comes; the adapter reports it as the disconnect it is.)
    const n = runtime.ends.length;
    runtime.last!.postMessage({ type: 'hub-watch', on: true });
    await settle();
    runtime.last!.sever();
    expect(() => hookBatch(3)).not.toThrow();
    await settle();
    await vi.advanceTimersByTimeAsync(50);
    expect(runtime.ends).toHaveLength(n + 1);
    expect(received(n)).toMatchObject([{ type: 'relay-hello', replay: true }]);
  });
});

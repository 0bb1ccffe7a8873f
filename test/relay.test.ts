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

/** The relay's runtime.onMessage listener (the hub's wake comes through it). */
let onMessage: ((msg: unknown, sender: chrome.runtime.MessageSender, reply: (r: unknown) => void) => boolean) | undefined;
const EXT_ID = 'ours';
/** The hub's tabs.sendMessage wake, from `sender`; returns what the relay answered. */
function wake(sender: chrome.runtime.MessageSender = { id: EXT_ID }, msg: unknown = { type: 'hub-watch', v: PROTOCOL_VERSION, on: true }): unknown {
  let answer: unknown;
  onMessage!(msg, sender, (r) => (answer = r));
  return answer;
}

beforeAll(async () => {
  vi.useFakeTimers();
  vi.stubGlobal('__SA_DEBUG__', false);
  vi.stubGlobal('__SA_CHANNEL__', 'sa-test');
  vi.stubGlobal('__SA_HOOK_TRAPS__', false);
  vi.stubGlobal('window', page);
  vi.stubGlobal('chrome', {
    runtime: {
      id: EXT_ID,
      connect: ({ name }: { name: string }) => runtime.connect(name),
      sendMessage: () => undefined,
      lastError: undefined,
      onMessage: { addListener: (fn: typeof onMessage) => (onMessage = fn) },
    },
  });
  await import('../src/content/relay.iife.ts');
});

afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('relay', () => {
  it('opens no port at load, nor for a wake that is not from our background; connects when the hub wakes it', async () => {
    hookBatch(0);
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runtime.ends).toHaveLength(0);
    // From a content script of ours in some tab, from another extension, or malformed: ignored.
    expect(wake({ id: EXT_ID, tab: { id: 1 } as chrome.tabs.Tab })).toBeUndefined();
    expect(wake({ id: 'other' })).toBeUndefined();
    expect(wake({ id: EXT_ID }, { type: 'hub-watch', on: true })).toBeUndefined();
    expect(runtime.ends).toHaveLength(0);
    expect(wake()).toBe(true);
    expect(runtime.ends.map((e) => e.name)).toEqual([PORT_RELAY]);
    // A second wake while connected opens nothing more.
    expect(wake()).toBe(true);
    expect(runtime.ends).toHaveLength(1);
  });

  it('says hello, replays its ring when watched, comes back 50 ms after the worker stops, and reconnects on a bfcache restore', async () => {
    const [hello] = received(0);
    expect(hello).toMatchObject({ type: 'relay-hello', v: PROTOCOL_VERSION, replay: false });
    expect(typeof hello!.born).toBe('number');
    expect(hello).not.toHaveProperty('restored');
    const doc = hello!.doc;

    // Not watched: events stay in the ring.
    hookBatch(1);
    await settle();
    expect(received(0)).toHaveLength(1);

    // Watched: the ring is replayed (what came before the port too), its last batch marked.
    runtime.last!.postMessage({ type: 'hub-watch', on: true });
    await settle();
    const replay = received(0).slice(1);
    expect(replay.map((m) => m.type)).toEqual(['relay-events', 'relay-events']);
    expect((replay[0]!.events as Array<{ seq: number }>).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
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
    expect(received(1)).toEqual([{ type: 'relay-hello', v: PROTOCOL_VERSION, doc, replay: true, born: hello!.born }]);
    // Watched again: the whole ring, including what came while the port was down.
    runtime.last!.postMessage({ type: 'hub-watch', on: true });
    await settle();
    const events = received(1).flatMap((m) => (m.events as Array<{ seq: number }> | undefined) ?? []);
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);

    // Restored from the bfcache: the port died without a word (Chromium); pageshow reconnects now.
    runtime.last!.sever();
    page.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(runtime.ends).toHaveLength(3);
    expect(received(2)).toEqual([{ type: 'relay-hello', v: PROTOCOL_VERSION, doc, replay: true, born: hello!.born, restored: true }]);
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

  it('once no panel watches, a worker stop is not followed by a reconnect; the next wake connects again', async () => {
    runtime.last!.postMessage({ type: 'hub-watch', on: false });
    await settle();
    const n = runtime.ends.length;
    runtime.last!.disconnect(); // the worker's idle stop
    await settle();
    hookBatch(4);
    await settle();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runtime.ends).toHaveLength(n);
    expect(wake()).toBe(true);
    expect(runtime.ends).toHaveLength(n + 1);
    expect(received(n)).toMatchObject([{ type: 'relay-hello', replay: true }]);
  });
});

// The port adapter (src/messaging/port.ts) on its in-memory twin (src/messaging/memory.ts):
// the transport rules the relay, the panel host and the hub rely on, without a browser.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { dispatch, type Handlers } from '../src/messaging/handlers.ts';
import { MemoryRuntime, memoryPortPair, type MemoryPort } from '../src/messaging/memory.ts';
import { connectWithRetry, TypedPort, type RetryOptions } from '../src/messaging/port.ts';

type Msg = { type: 'hello'; n: number } | { type: 'note'; text: string } | { type: 'bye' };

/** Lets queued microtasks (message and disconnect delivery) run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** What the accepting end received, in order. */
function inbox(port: MemoryPort): unknown[] {
  const got: unknown[] = [];
  port.onMessage.addListener((m) => got.push(m));
  return got;
}

describe('TypedPort on the in-memory twin', () => {
  it('delivers a JSON copy: no object is shared, and what JSON drops is dropped', async () => {
    const { a, b } = memoryPortPair('p');
    const got = inbox(b);
    const port = new TypedPort<unknown, { list: number[]; when?: Date; gone?: undefined }>(a);
    const msg = { list: [1, 2], when: new Date(0), gone: undefined };
    expect(port.post(msg)).toBe(true);
    msg.list.push(3);
    await settle();
    expect(got).toEqual([{ list: [1, 2], when: '1970-01-01T00:00:00.000Z' }]);
    expect(got[0]).not.toBe(msg);
    expect('gone' in (got[0] as object)).toBe(false);
  });

  it('two listeners get two copies', async () => {
    const { a, b } = memoryPortPair('p');
    const first = inbox(b);
    const second = inbox(b);
    new TypedPort<unknown, { x: number[] }>(a).post({ x: [1] });
    await settle();
    expect(first[0]).toEqual(second[0]);
    expect(first[0]).not.toBe(second[0]);
  });

  it('a post on a dead port returns false instead of throwing, and the port stays dead', async () => {
    const { a, b } = memoryPortPair('p');
    const got = inbox(b);
    const port = new TypedPort<unknown, string>(a);
    a.sever();
    expect(() => a.postMessage('raw')).toThrow('Attempting to use a disconnected port object');
    expect(port.post('x')).toBe(false);
    expect(port.open).toBe(false);
    await settle();
    expect(got).toEqual([]);
  });

  it('a message JSON cannot encode fails the post, not the caller', () => {
    const { a } = memoryPortPair('p');
    expect(new TypedPort<unknown, { n: bigint }>(a).post({ n: 1n })).toBe(false);
  });

  it('disconnect() tells the other side only, as Chrome does', async () => {
    const { a, b } = memoryPortPair('p');
    const mine = new TypedPort<unknown, string>(a);
    const theirs = new TypedPort<string, unknown>(b);
    const heard: string[] = [];
    mine.onDisconnect(() => heard.push('mine'));
    theirs.onDisconnect(() => heard.push('theirs'));
    mine.disconnect();
    await settle();
    expect(heard).toEqual(['theirs']);
    expect(mine.open).toBe(false);
    expect(theirs.open).toBe(false);
    expect(theirs.post('late')).toBe(false);
    // A second disconnect of a closed port is harmless.
    expect(() => mine.disconnect()).not.toThrow();
  });

  it('onDisconnect passes the browser\'s reason: runtime.lastError (Chrome) or port.error (Firefox)', async () => {
    const chromeLike = { runtime: { lastError: undefined as { message: string } | undefined } };
    vi.stubGlobal('chrome', chromeLike);
    try {
      const one = memoryPortPair('p');
      const reasons: Array<string | undefined> = [];
      new TypedPort(one.a).onDisconnect((e) => reasons.push(e));
      chromeLike.runtime.lastError = { message: 'Could not establish connection. Receiving end does not exist.' };
      one.b.disconnect();
      await settle();
      chromeLike.runtime.lastError = undefined;
      const two = memoryPortPair('p');
      new TypedPort(two.a).onDisconnect((e) => reasons.push(e));
      two.a.error = { message: 'gone' };
      two.b.disconnect();
      await settle();
      expect(reasons).toEqual(['Could not establish connection. Receiving end does not exist.', 'gone']);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('connectWithRetry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A client on a MemoryRuntime; `log` records its callbacks, `received` what the hub end got. */
  function client(whileDown: 'queue' | 'drop', more: Partial<RetryOptions<Msg, Msg>> = {}) {
    const log: string[] = [];
    const received: unknown[][] = [];
    const runtime = new MemoryRuntime((end) => received.push(inbox(end)));
    let greetings = 0;
    const c = connectWithRetry<Msg, Msg>({
      name: 'test/port',
      delayMs: 50,
      whileDown,
      connect: runtime.connect,
      onConnect(port) {
        log.push('connect');
        port.post({ type: 'hello', n: ++greetings });
      },
      onMessage(raw) {
        log.push(`message ${JSON.stringify(raw)}`);
      },
      onDisconnect() {
        log.push('disconnect');
      },
      onGone() {
        log.push('gone');
      },
      ...more,
    });
    return { c, log, received, runtime };
  }

  it('connects at once, and after the other side goes, again after exactly its delay', async () => {
    const { c, log, runtime } = client('drop');
    expect(log).toEqual(['connect']);
    expect(runtime.ends).toHaveLength(1);
    expect(runtime.last!.name).toBe('test/port');
    runtime.last!.disconnect(); // the service worker stopped
    await settle();
    expect(log).toEqual(['connect', 'disconnect']);
    expect(c.connected).toBe(false);
    await vi.advanceTimersByTimeAsync(49);
    expect(runtime.ends).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runtime.ends).toHaveLength(2);
    expect(log).toEqual(['connect', 'disconnect', 'connect']);
    expect(c.connected).toBe(true);
  });

  it('keeps the delay each user had: the panel host\'s 100 ms', async () => {
    const { runtime } = client('queue', { delayMs: 100 });
    runtime.last!.disconnect();
    await settle();
    await vi.advanceTimersByTimeAsync(99);
    expect(runtime.ends).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runtime.ends).toHaveLength(2);
  });

  it('queue: messages posted while down go out in order after the greeting of the next port', async () => {
    const { c, received, runtime } = client('queue');
    runtime.last!.disconnect();
    await settle();
    expect(c.post({ type: 'note', text: 'one' })).toBe(false);
    expect(c.post({ type: 'note', text: 'two' })).toBe(false);
    expect(c.post({ type: 'bye' })).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await settle();
    expect(received[1]).toEqual([{ type: 'hello', n: 2 }, { type: 'note', text: 'one' }, { type: 'note', text: 'two' }, { type: 'bye' }]);
    // Sent once: a later reconnect does not send them again.
    runtime.last!.disconnect();
    await settle();
    await vi.advanceTimersByTimeAsync(50);
    await settle();
    expect(received[2]).toEqual([{ type: 'hello', n: 3 }]);
  });

  it('drop: messages posted while down are gone (the relay replays its ring instead)', async () => {
    const { c, received, runtime } = client('drop');
    runtime.last!.disconnect();
    await settle();
    expect(c.post({ type: 'note', text: 'lost' })).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await settle();
    expect(received[1]).toEqual([{ type: 'hello', n: 2 }]);
  });

  it('a post on a port that died silently is a disconnect, not a throw, and the client comes back', async () => {
    const { c, log, received, runtime } = client('queue');
    runtime.last!.sever(); // e.g. a document restored from the bfcache: no onDisconnect ever
    let sent: boolean | undefined;
    expect(() => (sent = c.post({ type: 'note', text: 'after death' }))).not.toThrow();
    expect(sent).toBe(false);
    expect(log).toEqual(['connect', 'disconnect']);
    expect(c.connected).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await settle();
    expect(log).toEqual(['connect', 'disconnect', 'connect']);
    // The message that failed was queued, not lost.
    expect(received[1]).toEqual([{ type: 'hello', n: 2 }, { type: 'note', text: 'after death' }]);
  });

  it('a greeting that fails counts as a disconnect too', async () => {
    let refuseNext = true;
    const runtime = new MemoryRuntime((end) => {
      if (refuseNext) end.sever();
      refuseNext = false;
    });
    const log: string[] = [];
    connectWithRetry<Msg, Msg>({
      name: 'test/port',
      delayMs: 50,
      whileDown: 'drop',
      connect: runtime.connect,
      onConnect: (port) => void log.push(`greeted ${port.post({ type: 'hello', n: 0 })}`),
      onMessage: () => undefined,
      onDisconnect: () => void log.push('disconnect'),
    });
    expect(log).toEqual(['greeted false', 'disconnect']);
    await vi.advanceTimersByTimeAsync(50);
    expect(log).toEqual(['greeted false', 'disconnect', 'greeted true']);
  });

  it('one disconnect per port: a failed post and the port\'s own onDisconnect are reported once', async () => {
    const { c, log, runtime } = client('drop');
    const end = runtime.last!;
    end.disconnect();
    // Before the disconnect is delivered, a post fails on the now-dead port.
    c.post({ type: 'bye' });
    await settle();
    expect(log.filter((l) => l === 'disconnect')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(runtime.ends).toHaveLength(2);
  });

  it('delivers messages of the current port only, unvalidated, as the other side sent them', async () => {
    const { c, log, runtime } = client('drop');
    const old = runtime.last!;
    old.postMessage({ type: 'anything', extra: [1] });
    await settle();
    c.reconnect();
    // The replaced port's other end is told; our side reports no disconnect for a port it dropped.
    await settle();
    expect(old.alive).toBe(false);
    runtime.last!.postMessage('from the new port');
    await settle();
    expect(log).toEqual(['connect', 'message {"type":"anything","extra":[1]}', 'connect', 'message "from the new port"']);
  });

  it('ignores a replaced port even if the browser still delivers on it', () => {
    // A port whose listeners a test calls directly: nothing in the transport stops them.
    const made: Array<{ msg: (m: unknown) => void; gone: () => void }> = [];
    const leaky = (name: string) => {
      const l = { msg: (_m: unknown) => undefined as void, gone: () => undefined as void };
      made.push(l);
      return {
        name,
        postMessage: () => undefined,
        disconnect: () => undefined,
        onMessage: { addListener: (fn: (m: unknown) => void) => void (l.msg = fn) },
        onDisconnect: { addListener: (fn: () => void) => void (l.gone = fn) },
      };
    };
    const log: string[] = [];
    const c = connectWithRetry<Msg, Msg>({
      name: 'test/port',
      delayMs: 50,
      whileDown: 'drop',
      connect: leaky,
      onConnect: () => void log.push('connect'),
      onMessage: (raw) => void log.push(`message ${String(raw)}`),
      onDisconnect: () => void log.push('disconnect'),
    });
    c.reconnect();
    made[0]!.msg('stale');
    made[0]!.gone();
    made[1]!.msg('fresh');
    expect(log).toEqual(['connect', 'connect', 'message fresh']);
    expect(c.connected).toBe(true);
  });

  it('reconnect() replaces the port at once and cancels a pending retry', async () => {
    const { c, runtime } = client('drop');
    runtime.last!.disconnect();
    await settle();
    c.reconnect();
    expect(runtime.ends).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(runtime.ends).toHaveLength(2);
  });

  it('a connect that throws (extension context invalidated) stops the client for good', async () => {
    const { c, log, runtime } = client('queue');
    runtime.refuse = new Error('Extension context invalidated.');
    runtime.last!.disconnect();
    await settle();
    await vi.advanceTimersByTimeAsync(50);
    expect(log).toEqual(['connect', 'disconnect', 'gone']);
    expect(c.post({ type: 'bye' })).toBe(false);
    runtime.refuse = undefined;
    c.reconnect();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runtime.ends).toHaveLength(1);
  });

  it('retry() false: after a loss no port is reopened (no wake of a stopped worker) until reconnect()', async () => {
    let want = false;
    const { c, log, runtime } = client('drop', { retry: () => want });
    runtime.last!.disconnect(); // the service worker stopped while nobody watched
    await settle();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runtime.ends).toHaveLength(1);
    expect(c.connected).toBe(false);
    want = true;
    c.reconnect();
    expect(runtime.ends).toHaveLength(2);
    runtime.last!.disconnect();
    await settle();
    await vi.advanceTimersByTimeAsync(50);
    expect(runtime.ends).toHaveLength(3);
    expect(log).toEqual(['connect', 'disconnect', 'connect', 'disconnect', 'connect']);
  });

  it('close() disconnects and stops retrying', async () => {
    const { c, log, runtime } = client('queue');
    const end = runtime.last!;
    const heard: string[] = [];
    end.onDisconnect.addListener(() => heard.push('hub heard'));
    c.close();
    await settle();
    expect(heard).toEqual(['hub heard']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runtime.ends).toHaveLength(1);
    expect(log).toEqual(['connect']);
  });
});

describe('handler maps', () => {
  it('dispatches each message to the handler of its type, with the context', () => {
    const seen: string[] = [];
    const handlers: Handlers<Msg, { who: string }> = {
      hello: (msg, ctx) => void seen.push(`${ctx.who} hello ${msg.n}`),
      note: (msg, ctx) => void seen.push(`${ctx.who} note ${msg.text}`),
      bye: (_msg, ctx) => void seen.push(`${ctx.who} bye`),
    };
    const msgs: Msg[] = [{ type: 'note', text: 'x' }, { type: 'hello', n: 2 }, { type: 'bye' }];
    for (const m of msgs) dispatch(handlers, m, { who: 'p' });
    expect(seen).toEqual(['p note x', 'p hello 2', 'p bye']);
  });

  it('a message type without a handler does not compile', () => {
    // @ts-expect-error: 'bye' has no handler (tsc --noEmit checks this line)
    const missing: Handlers<Msg, null> = { hello: () => undefined, note: () => undefined };
    // @ts-expect-error: a handler gets its own message type only ('note' has no `n`)
    const wrong: Handlers<Msg, null> = { hello: () => undefined, note: (m) => void m.n, bye: () => undefined };
    expect([missing, wrong]).toHaveLength(2);
  });
});

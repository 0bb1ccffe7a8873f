import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyBackoff, endpointOf, findReconnectChains, RECONNECT_WINDOW_MS } from '../src/core/session/reconnect.ts';
import { analyse, Recorder, T0 } from './helpers/events.ts';
import { chainRecorder } from './helpers/scenarios.ts';

const S = 1000;

function chains(r: Recorder | Recorder[], nowT: number) {
  const a = analyse(r, nowT);
  return { a, chains: findReconnectChains(a.conns, { now: T0 + nowT }) };
}

describe('findReconnectChains', () => {
  it('lab-like exponential backoff with ±10 % jitter, then gives up', () => {
    // 200/400/800/1600 ms, each off by up to 10 %, as a jittered client would wait.
    const delays = [216, 372, 880, 1520];
    const { r, end } = chainRecorder(delays);
    const { chains: cs, a } = chains(r, end + RECONNECT_WINDOW_MS + 1);
    expect(cs).toHaveLength(1);
    const c = cs[0]!;
    expect(c.connectionIds).toEqual([1, 2, 3, 4, 5].map((sid) => a.conn(sid).id));
    expect(c.delaysMs).toEqual(delays);
    expect(c.attempts).toBe(4);
    expect(c.backoff).toBe('exponential');
    expect(c.factor).toBeGreaterThan(1.8);
    expect(c.factor).toBeLessThan(2.2);
    expect(c.jitter).toBe(true);
    expect(c.storm).toBe(false);
    expect(c.gaveUp).toBe(true);
    expect(c.endpoint).toBe('wss://api.example/socket');
  });

  it('exact doubling has no jitter', () => {
    const { r } = chainRecorder([200, 400, 800, 1600]);
    const c = chains(r, 400 * S).chains[0]!;
    expect(c.backoff).toBe('exponential');
    expect(c.factor).toBe(2);
    expect(c.jitter).toBe(false);
  });

  it('8 immediate retries are a storm', () => {
    const { r } = chainRecorder([3, 2, 4, 3, 3, 2, 5, 3]);
    const c = chains(r, 400 * S).chains[0]!;
    expect(c.attempts).toBe(8);
    expect(c.backoff).toBe('none');
    expect(c.storm).toBe(true);
  });

  it('a constant 500 ms retry loop is a storm too', () => {
    const { r } = chainRecorder([500, 500, 501, 499, 500, 500]);
    const c = chains(r, 400 * S).chains[0]!;
    expect(c.backoff).toBe('constant');
    expect(c.jitter).toBe(false);
    expect(c.storm).toBe(true);
  });

  it('fast but growing retries are not a storm', () => {
    const { r } = chainRecorder([50, 100, 200, 400, 800, 1600]);
    const c = chains(r, 400 * S).chains[0]!;
    expect(c.backoff).toBe('exponential');
    expect(c.storm).toBe(false);
  });

  it('has not given up while the window is still running', () => {
    const { r, end } = chainRecorder([200, 400]);
    expect(chains(r, end + 10 * S).chains[0]!.gaveUp).toBe(false);
  });

  it('has not given up when the last attempt succeeded and stays open', () => {
    const r = new Recorder().create(1, 0).open(1, 10).close(1, 1 * S, 1006).create(2, 1200).open(2, 1250);
    const c = chains(r, 400 * S).chains[0]!;
    expect(c.gaveUp).toBe(false);
    expect(c.delaysMs).toEqual([200]);
  });

  it('counts the delay from a close() call when the library replaces the socket before the close event', () => {
    // Phoenix gives up on a silent server with close(1000, "heartbeat timeout"): a failure, so a retry.
    const r = new Recorder()
      .create(1, 0)
      .open(1, 10)
      .closeCall(1, 5 * S, { code: 1000, reason: 'heartbeat timeout' })
      .create(2, 5 * S + 1)
      .close(1, 5 * S + 30, 1000, 'heartbeat timeout');
    const c = chains(r, 400 * S).chains[0]!;
    expect(c.delaysMs).toEqual([1]);
  });

  it('ignores the query (tokens, timestamps) but not the path', () => {
    const r = new Recorder()
      .create(1, 0, 'wss://api.example/socket?token=a&t=1')
      .close(1, 100, 1006)
      .create(2, 300, 'wss://API.example:443/socket?token=b&t=2')
      .close(2, 400, 1006)
      .create(3, 600, 'wss://api.example/other')
      .close(3, 700, 1006);
    const { chains: cs, a } = chains(r, 400 * S);
    expect(cs).toHaveLength(1);
    expect(cs[0]!.connectionIds).toEqual([a.conn(1).id, a.conn(2).id]);
  });

  it('does not link sockets of different documents (a reload is a first attempt)', () => {
    const r1 = new Recorder('doc-11111111').create(1, 0).open(1, 10).page(1 * S, 'pagehide');
    const r2 = new Recorder('doc-22222222', T0 + 1100).create(1, 10).open(1, 20);
    expect(chains([r1, r2], 400 * S).chains).toEqual([]);
  });

  it('does not link beyond the window, nor a parallel live socket', () => {
    const late = new Recorder().create(1, 0).close(1, 100, 1006).create(2, 100 + RECONNECT_WINDOW_MS + 1);
    expect(chains(late, 400 * S).chains).toEqual([]);
    const parallel = new Recorder().create(1, 0).open(1, 10).create(2, 20).open(2, 30);
    expect(chains(parallel, 400 * S).chains).toEqual([]);
  });

  it('a chain that ended with a clean 1000 did not give up', () => {
    const r = new Recorder().create(1, 0).close(1, 100, 1006).create(2, 300).open(2, 310).close(2, 2 * S, 1000);
    expect(chains(r, 400 * S).chains[0]!.gaveUp).toBe(false);
  });
});

describe('classifyBackoff', () => {
  it.each([
    [[], 'none'],
    [[0, 5, 10], 'none'],
    [[1000], 'constant'],
    [[1000, 1000, 1000], 'constant'],
    [[1000, 2000, 3000, 4000], 'linear'],
    [[1000, 2000, 4000, 8000], 'exponential'],
    [[500, 1000, 2000, 4000, 8000, 8000, 8000], 'exponential'],
    [[100, 5000, 300, 9000], 'irregular'],
  ] as const)('%j → %s', (delays, expected) => {
    expect(classifyBackoff(delays).backoff).toBe(expected);
  });

  it('detects jitter on a constant delay', () => {
    expect(classifyBackoff([1000, 1180, 870, 1090]).jitter).toBe(true);
    expect(classifyBackoff([1000, 1004, 998, 1002]).jitter).toBe(false);
  });

  it('never throws, and geometric sequences with factor ≥ 1.5 are exponential without jitter', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { maxLength: 30 }), (d) => {
        classifyBackoff(d);
      }),
    );
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 2000, noNaN: true }),
        fc.double({ min: 1.5, max: 3, noNaN: true }),
        fc.integer({ min: 2, max: 8 }),
        (first, factor, n) => {
          const d = Array.from({ length: n }, (_, i) => first * factor ** i);
          const fit = classifyBackoff(d);
          expect(fit.backoff).toBe('exponential');
          expect(fit.jitter).toBe(false);
        },
      ),
    );
  });
});

describe('endpointOf', () => {
  it('keeps scheme, host, path and the stable query; drops fragment and default port', () => {
    expect(endpointOf('wss://Example.com:443/a/b?x=1#y')).toBe('wss://example.com/a/b?x=1');
    expect(endpointOf('ws://example.com:8080')).toBe('ws://example.com:8080/');
    expect(endpointOf('/relative?q')).toBe('/relative?q');
  });

  it('tells endpoints apart by what they connect to, not by per-attempt values', () => {
    expect(endpointOf('wss://h/chat?room=lobby')).not.toBe(endpointOf('wss://h/chat?room=kitchen'));
    // Parameter order does not matter.
    expect(endpointOf('wss://h/chat?room=a&lang=en')).toBe(endpointOf('wss://h/chat?lang=en&room=a'));
    // Tokens, timestamps, session ids and cache busters change on every attempt.
    expect(endpointOf('wss://h/chat?room=a&token=abc')).toBe('wss://h/chat?room=a');
    expect(endpointOf('wss://h/chat?room=a&_=1732520000000')).toBe('wss://h/chat?room=a');
    expect(endpointOf('wss://h/chat?room=a&x=1732520000000')).toBe('wss://h/chat?room=a');
    expect(endpointOf('wss://h/chat?room=a&auth=eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl')).toBe('wss://h/chat?room=a');
    expect(endpointOf('wss://h/socket.io/?EIO=4&transport=websocket&sid=Zx9AbCdEfGhIjKlM')).toBe('wss://h/socket.io/?EIO=4&transport=websocket');
  });
});

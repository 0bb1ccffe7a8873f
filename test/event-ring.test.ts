import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { EventRing } from '../src/core/wire/event-ring.ts';
import type { HookEvent, SeqEvent } from '../src/core/wire/protocol.ts';

type Kind = 'send' | 'message' | 'payload' | 'create' | 'open' | 'close' | 'page' | 'error' | 'close-call' | 'hello';
const TRAFFIC = new Set<string>(['send', 'message', 'payload']);

function ev(kind: Kind): HookEvent {
  switch (kind) {
    case 'send':
      return { k: 'send', sid: 1, t: 0, n: 0, rs: 1, buffered: 0, bin: false, size: 1 };
    case 'message':
      return { k: 'message', sid: 1, t: 0, n: 0, bin: false, size: 1 };
    case 'payload':
      return { k: 'payload', sid: 1, n: 0, dir: 'message', data: '', trunc: false };
    case 'create':
      return { k: 'create', sid: 1, t: 0, url: 'wss://x/', protocols: [] };
    case 'open':
      return { k: 'open', sid: 1, t: 0, protocol: '', extensions: '' };
    case 'close':
      return { k: 'close', sid: 1, t: 0, code: 1000, reason: '', clean: true };
    case 'close-call':
      return { k: 'close-call', sid: 1, t: 0, rs: 1 };
    case 'error':
      return { k: 'error', sid: 1, t: 0, rs: 3 };
    case 'page':
      return { k: 'page', t: 0, what: 'hidden' };
    case 'hello':
      return { k: 'hello', t: 0, timeOrigin: 1, url: 'https://x/', top: true };
  }
}

const fill = (ring: EventRing, kinds: Kind[], firstSeq = 0): SeqEvent[] => {
  const pushed = kinds.map((k, i) => ({ seq: firstSeq + i, ev: ev(k) }));
  for (const e of pushed) ring.push(e);
  return pushed;
};

describe('EventRing', () => {
  it('keeps everything, in order, below its bound', () => {
    const ring = new EventRing(10);
    const pushed = fill(ring, ['create', 'open', 'send', 'message', 'close']);
    expect(ring.size).toBe(5);
    expect(ring.evicted).toBe(0);
    expect(ring.toArray()).toEqual(pushed);
  });

  it('evicts message traffic before lifecycle events', () => {
    const ring = new EventRing(8);
    const kinds: Kind[] = ['hello', 'create', 'open', 'send', 'message', 'payload', 'message', 'send', 'close', 'create'];
    fill(ring, kinds);
    expect(ring.size).toBeLessThanOrEqual(8);
    const kept = ring.toArray();
    // Every lifecycle event survives; the oldest traffic went first.
    for (const [i, k] of kinds.entries()) if (!TRAFFIC.has(k)) expect(kept.map((e) => e.seq)).toContain(i);
    const keptTraffic = kept.filter((e) => TRAFFIC.has(e.ev.k)).map((e) => e.seq);
    const allTraffic = kinds.flatMap((k, i) => (TRAFFIC.has(k) ? [i] : []));
    expect(keptTraffic).toEqual(allTraffic.slice(allTraffic.length - keptTraffic.length));
    expect(ring.evicted + ring.size).toBe(kinds.length);
  });

  it('a buffer of lifecycle events only gives up its oldest', () => {
    const ring = new EventRing(16);
    const kinds: Kind[] = Array.from({ length: 100 }, (_, i) => (['create', 'open', 'close'] as const)[i % 3]!);
    fill(ring, kinds);
    const kept = ring.toArray().map((e) => e.seq);
    expect(ring.evicted + ring.size).toBe(100);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 100 - kept.length + i));
  });

  it('toArray(afterSeq) returns only later events, oldest first', () => {
    const ring = new EventRing(100);
    fill(ring, ['create', 'open', 'send', 'message', 'close'], 10);
    expect(ring.toArray(12).map((e) => e.seq)).toEqual([13, 14]);
    expect(ring.toArray(14)).toEqual([]);
    expect(ring.toArray(-1).map((e) => e.seq)).toEqual([10, 11, 12, 13, 14]);
    expect(ring.toArray(3).map((e) => e.seq)).toEqual([10, 11, 12, 13, 14]);
    // A copy: mutating it does not change the ring.
    ring.toArray().pop();
    expect(ring.size).toBe(5);
  });

  it('clear empties it but keeps the eviction count', () => {
    const ring = new EventRing(4);
    fill(ring, ['send', 'send', 'send', 'send', 'send', 'send']);
    const evicted = ring.evicted;
    expect(evicted).toBeGreaterThan(0);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    expect(ring.evicted).toBe(evicted);
  });

  it('property: bound, exact counts, order, traffic first', () => {
    const kinds: Kind[] = ['send', 'message', 'payload', 'create', 'open', 'close', 'page', 'error', 'close-call', 'hello'];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.constantFrom(...kinds), { maxLength: 400 }), (max, seq) => {
        const ring = new EventRing(max);
        const pushed: SeqEvent[] = [];
        for (const [i, k] of seq.entries()) {
          const e = { seq: i, ev: ev(k) };
          pushed.push(e);
          const before = ring.toArray();
          ring.push(e);
          // Never above the bound after a push.
          expect(ring.size).toBeLessThanOrEqual(max);
          // Exact accounting.
          expect(ring.size + ring.evicted).toBe(i + 1);
          const after = ring.toArray();
          // Order kept.
          for (let j = 1; j < after.length; j++) expect(after[j]!.seq).toBeGreaterThan(after[j - 1]!.seq);
          // Whatever this push evicted: lifecycle only goes when no older traffic stays behind.
          const keptSeqs = new Set(after.map((x) => x.seq));
          const gone = [...before, e].filter((x) => !keptSeqs.has(x.seq));
          const goneLifecycle = gone.filter((x) => !TRAFFIC.has(x.ev.k));
          if (goneLifecycle.length) expect(after.some((x) => TRAFFIC.has(x.ev.k))).toBe(false);
          // Among traffic, the oldest go first; among lifecycle events too.
          const goneTraffic = gone.filter((x) => TRAFFIC.has(x.ev.k));
          const keptTraffic = after.filter((x) => TRAFFIC.has(x.ev.k));
          const keptLifecycle = after.filter((x) => !TRAFFIC.has(x.ev.k));
          if (goneLifecycle.length && keptLifecycle.length)
            expect(Math.max(...goneLifecycle.map((x) => x.seq))).toBeLessThan(keptLifecycle[0]!.seq);
          if (goneTraffic.length && keptTraffic.length) expect(Math.max(...goneTraffic.map((x) => x.seq))).toBeLessThan(keptTraffic[0]!.seq);
        }
        // Everything kept is something pushed, unchanged.
        for (const e of ring.toArray()) expect(pushed[e.seq]).toBe(e);
      }),
      { numRuns: 300 },
    );
  });
});

// core/wire/page-batch.ts: traffic travels hook → relay in columns; what the relay rebuilds must be
// exactly what the hook queued, and broken columns must fail loudly, never shift events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { checkEvent } from '../src/core/wire/event-check.ts';
import { decodeEvents } from '../src/core/wire/page-batch.ts';
import { encodeBatch } from './helpers/page-batch.ts';
import { PageToRelaySchema, PROTOCOL_VERSION, parseWith } from '../src/core/wire/protocol.ts';
import type { HookEvent } from '../src/core/wire/protocol.ts';

/** Through JSON and the relay's envelope check, as the real hop does. */
function hop(events: HookEvent[], dropped = 0): unknown[] | string {
  const wire = JSON.stringify(encodeBatch(PROTOCOL_VERSION, events, 0, events.length, dropped));
  const env = parseWith(PageToRelaySchema, JSON.parse(wire));
  if (!env.ok) return env.error;
  return decodeEvents(env.value.events, env.value.cols);
}

const sample: HookEvent[] = [
  { k: 'hello', t: 0, timeOrigin: 1_700_000_000_000.25, url: 'https://a/', top: true },
  { k: 'create', sid: 0, t: 1, url: 'wss://x/', protocols: ['p'] },
  { k: 'send', sid: 0, t: 2.5, n: 0, rs: 1, buffered: 17, bin: false, size: 5, data: 'hello' },
  { k: 'message', sid: 0, t: 3, n: 0, bin: true, size: 4, data: 'AAECAw==' },
  { k: 'message', sid: 0, t: 3.1, n: 1, bin: true, size: 1 << 20, later: true },
  { k: 'send', sid: 0, t: 4, n: 1, rs: 2, buffered: 0, bin: false, size: 100_000, data: 'x'.repeat(16), trunc: true },
  { k: 'message', sid: 0, t: 5, n: 2, bin: false, size: 0, data: '' },
  { k: 'payload', sid: 0, n: 1, dir: 'message', data: 'AA==', trunc: true },
  { k: 'close', sid: 0, t: 6, code: 1006, reason: '', clean: false },
  // A socket the page's CSP refused: created CLOSED, then the document's violation.
  { k: 'create', sid: 1, t: 7, url: 'ws://blocked.example/', protocols: [], rs: 3 },
  { k: 'csp', t: 7.1, blocked: 'ws://blocked.example/', directive: 'connect-src', policy: "connect-src 'self'", disposition: 'enforce' },
];

describe('page batch columns', () => {
  it('round-trips every kind of event, in order', () => {
    expect(hop(sample)).toEqual(sample);
  });

  it('round-trips a batch opened by a wall-clock anchor, the anchor first and an object, traffic in columns', () => {
    // After a sleep: the hook puts the anchor first in the batch (page-hook/emit.ts).
    const batch: HookEvent[] = [
      { k: 'clock', t: 8, wall: 1_700_001_800_008.5 },
      { k: 'message', sid: 0, t: 8, n: 3, bin: false, size: 1, data: 'z' },
      { k: 'send', sid: 0, t: 9, n: 2, rs: 1, buffered: 0, bin: false, size: 1, data: 'y' },
    ];
    const wire = JSON.parse(JSON.stringify(encodeBatch(PROTOCOL_VERSION, batch, 0, batch.length, 0))) as { c: number; l: number; events: unknown[] };
    expect([wire.c, wire.l, wire.events[0]]).toEqual([3, 1, batch[0]]);
    expect(hop(batch)).toEqual(batch);
  });

  it('keeps the columns out of batches without traffic, and carries the drop count', () => {
    const batch = encodeBatch(PROTOCOL_VERSION, sample.slice(0, 2), 0, 2, 3);
    expect(batch.cols).toBeUndefined();
    expect(batch.dropped).toBe(3);
    expect(decodeEvents(batch.events, batch.cols)).toEqual(sample.slice(0, 2));
  });

  it('encodes only the queued events in [from, to)', () => {
    const batch = encodeBatch(PROTOCOL_VERSION, sample, 0, 3, 0);
    expect(decodeEvents(batch.events, batch.cols)).toEqual(sample.slice(0, 3));
    const middle = encodeBatch(PROTOCOL_VERSION, sample, 2, 7, 0);
    expect(decodeEvents(middle.events, middle.cols)).toEqual(sample.slice(2, 7));
  });

  it('round-trips any valid traffic (property)', () => {
    const traffic: fc.Arbitrary<HookEvent> = fc.oneof(
      fc.record(
        { k: fc.constant('send' as const), sid: fc.nat(), t: fc.double({ noNaN: true, noDefaultInfinity: true }), n: fc.nat(), rs: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const), buffered: fc.nat(), bin: fc.boolean(), size: fc.nat(), data: fc.string(), trunc: fc.constant(true), later: fc.constant(true) },
        { requiredKeys: ['k', 'sid', 't', 'n', 'rs', 'buffered', 'bin', 'size'] },
      ),
      fc.record(
        { k: fc.constant('message' as const), sid: fc.nat(), t: fc.double({ noNaN: true, noDefaultInfinity: true }), n: fc.nat(), bin: fc.boolean(), size: fc.nat(), data: fc.string(), trunc: fc.constant(true), later: fc.constant(true) },
        { requiredKeys: ['k', 'sid', 't', 'n', 'bin', 'size'] },
      ),
      fc.constantFrom(...sample),
    );
    fc.assert(
      fc.property(fc.array(traffic, { maxLength: 50 }), (events) => {
        // -0 becomes 0 through JSON; nothing else may change.
        const expected = JSON.parse(JSON.stringify(events)) as unknown[];
        const got = hop(events);
        expect(got).toEqual(expected);
        for (const e of got as unknown[]) expect(typeof checkEvent(e)).toBe('object');
      }),
      { numRuns: 300 },
    );
  });

  it('refuses columns that do not match the placeholders instead of shifting events', () => {
    const batch = JSON.parse(JSON.stringify(encodeBatch(PROTOCOL_VERSION, sample, 0, sample.length, 0))) as { events: unknown[]; cols: Record<string, unknown[]> };
    expect(decodeEvents(batch.events, undefined)).toBe('cols: missing');
    expect(decodeEvents(batch.events, 'cols')).toBe('cols: missing');
    for (const key of ['s', 't', 'n', 'z', 'f', 'r', 'b', 'd']) {
      const short = { ...batch.cols, [key]: batch.cols[key]!.slice(1) };
      expect(decodeEvents(batch.events, short)).toMatch(new RegExp(`^cols\\.${key}: `));
      expect(decodeEvents(batch.events, { ...batch.cols, [key]: 'x' })).toMatch(new RegExp(`^cols\\.${key}: `));
    }
    // One placeholder more than the columns hold.
    expect(decodeEvents([...batch.events, 0], batch.cols)).toMatch(/^cols\.s: /);
  });

  it('junk in a column makes that one event fail validation, and only that one', () => {
    const batch = JSON.parse(JSON.stringify(encodeBatch(PROTOCOL_VERSION, sample, 0, sample.length, 0))) as { events: unknown[]; cols: Record<string, unknown[]> };
    const cols = { ...batch.cols, s: ['x', ...batch.cols.s!.slice(1)], f: [...batch.cols.f!.slice(0, 1), 99, ...batch.cols.f!.slice(2)] };
    const events = decodeEvents(batch.events, cols) as unknown[];
    const verdicts = events.map((e) => typeof checkEvent(e) === 'string');
    // The first traffic event (sid junk) and the second (bad flags) fail; every other passes.
    expect(verdicts).toEqual([false, false, true, true, false, false, false, false, false, false, false]);
  });
});

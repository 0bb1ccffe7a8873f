// core/wire/event-check.ts must accept and reject exactly what HookEventSchema does, and output the
// same value: the relay and the panel rely on it instead of the schema for speed.
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';

import { checkEvent } from '../src/core/wire/event-check.ts';
import { HookEventSchema, PAYLOAD_CAP_BYTES } from '../src/core/wire/protocol.ts';

const MAX_DATA = PAYLOAD_CAP_BYTES * 2;

const schemaSays = (raw: unknown) => {
  const r = v.safeParse(HookEventSchema, raw);
  return r.success ? r.output : undefined;
};

/** Values that sit on and around every rule of the traffic kinds. */
const anyValue = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -0, '0', '', 'x', true, false, null, undefined, [], {}),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
);
const dataValue = fc.oneof(
  anyValue,
  fc.constantFrom('x'.repeat(MAX_DATA), 'x'.repeat(MAX_DATA + 1), 'hello'),
);

const trafficLike = fc.record(
  {
    k: fc.constantFrom('send', 'message', 'payload'),
    sid: anyValue,
    n: anyValue,
    t: anyValue,
    rs: anyValue,
    buffered: anyValue,
    bin: anyValue,
    size: anyValue,
    data: dataValue,
    trunc: anyValue,
    later: anyValue,
    dir: fc.oneof(anyValue, fc.constantFrom('send', 'message', 'out')),
    extra: anyValue,
  },
  { requiredKeys: ['k'] },
);

/** Traffic events that are valid, to make sure the property also covers acceptance. */
const validTraffic = fc.oneof(
  fc.record({ k: fc.constant('message'), sid: fc.nat(), t: fc.double({ noNaN: true, noDefaultInfinity: true }), n: fc.nat(), bin: fc.boolean(), size: fc.nat() }),
  fc.record({ k: fc.constant('send'), sid: fc.nat(), t: fc.double({ noNaN: true, noDefaultInfinity: true }), n: fc.nat(), rs: fc.constantFrom(0, 1, 2, 3), buffered: fc.nat(), bin: fc.boolean(), size: fc.nat(), data: fc.string(), trunc: fc.boolean() }, { requiredKeys: ['k', 'sid', 't', 'n', 'rs', 'buffered', 'bin', 'size'] }),
  fc.record({ k: fc.constant('payload'), sid: fc.nat(), n: fc.nat(), dir: fc.constantFrom('send', 'message'), data: fc.string(), trunc: fc.boolean() }),
);

describe('checkEvent', () => {
  it('agrees with HookEventSchema on random traffic-shaped input, output included', () => {
    fc.assert(
      fc.property(fc.oneof(trafficLike, validTraffic), (raw) => {
        const want = schemaSays(raw);
        const got = checkEvent(raw);
        if (want === undefined) expect(typeof got).toBe('string');
        else expect(got).toEqual(want);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with HookEventSchema when any one field of a valid event takes any edge value', () => {
    const valid = [
      { k: 'message', sid: 0, t: 1, n: 2, bin: false, size: 3, data: 'abc', trunc: false, later: false },
      { k: 'send', sid: 0, t: 1, n: 2, rs: 1, buffered: 0, bin: true, size: 3, data: 'AAAA', trunc: true, later: true },
      { k: 'payload', sid: 0, n: 2, dir: 'message', data: 'AAAA', trunc: false },
    ];
    const edges: unknown[] = [undefined, null, 0, 1, 2, 3, 4, -1, -0, 1.5, NaN, Infinity, 2 ** 53, '1', '', true, false, [], {},
      'x'.repeat(MAX_DATA), 'x'.repeat(MAX_DATA + 1), 'send', 'message', 'payload', 'out'];
    let compared = 0;
    for (const base of valid) {
      for (const key of [...Object.keys(base), 'rs', 'buffered', 'dir', 'extra']) {
        for (const value of edges) {
          const raw: Record<string, unknown> = { ...base, [key]: value };
          if (value === undefined) delete raw[key];
          const want = schemaSays(raw);
          const got = checkEvent(raw);
          if (want === undefined) expect(typeof got, JSON.stringify(raw).slice(0, 120)).toBe('string');
          else expect(got, JSON.stringify(raw).slice(0, 120)).toEqual(want);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('agrees with HookEventSchema on lifecycle events and arbitrary junk', () => {
    const lifecycle = [
      { k: 'hello', t: 0, timeOrigin: 1, url: 'https://a/', top: true },
      { k: 'create', sid: 0, t: 1, url: 'wss://x/', protocols: ['p'], stack: 's' },
      { k: 'open', sid: 0, t: 2, protocol: '', extensions: '' },
      { k: 'error', sid: 0, t: 3, rs: 3 },
      { k: 'close-call', sid: 0, t: 4, rs: 1, code: 1000 },
      { k: 'close', sid: 0, t: 5, code: 1006, reason: '', clean: false },
      { k: 'page', t: 6, what: 'offline' },
      { k: 'clock', t: 6, wall: 1_700_000_000_000 },
      { k: 'clock', t: 6, wall: NaN },
      { k: 'clock', t: 6, wall: '1700000000000' },
      { k: 'clock', t: 6 },
      { k: 'clock', t: 6, wall: 1, extra: 1 },
      { k: 'page', t: 6, what: 'sleep' },
      { k: 'create', sid: 1, t: 1, url: 'ws://x/', protocols: [], rs: 3 },
      { k: 'create', sid: 1, t: 1, url: 'ws://x/', protocols: [], rs: 4 },
      { k: 'create', sid: 1, t: 1, url: 'ws://x/', protocols: [], rs: '3' },
      { k: 'csp', t: 7, blocked: 'ws://x/', directive: 'connect-src', policy: "connect-src 'self'", disposition: 'enforce' },
      { k: 'csp', t: 7, blocked: 'ws://x/', directive: 'default-src', policy: '', disposition: 'report', extra: 1 },
      { k: 'csp', t: 7, blocked: 'ws', directive: 'connect-src', policy: 'p' },
      { k: 'csp', t: 7, blocked: 'ws://x/', directive: 'connect-src', policy: 'p', disposition: 'block' },
      { k: 'csp', t: 7, blocked: 'x'.repeat(8193), directive: 'connect-src', policy: 'p' },
      { k: 'csp', t: 7, blocked: 'ws://x/', directive: 'c'.repeat(65), policy: 'p' },
      { k: 'csp', t: 7, blocked: 'ws://x/', directive: 'connect-src', policy: 'p'.repeat(2049) },
      { k: 'csp', t: NaN, blocked: 'ws://x/', directive: 'connect-src', policy: 'p' },
      { k: 'csp', sid: 0, t: 7, blocked: 'ws://x/', directive: 'connect-src' },
      { k: 'close', sid: 0, t: 5, code: '1006', reason: '', clean: false },
      { k: 'open', sid: -1, t: 2, protocol: '', extensions: '' },
      { k: 'nope' },
      {},
    ];
    for (const raw of lifecycle) {
      const want = schemaSays(raw);
      const got = checkEvent(raw);
      if (want === undefined) expect(typeof got).toBe('string');
      else expect(got).toEqual(want);
    }
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const want = schemaSays(raw);
        const got = checkEvent(raw);
        if (want === undefined) expect(typeof got).toBe('string');
        else expect(got).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with HookEventSchema on random csp- and create-shaped input', () => {
    const cspLike = fc.record(
      {
        k: fc.constant('csp'),
        t: anyValue,
        blocked: fc.oneof(anyValue, fc.constantFrom('ws://a/b?c', 'x'.repeat(8192), 'x'.repeat(8193))),
        directive: fc.oneof(anyValue, fc.constantFrom('connect-src', 'default-src', 'd'.repeat(64), 'd'.repeat(65))),
        policy: fc.oneof(anyValue, fc.constantFrom("connect-src 'self'", 'p'.repeat(2048), 'p'.repeat(2049))),
        disposition: fc.oneof(anyValue, fc.constantFrom('enforce', 'report', 'Enforce')),
        extra: anyValue,
      },
      { requiredKeys: ['k'] },
    );
    const createLike = fc.record(
      { k: fc.constant('create'), sid: fc.oneof(anyValue, fc.nat()), t: anyValue, url: fc.string(), protocols: fc.constant([]), rs: anyValue },
      { requiredKeys: ['k', 'url', 'protocols'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(cspLike, createLike), (raw) => {
        const want = schemaSays(raw);
        const got = checkEvent(raw);
        if (want === undefined) expect(typeof got).toBe('string');
        else {
          expect(got).toEqual(want);
          accepted++;
        }
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('returns a fresh object without keys a forger added', () => {
    const raw = { k: 'message', sid: 1, t: 2, n: 3, bin: false, size: 1, data: 'x', doc: 'forged', seq: 9 };
    const got = checkEvent(raw);
    expect(got).toEqual({ k: 'message', sid: 1, t: 2, n: 3, bin: false, size: 1, data: 'x' });
    expect(got).not.toBe(raw);
  });

  it('says why, in a bounded line', () => {
    expect(checkEvent(null)).toBe('not an object');
    expect(checkEvent({ k: 'send', sid: 0 })).toBe('bad send event');
    expect(checkEvent({ k: 'zzz' })).toBe('unknown kind');
    const long = checkEvent({ k: 'close', sid: 0, t: 0, code: 1000, reason: 'r'.repeat(100_000), clean: true });
    expect(typeof long).toBe('string');
    expect((long as string).length).toBeLessThanOrEqual(301);
  });
});

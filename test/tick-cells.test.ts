import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { MessageRecord } from '../src/core/session/session.ts';
import { cellWidth, lowerBound, TickCells, type CellList } from '../src/panel/tick-cells.ts';

const msg = (n: number, at: number, dir: 'out' | 'in'): MessageRecord => ({ n, dir, at, bin: false, size: 1 });
const live = (l: CellList) => l.cells.slice(l.head);

/** What the timeline drew before: every kept message's cell, per direction, distinct and sorted. */
function brute(msgs: readonly MessageRecord[], q: number) {
  const of = (dir: 'out' | 'in') => [...new Set(msgs.filter((m) => m.dir === dir).map((m) => Math.floor(m.at / q)))].sort((a, b) => a - b);
  return { out: of('out'), in: of('in') };
}

describe('cellWidth', () => {
  it('is a power of two no narrower than span / buckets', () => {
    for (const [span, buckets] of [[1000, 400], [3, 400], [86_400_000, 400], [1, 1]] as const) {
      const q = cellWidth(span, buckets);
      expect(Number.isInteger(Math.log2(q))).toBe(true);
      expect(q).toBeGreaterThanOrEqual(span / buckets);
      expect(q).toBeLessThan((2 * span) / buckets);
    }
  });
});

describe('TickCells', () => {
  it('matches a full pass after any appends and front evictions (the session splices the oldest)', () => {
    const op = fc.oneof(
      fc.record({ add: fc.array(fc.record({ dt: fc.integer({ min: 0, max: 40 }), out: fc.boolean() }), { maxLength: 30 }) }),
      fc.record({ evict: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ zoom: fc.constantFrom(1, 4, 16) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const owner = {};
        const msgs: MessageRecord[] = [];
        const cells = new TickCells();
        let t = 1_700_000_000_000;
        let n = 0;
        let q = 4;
        for (const o of ops) {
          if ('add' in o) for (const a of o.add) msgs.push(msg(n++, (t += a.dt), a.out ? 'out' : 'in'));
          else if ('evict' in o) msgs.splice(0, o.evict);
          else q = o.zoom;
          const got = cells.get(owner, msgs, q);
          const want = brute(msgs, q);
          expect({ out: live(got.out), in: live(got.in) }).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('only reads the new messages when nothing was evicted', () => {
    const msgs: MessageRecord[] = [];
    for (let i = 0; i < 1000; i++) msgs.push(msg(i, i, i % 2 ? 'out' : 'in'));
    let reads = 0;
    const counted = new Proxy(msgs, {
      get(target, key, recv) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, recv);
      },
    });
    const cells = new TickCells();
    const owner = {};
    cells.get(owner, counted, 8);
    expect(reads).toBeGreaterThanOrEqual(1000);
    reads = 0;
    msgs.push(msg(1000, 1000, 'out'), msg(1001, 1001, 'in'));
    const got = cells.get(owner, counted, 8);
    expect(reads).toBeLessThan(20); // a few per new message, not 1,000
    expect(live(got.out)).toEqual(brute(msgs, 8).out);
  });

  it('finds the first cell in view', () => {
    const l: CellList = { cells: [1, 3, 5, 9], head: 1 };
    expect(lowerBound(l, 0)).toBe(1);
    expect(lowerBound(l, 4)).toBe(2);
    expect(lowerBound(l, 10)).toBe(4);
  });
});

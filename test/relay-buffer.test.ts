// core/wire/relay-buffer.ts, page-batch.ts rawHeader and text-block.ts: batches of traffic stay the
// hook's text in the relay and are decoded in the hub; what the hub gets must be what it would
// have got had every batch been parsed on arrival, within the same bounds, every eviction counted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { BatchBuilder, rawHeader } from '../src/core/wire/page-batch.ts';
import { addEvent } from './helpers/page-batch.ts';
import { PROTOCOL_VERSION } from '../src/core/wire/protocol.ts';
import type { HookEvent, SeqEvent } from '../src/core/wire/protocol.ts';
import { isBlock, RelayBuffer } from '../src/core/wire/relay-buffer.ts';
import { decodeTextBlock } from '../src/core/wire/text-block.ts';

const V = PROTOCOL_VERSION;
const message = (n: number, data = 'x'): HookEvent => ({ k: 'message', sid: 1, t: n, n, bin: false, size: data.length, data });
const close = (sid: number): HookEvent => ({ k: 'close', sid, t: 0, code: 1006, reason: '', clean: false });
const isTraffic = (e: SeqEvent) => e.ev.k === 'message' || e.ev.k === 'send' || e.ev.k === 'payload';

/** The hook's text for these events, as hook.iife.ts sends it. */
function text(events: HookEvent[], dropped = 0): string {
  const b = new BatchBuilder();
  for (const e of events) addEvent(b, e);
  return JSON.stringify(b.batch(V, dropped));
}

/** Everything the buffer holds as the hub will have it: text blocks decoded. */
function decoded(buf: RelayBuffer, afterSeq = -1): SeqEvent[] {
  const out: SeqEvent[] = [];
  for (const item of buf.items(afterSeq)) {
    if (isBlock(item)) out.push(...decodeTextBlock(item).events);
    else out.push(item);
  }
  return out;
}

const block = (from: number, events: HookEvent[]) => ({ from, count: events.length, text: text(events) });

describe('rawHeader', () => {
  it('reads the count off a batch of traffic alone, exactly as the hook writes it', () => {
    const traffic = [message(0), { k: 'send', sid: 2, t: 1, n: 0, rs: 1, buffered: 3, bin: true, size: 2, data: 'AAE=' } as HookEvent, message(1)];
    expect(rawHeader(text(traffic), V)).toBe(3);
  });

  it('refuses anything else, which the relay then parses on arrival', () => {
    expect(rawHeader(text([message(0), close(1)]), V)).toBeUndefined(); // a lifecycle event in it
    expect(rawHeader(text([message(0)], 4), V)).toBeUndefined(); // the hook's drop count
    // A batch the hook opened with a wall-clock anchor (after a sleep) is parsed like any other
    // with a lifecycle event in it; the next batch of traffic alone is raw again.
    expect(rawHeader(text([{ k: 'clock', t: 0, wall: 1_700_000_000_000 }, message(0)]), V)).toBeUndefined();
    expect(rawHeader(text([message(0)]), V + 1)).toBeUndefined(); // another version
    expect(rawHeader(text([]), V)).toBeUndefined(); // nothing in it
    expect(rawHeader(` ${text([message(0)])}`, V)).toBeUndefined();
    expect(rawHeader(`{"v":${V},"c":10001,"l":0,"dropped":0,"events":[`, V)).toBeUndefined(); // over the schema's bound
    expect(rawHeader(`{"v":${V},"c":7,"l":0,"dropped":0,"events":[`, V)).toBe(7); // a claim: checked when parsed
  });
});

describe('RelayBuffer', () => {
  it('keeps text blocks in their reserved places among events parsed on arrival', () => {
    const buf = new RelayBuffer(100, Infinity);
    buf.push({ seq: 0, ev: message(0) });
    buf.pushText(block(1, [message(1), message(2)]));
    buf.push({ seq: 3, ev: close(1) });
    buf.pushText(block(4, [message(4)]));
    expect(buf.size).toBe(5);
    expect(buf.items().filter(isBlock).length).toBe(2);
    expect(buf.items().map((i) => (isBlock(i) ? `text ${i.from}+${i.count}` : i.seq))).toEqual([0, 'text 1+2', 3, 'text 4+1']);
    expect(decoded(buf).map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(decoded(buf).map((e) => e.ev.k)).toEqual(['message', 'message', 'message', 'close', 'message']);
    // A block partly at or before `afterSeq` is sent whole: the hub skips what it has by seq.
    expect(buf.items(1).map((i) => (isBlock(i) ? `text ${i.from}+${i.count}` : i.seq))).toEqual(['text 1+2', 3, 'text 4+1']);
    expect(buf.items(2).map((i) => (isBlock(i) ? `text ${i.from}+${i.count}` : i.seq))).toEqual([3, 'text 4+1']);
    expect(buf.evicted).toBe(0);
  });

  it('evicts the oldest traffic first across both forms, lifecycle last, and counts it', () => {
    const buf = new RelayBuffer(7, Infinity);
    buf.push({ seq: 0, ev: close(0) });
    buf.push({ seq: 1, ev: message(1) });
    buf.pushText(block(2, [message(2), message(3), message(4)]));
    buf.push({ seq: 5, ev: message(5) });
    expect(buf.evicted).toBe(0);
    buf.pushText(block(6, [message(6), message(7)])); // 8 > 7: the ring's seq 1 goes, then block 2..4
    expect(buf.size + buf.evicted).toBe(8);
    expect(decoded(buf).map((e) => e.seq)).toEqual([0, 5, 6, 7]);
    expect(buf.evicted).toBe(4);
  });

  it('holds its byte bound with text blocks', () => {
    const big = 'y'.repeat(1000);
    const buf = new RelayBuffer(1_000, 10_000);
    let seq = 0;
    for (let i = 0; i < 40; i++) {
      buf.pushText(block(seq, [message(seq, big), message(seq + 1, big)]));
      seq += 2;
      expect(buf.bytes).toBeLessThanOrEqual(10_000);
    }
    expect(buf.size + buf.evicted).toBe(80);
    // What is left is the newest, in order.
    const seqs = decoded(buf).map((e) => e.seq);
    expect(seqs[seqs.length - 1]).toBe(79);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('keeps the bounds, the count and the order for any mix (property)', () => {
    type Step = { kind: 'life' } | { kind: 'msg' } | { kind: 'text'; n: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.constant({ kind: 'life' as const }),
      fc.constant({ kind: 'msg' as const }),
      fc.integer({ min: 1, max: 6 }).map((n) => ({ kind: 'text' as const, n })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.array(step, { maxLength: 80 }), (max, steps) => {
        const buf = new RelayBuffer(max, Infinity);
        let seq = 0;
        const lifeSeqs: number[] = [];
        for (const s of steps) {
          if (s.kind === 'life') {
            lifeSeqs.push(seq);
            buf.push({ seq: seq++, ev: close(seq) });
          } else if (s.kind === 'msg') buf.push({ seq: seq++, ev: message(seq) });
          else {
            buf.pushText(block(seq, Array.from({ length: s.n }, (_, i) => message(seq + i))));
            seq += s.n;
          }
          expect(buf.size).toBeLessThanOrEqual(max);
          expect(buf.size + buf.evicted).toBe(seq);
        }
        const all = decoded(buf);
        expect(all.length + buf.evicted).toBe(seq);
        expect(all.map((e) => e.seq)).toEqual(all.map((e) => e.seq).sort((a, b) => a - b));
        // A lifecycle event is evicted only when no traffic is held, so every message still held
        // came after every lifecycle event that was evicted.
        const kept = new Set(all.map((e) => e.seq));
        const lifeEvicted = lifeSeqs.filter((q) => !kept.has(q));
        const trafficKept = all.filter(isTraffic).map((e) => e.seq);
        if (lifeEvicted.length && trafficKept.length) expect(Math.min(...trafficKept)).toBeGreaterThan(Math.max(...lifeEvicted));
        // Traffic goes oldest first, whichever form it was held in.
        const trafficEvicted = Array.from({ length: seq }, (_, q) => q).filter((q) => !kept.has(q) && !lifeSeqs.includes(q));
        if (trafficEvicted.length && trafficKept.length) expect(Math.min(...trafficKept)).toBeGreaterThan(Math.max(...trafficEvicted));
      }),
      { numRuns: 300 },
    );
  });
});

describe('decodeTextBlock (the hub decodes what the relay forwarded)', () => {
  it('numbers the events from the reserved first number', () => {
    const d = decodeTextBlock(block(40, [message(0), message(1)]));
    expect(d.events.map((e) => e.seq)).toEqual([40, 41]);
    expect(d.rejected).toEqual([]);
    expect(d.extra).toBe(0);
  });

  it('answers for every reserved number: a bad event, a short block or junk text is refused, never evicted', () => {
    const good = text([message(0), message(1), message(2)]);
    // Junk in one column entry: that event alone is refused.
    const junk = JSON.parse(good) as { cols: { s: unknown[] } };
    junk.cols.s[1] = 'x';
    expect(decodeTextBlock({ from: 10, count: 3, text: JSON.stringify(junk) })).toMatchObject({ rejected: [11], extra: 0 });
    // The page claimed more than it sent: the missing numbers are refused.
    expect(decodeTextBlock({ from: 10, count: 5, text: good })).toMatchObject({ rejected: [13, 14], extra: 0 });
    // ...or sent more than it claimed: the extra ones have no number.
    const fewer = decodeTextBlock({ from: 10, count: 2, text: good });
    expect(fewer.events.map((e) => e.seq)).toEqual([10, 11]);
    expect(fewer.extra).toBe(1);
    // Not JSON, or not a batch: every reserved number is refused.
    expect(decodeTextBlock({ from: 0, count: 2, text: '{"v":1,"c":2,' })).toEqual({ events: [], rejected: [0, 1], extra: 0 });
    expect(decodeTextBlock({ from: 0, count: 1, text: '{"v":99,"events":[]}' })).toEqual({ events: [], rejected: [0], extra: 0 });
  });
});

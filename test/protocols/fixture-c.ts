// Loads a recorded fixture and decodes every frame of a connection with a decoder, as the panel would.
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { expect } from 'vitest';

import type { Fixture } from '../fixtures/protocols/tap.ts';
import type { ConnectionHints, DecodedFrame, DecodeResult, Decoder, FrameIn } from '../../src/core/protocols/types.ts';

export function load(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/protocols/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

export function hintsOf(c: Fixture['connections'][number]): ConnectionHints {
  return { url: `ws://127.0.0.1:1${c.path}`, protocols: c.protocols, protocol: c.protocol };
}

export const framesOf = (c: Fixture['connections'][number]): FrameIn[] =>
  c.frames.map((f) => ({ dir: f.dir, bin: f.bin, data: f.data, at: f.t, size: f.data.length }));

/** Every frame of connection i decoded in order; fails the test on an Undecodable. */
export function decodeAll<S>(d: Decoder<S>, fx: Fixture, i: number): DecodedFrame[][] {
  const c = fx.connections[i]!;
  const h = hintsOf(c);
  const frames = framesOf(c);
  const det = d.sniff(frames.slice(0, 4), h) ?? d.detect(h);
  expect(det).toBeDefined();
  const s = d.init(h, det!);
  return frames.map((f) => {
    const r = d.decode(f, s);
    expect(Array.isArray(r), JSON.stringify(r)).toBe(true);
    return r as DecodedFrame[];
  });
}

/** Random and hostile input never throws and always returns frames or an Undecodable. */
export function fuzz<S>(d: Decoder<S>, h: ConnectionHints): void {
  const det = d.detect(h) ?? { protocol: d.id, certainty: 'possible' as const, by: 'frames' as const };
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.base64String()), fc.boolean(), fc.boolean(), fc.constantFrom<'in' | 'out'>('in', 'out'), (data, bin, trunc, dir) => {
      const s = d.init(h, det);
      const r: DecodeResult = d.decode({ dir, bin, trunc, data, at: 0, size: data.length }, s);
      expect(Array.isArray(r) || typeof (r as { error: unknown }).error === 'string').toBe(true);
      d.sniff([{ dir, bin, data, at: 0, size: data.length }], h);
    }),
    { numRuns: 400 },
  );
}

/** A 10 MB frame is decoded without a throw (its time is measured by bench/protocols.bench.ts, not here). */
export function huge<S>(d: Decoder<S>, h: ConnectionHints, data: string, bin: boolean): void {
  const det = d.detect(h) ?? { protocol: d.id, certainty: 'possible' as const, by: 'frames' as const };
  const s = d.init(h, det);
  for (const dir of ['in', 'out'] as const) d.decode({ dir, bin, data, at: 0, size: data.length }, s);
}

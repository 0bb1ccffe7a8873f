import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { sockJsDecoder as d } from '../../src/core/protocols/sockjs.ts';
import { isUndecodable, type ConnectionHints, type DecodedFrame, type DecodeResult, type FrameIn } from '../../src/core/protocols/types.ts';
import fixture from '../fixtures/protocols/sockjs.json' with { type: 'json' };

const hintsOf = (path: string): ConnectionHints => ({ url: `ws://127.0.0.1:3000${path}`, protocols: [] });
const text = (dir: 'in' | 'out', data: string, extra: Partial<FrameIn> = {}): FrameIn => ({ dir, at: 0, bin: false, size: data.length, data, ...extra });
const framesOf = (i: number): FrameIn[] => fixture.connections[i]!.frames.map((f) => text(f.dir as 'in' | 'out', f.data, { at: f.t, size: Buffer.byteLength(f.data) }));
const decodeAll = (i: number): DecodedFrame[][] => {
  const h = hintsOf(fixture.connections[i]!.path);
  const frames = framesOf(i);
  const st = d.init(h, d.sniff(frames.slice(0, 4), h)!);
  return frames.map((f) => {
    const r = d.decode(f, st);
    if (isUndecodable(r)) throw new Error(`undecodable ${f.data}: ${r.error}`);
    return r;
  });
};
const ok = (r: DecodeResult): DecodedFrame[] => {
  if (isUndecodable(r)) throw new Error(r.error);
  return r;
};
const dec = (f: FrameIn): DecodeResult => d.decode(f, d.init(hintsOf('/x/000/y/websocket'), { protocol: 'sockjs', certainty: 'certain', by: 'url' }));

describe('SockJS fixture (sockjs + sockjs-client, websocket transport)', () => {
  it('was recorded with the real libraries on the session URL', () => {
    expect(fixture.recorded.server).toMatch(/^sockjs@0\.3\./);
    expect(fixture.recorded.client).toMatch(/^sockjs-client@1\./);
    expect(fixture.connections[0]!.path).toMatch(/^\/echo\/\d{3}\/[a-z0-9]+\/websocket$/);
  });

  const out = decodeAll(0);
  it('opens with o and decodes the exchange, JSON messages parsed', () => {
    expect(out[0]).toEqual([{ protocol: 'sockjs', type: 'open', cls: 'handshake' }]);
    expect(out[1]).toEqual([{ protocol: 'sockjs', type: 'message', cls: 'data', body: 'hello' }]);
    expect(out[2]![0]!.body).toEqual({ type: 'chat', text: 'hi "there"' });
    expect(out[3]![0]!.body).toBe('hello');
    expect(out[4]![0]!.body).toEqual({ type: 'greeting', to: 'you' });
  });

  it("reads the server's c[3000,\"Go away!\"] as an app-level close", () => {
    expect(out.at(-1)).toEqual([
      { protocol: 'sockjs', type: 'close 3000', cls: 'close', body: [3000, 'Go away!'], close: { by: 'server', code: 3000, reason: 'Go away!' } },
    ]);
  });

  it('the second connection: open, one echo, no app-level close (the client closed)', () => {
    const two = decodeAll(1).flat();
    expect(two.map((f) => f.type)).toEqual(['open', 'message', 'message']);
    expect(two.some((f) => f.close)).toBe(false);
  });
});

describe('SockJS frames from the protocol (sockjs-protocol 0.3.3)', () => {
  it('h is a heartbeat; several messages in one a-frame; m single', () => {
    expect(ok(dec(text('in', 'h')))).toEqual([{ protocol: 'sockjs', type: 'heartbeat', cls: 'heartbeat' }]);
    expect(ok(dec(text('in', 'a["x","{\\"n\\":1}","[1,2]"]'))).map((f) => f.body)).toEqual(['x', { n: 1 }, [1, 2]]);
    expect(ok(dec(text('in', 'm"single"')))).toEqual([{ protocol: 'sockjs', type: 'message', cls: 'data', body: 'single' }]);
    expect(ok(dec(text('out', '"plain"')))).toEqual([{ protocol: 'sockjs', type: 'message', cls: 'data', body: 'plain' }]);
    expect(ok(dec(text('in', 'a[]')))).toEqual([]);
  });
  it('close codes given as strings by sockjs-node still read as codes', () => {
    expect(ok(dec(text('in', 'c["3000","Go away!"]')))[0]!.close).toEqual({ by: 'server', code: 3000, reason: 'Go away!' });
    expect(ok(dec(text('in', 'c[2010,"Another connection still open"]')))[0]!.close).toEqual({ by: 'server', code: 2010, reason: 'Another connection still open' });
  });
  it('the documented default heartbeat is the server every 25 s', () => {
    expect(d.defaultTerms!(hintsOf('/echo/123/abc/websocket'), { protocol: 'sockjs', certainty: 'certain', by: 'url' })).toMatchObject({ pinger: 'server', intervalMs: 25000, source: 'default' });
  });
});

describe('SockJS detection', () => {
  it('URL shape: three-digit server id likely, any other possible, none otherwise', () => {
    expect(d.detect(hintsOf('/echo/123/a1b2c3d4/websocket'))).toEqual({ protocol: 'sockjs', certainty: 'likely', by: 'url' });
    expect(d.detect(hintsOf('/api/v1/websocket'))).toMatchObject({ certainty: 'possible' });
    expect(d.detect(hintsOf('/echo/websocket'))).toBeUndefined();
    expect(d.detect(hintsOf('/chat'))).toBeUndefined();
  });
  it('o first with the URL is certain; o alone likely; URL with another first frame possible', () => {
    expect(d.sniff([text('in', 'o')], hintsOf('/echo/123/abc/websocket'))).toMatchObject({ certainty: 'certain' });
    expect(d.sniff([text('in', 'o')], hintsOf('/chat'))).toEqual({ protocol: 'sockjs', certainty: 'likely', by: 'frames' });
    expect(d.sniff([text('in', '{"hello":1}')], hintsOf('/echo/123/abc/websocket'))).toMatchObject({ certainty: 'possible' });
    expect(d.sniff([text('in', 'a["x"]')], hintsOf('/chat'))).toBeUndefined();
  });
});

describe('SockJS bad input', () => {
  it('malformed frames are undecodable', () => {
    for (const [dir, s] of [
      ['in', ''],
      ['in', 'x'],
      ['in', 'oo'],
      ['in', 'a[1,2]'],
      ['in', 'a["x"'],
      ['in', 'a["x"]junk'],
      ['in', 'c{'],
      ['in', 'm[1]'],
      ['out', 'hello'],
      ['out', '[1]'],
      ['out', '{"a":1}'],
    ] as const) {
      expect(isUndecodable(dec(text(dir, s))), s).toBe(true);
    }
    expect(isUndecodable(dec({ dir: 'in', at: 0, bin: true, size: 2, data: 'AAA=' }))).toBe(true);
  });
  it('a truncated a-frame keeps the whole messages before the cut', () => {
    const r = ok(dec(text('in', 'a["one","two","thr', { trunc: true, size: 40_000 })));
    expect(r).toEqual([
      { protocol: 'sockjs', type: 'message', cls: 'data', body: 'one' },
      { protocol: 'sockjs', type: 'message', cls: 'data', body: 'two' },
      { protocol: 'sockjs', type: 'message', cls: 'data', partial: true },
    ]);
    expect(ok(dec(text('in', 'c[3000,"Go a', { trunc: true })))).toEqual([{ protocol: 'sockjs', type: 'close', cls: 'close', close: { by: 'server' }, partial: true }]);
  });
  it('a 10 MB frame is read only up to the capture cap', () => {
    const big = 'a["' + 'y'.repeat(10 * 1024 * 1024) + '"]';
    const r = ok(dec(text('in', big)));
    expect(r).toEqual([{ protocol: 'sockjs', type: 'message', cls: 'data', partial: true }]);
    const many = 'a[' + Array.from({ length: 500_000 }, () => '"z"').join(',') + ']';
    const r2 = ok(dec(text('in', many)));
    expect(r2.at(-1)!.partial).toBe(true);
    expect(r2.length).toBeLessThan(6000);
  });
  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'a', 'a[', 'c', 'c[', 'm', 'o', 'h', '[', '"'), fc.string({ maxLength: 60 }), fc.constantFrom('in' as const, 'out' as const), fc.boolean(), (p, s, dir, trunc) => {
        const r = dec(text(dir, p + s, { trunc }));
        expect(Array.isArray(r) || typeof (r as { error: unknown }).error === 'string').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

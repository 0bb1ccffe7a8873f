// SignalR hub-protocol decoder on frames of the real @microsoft/signalr client (JSON and
// MessagePack) against a spec-following ws server (test/fixtures/protocols/record-signalr.ts),
// the bounded MessagePack reader, detection certainty, and hostile input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { readMsgpack } from '../../src/core/protocols/msgpack.ts';
import { signalrDecoder } from '../../src/core/protocols/signalr.ts';
import { isUndecodable, type ConnectionHints, type DecodedFrame, type FrameIn } from '../../src/core/protocols/types.ts';
import fixture from '../fixtures/protocols/signalr.json';

type Conn = (typeof fixture.connections)[number];
const framesOf = (c: Conn): FrameIn[] => c.frames.map((f) => ({ dir: f.dir as 'in' | 'out', at: f.t, bin: f.bin, size: f.data.length, data: f.data }));
const hintsOf = (c: Conn): ConnectionHints => ({ url: `ws://127.0.0.1${c.path}`, protocols: c.protocols, protocol: c.protocol });
const b64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');
const text = (data: string, extra: Partial<FrameIn> = {}): FrameIn => ({ dir: 'in', at: 0, bin: false, size: data.length, data, ...extra });

function decodeConn(c: Conn): DecodedFrame[][] {
  const frames = framesOf(c);
  const h = hintsOf(c);
  const d = signalrDecoder.sniff(frames.slice(0, 4), h)!;
  const state = signalrDecoder.init(h, d);
  return frames.map((f) => {
    const r = signalrDecoder.decode(f, state);
    if (isUndecodable(r)) throw new Error(`undecodable fixture frame: ${r.error}`);
    return r;
  });
}

const [jsonConn, packConn, rejectConn] = fixture.connections as [Conn, Conn, Conn];

function exchange(flat: DecodedFrame[]): void {
  const by = (type: string): DecodedFrame[] => flat.filter((f) => f.type === type);
  expect(flat[0]).toMatchObject({ type: 'handshake', cls: 'handshake' });
  expect(flat[1]).toMatchObject({ type: 'handshake', cls: 'handshake', body: {} });
  expect(by('invoke Add')[0]).toMatchObject({ id: '0', pair: 'request', body: { arguments: [2, 3] } });
  expect(flat.find((f) => f.id === '0' && f.pair === 'response')).toMatchObject({ type: 'completion', body: { result: 5 } });
  expect(by('invoke Fail')[0]).toMatchObject({ id: '1', pair: 'request' });
  expect(by('completion error')[0]).toMatchObject({ id: '1', cls: 'error', pair: 'response' });
  expect(String((by('completion error')[0]!.body as { error: string }).error)).toMatch(/HubException: not allowed/);
  // Non-blocking invocations carry no id and start no exchange.
  expect(by('invoke Notify')[0]).toMatchObject({ body: { arguments: ['hi'] } });
  expect(by('invoke Notify')[0]!.pair).toBeUndefined();
  expect(by('invoke ReceiveMessage')[0]).toMatchObject({ body: { arguments: ['server', 'got hi'] } });
  expect(flat.filter((f) => f.id === '2').map((f) => f.type)).toEqual(['stream Counter', 'item', 'item', 'item', 'completion']);
  expect(flat.filter((f) => f.id === '2' && f.type === 'item').map((f) => f.body)).toEqual([1, 2, 3]);
  expect(by('cancel')[0]).toMatchObject({ id: '3', cls: 'control' });
  const pings = by('ping');
  expect(pings.length).toBeGreaterThanOrEqual(2);
  expect(pings.every((p) => p.cls === 'heartbeat')).toBe(true);
}

describe('SignalR JSON', () => {
  const decoded = decodeConn(jsonConn);
  const flat = decoded.flat();

  it('was recorded with the real client and says which side is real', () => {
    expect(fixture.recorded.client).toMatch(/^@microsoft\/signalr@\d/);
    expect(fixture.recorded.how).toMatch(/client side is real/);
  });

  it('decodes handshake, invocations, results, errors, streams, cancel and pings', () => exchange(flat));

  it('splits a WebSocket message holding several hub messages', () => {
    expect(decoded.some((r) => r.length === 2 && r[0]!.type === 'completion' && r[1]!.type === 'ping')).toBe(true);
  });

  it('reads the server Close message with its error and allowReconnect', () => {
    const close = flat.find((f) => f.type === 'close')!;
    expect(close).toMatchObject({ cls: 'close', close: { by: 'server', reason: 'Connection closed with an error. HubException: shutting down', reconnect: true } });
  });

  it('reads a handshake error as an app-level close', () => {
    const r = decodeConn(rejectConn).flat();
    expect(r[1]).toMatchObject({ type: 'handshake error', cls: 'error', close: { by: 'server', reason: "Requested protocol 'json' is not available." } });
  });
});

describe('SignalR MessagePack', () => {
  const decoded = decodeConn(packConn);
  const flat = decoded.flat();

  it('decodes the binary handshake reply and every MessagePack message like the JSON ones', () => {
    expect(packConn.frames[1]!.bin).toBe(true);
    exchange(flat);
  });

  it('reads the server Close (allowReconnect false) and the client Close', () => {
    const closes = flat.filter((f) => f.type === 'close');
    expect(closes[0]).toMatchObject({ close: { by: 'server', reconnect: false, reason: 'Connection closed with an error. HubException: shutting down' } });
    expect(closes[1]).toMatchObject({ close: { by: 'client' } });
    expect(closes[1]!.close!.reason).toBeUndefined();
  });

  it('reads a stream item whose message the capture cut, marked partial', () => {
    // [2, {}, "77", "xxxxxxxx…"] with its length prefix, cut after the id.
    const r = signalrDecoder.decode({ dir: 'in', at: 0, bin: true, size: 300, trunc: true, data: b64([0xac, 0x02, 0x94, 0x02, 0x80, 0xa2, 0x37, 0x37, 0xd9, 0xff, 0x78]) }, {});
    expect(r).toEqual([{ protocol: 'signalr', type: 'item', cls: 'data', id: '77', pair: 'stream', body: undefined, partial: true }]);
  });
});

describe('SignalR detection', () => {
  it('is certain from the handshake request, by URL when the negotiate id is in it', () => {
    const frames = framesOf(jsonConn);
    expect(signalrDecoder.detect(hintsOf(jsonConn))).toBeUndefined();
    expect(signalrDecoder.sniff(frames.slice(0, 4), hintsOf(jsonConn))).toEqual({ protocol: 'signalr', certainty: 'certain', by: 'frames', variant: 'SignalR json 1' });
    expect(signalrDecoder.sniff(framesOf(packConn).slice(0, 4), hintsOf(packConn))?.variant).toBe('SignalR messagepack 1');
    expect(signalrDecoder.sniff(frames.slice(0, 4), { url: 'wss://h/chat?id=abc123', protocols: [] })?.by).toBe('url');
  });

  it('says nothing for look-alikes: other JSON, no separator, extra keys, a mid-stream capture', () => {
    const h: ConnectionHints = { url: 'ws://x/?id=1', protocols: [] };
    for (const data of ['{"protocol":"json","version":1}', '{"protocol":"json","version":1,"x":2}\x1e', '{"type":6}\x1e', '{"protocol":"json","version":1}\x1e{"type":6}\x1e']) {
      expect(signalrDecoder.sniff([{ ...text(data), dir: 'out' }], h)).toBeUndefined();
    }
  });

  it('has the library default heartbeat terms: both sides, 15 s keep-alive, 30 s timeout', () => {
    expect(signalrDecoder.defaultTerms!(hintsOf(jsonConn), { protocol: 'signalr', certainty: 'certain', by: 'frames' })).toMatchObject({ pinger: 'both', intervalMs: 15_000, timeoutMs: 15_000, source: 'default' });
  });
});

describe('SignalR hostile input', () => {
  const s = () => signalrDecoder.init({ url: 'ws://x/', protocols: [] }, { protocol: 'signalr', certainty: 'certain', by: 'frames' });

  it('falls back on malformed and empty frames, and marks a message with a bad record partial', () => {
    expect(isUndecodable(signalrDecoder.decode(text(''), s()))).toBe(true);
    expect(isUndecodable(signalrDecoder.decode(text('{"type":6}'), s()))).toBe(true);
    expect(isUndecodable(signalrDecoder.decode(text('garbage\x1e'), s()))).toBe(true);
    expect(signalrDecoder.decode(text('{"type":6}\x1enope\x1e'), s())).toEqual([{ protocol: 'signalr', type: 'ping', cls: 'heartbeat', partial: true }]);
    expect(signalrDecoder.decode(text('{"type":1,"target":"Big","invocationId":"4","arguments":["aaa', { trunc: true }), s())).toEqual([
      { protocol: 'signalr', type: 'invoke', cls: 'data', body: undefined, partial: true },
    ]);
    expect(isUndecodable(signalrDecoder.decode({ dir: 'in', at: 0, bin: true, size: 3, data: '!!!' }, s()))).toBe(true);
    expect(isUndecodable(signalrDecoder.decode({ dir: 'in', at: 0, bin: true, size: 1, data: b64([0xff]) }, s()))).toBe(true);
  });

  it('stops a MessagePack read at declared lengths beyond the input and at deep nesting', () => {
    expect(readMsgpack(new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff, 0x01]), 0)).toEqual({ ok: false, error: 'truncated' });
    expect(readMsgpack(new Uint8Array(100).fill(0x91), 0)).toEqual({ ok: false, error: 'too deep' });
    expect(readMsgpack(new Uint8Array([0xc1]), 0)).toEqual({ ok: false, error: 'invalid' });
    const m = readMsgpack(new Uint8Array([0x82, 0xa9, ...Buffer.from('__proto__'), 0x01, 0xa1, 0x61, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]), 0);
    expect(m.ok && Object.keys(m.value as object)).toEqual(['__proto__', 'a']);
    expect(m.ok && (m.value as { a: number }).a).toBe(1.5);
    expect(readMsgpack(new Uint8Array([0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]), 0)).toEqual({ ok: true, value: -2, end: 9 });
  });

  it('decodes 10 MB text and binary frames without a throw', () => {
    const r1 = signalrDecoder.decode(text(`{"type":1,"target":"x","arguments":["${'x'.repeat(10 * 1024 * 1024)}"]}\x1e`), s());
    const r2 = signalrDecoder.decode({ dir: 'in', at: 0, bin: true, size: 10 * 1024 * 1024, data: Buffer.alloc(10 * 1024 * 1024, 0x91).toString('base64') }, s());
    expect(r1).toEqual([expect.objectContaining({ type: 'invoke', partial: true })]);
    expect(isUndecodable(r2) || r2.every((d) => d.partial)).toBe(true);
  });

  it('never throws on random text or bytes', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (str, trunc) => {
        const r = signalrDecoder.decode({ ...text(str), trunc }, s());
        expect(Array.isArray(r) || typeof r.error === 'string').toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, trunc) => {
        const r = signalrDecoder.decode({ dir: 'in', at: 0, bin: true, size: bytes.length, data: Buffer.from(bytes).toString('base64'), trunc }, s());
        expect(Array.isArray(r) || typeof r.error === 'string').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

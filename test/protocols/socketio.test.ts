import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { socketIoDecoder as d, type SocketIoState } from '../../src/core/protocols/socketio.ts';
import { isUndecodable, type ConnectionHints, type DecodedFrame, type DecodeResult, type FrameIn } from '../../src/core/protocols/types.ts';
import fixture from '../fixtures/protocols/socketio.json' with { type: 'json' };

const hintsOf = (path: string): ConnectionHints => ({ url: `ws://127.0.0.1:3000${path}`, protocols: [] });
const framesOf = (i: number): FrameIn[] =>
  fixture.connections[i]!.frames.map((f) => ({
    dir: f.dir as 'in' | 'out',
    at: f.t,
    bin: f.bin,
    size: f.bin ? Buffer.from(f.data, 'base64').length : Buffer.byteLength(f.data),
    data: f.data,
  }));
const decodeAll = (i: number): DecodedFrame[] => {
  const h = hintsOf(fixture.connections[i]!.path);
  const frames = framesOf(i);
  const st = d.init(h, d.sniff(frames.slice(0, 4), h)!);
  return frames.flatMap((f) => {
    const r = d.decode(f, st);
    if (isUndecodable(r)) throw new Error(`undecodable ${f.data}: ${r.error}`);
    return r;
  });
};
const text = (dir: 'in' | 'out', data: string, extra: Partial<FrameIn> = {}): FrameIn => ({ dir, at: 0, bin: false, size: data.length, data, ...extra });
const one = (r: DecodeResult): DecodedFrame => {
  if (isUndecodable(r)) throw new Error(r.error);
  expect(r).toHaveLength(1);
  return r[0]!;
};
const v3 = (): SocketIoState => d.init(hintsOf('/socket.io/?EIO=3&transport=websocket'), { protocol: 'socket.io', certainty: 'likely', by: 'url', variant: 'EIO 3' });
const v4 = (): SocketIoState => d.init(hintsOf('/socket.io/?EIO=4&transport=websocket'), { protocol: 'socket.io', certainty: 'likely', by: 'url', variant: 'EIO 4' });

describe('Socket.IO fixture (socket.io + socket.io-client, WebSocket only)', () => {
  const out = decodeAll(0);
  const types = out.map((f) => `${f.protocol}:${f.type}`);

  it('was recorded with the real libraries', () => {
    expect(fixture.recorded.server).toMatch(/^socket\.io@4\./);
    expect(fixture.recorded.client).toMatch(/^socket\.io-client@4\./);
  });

  it('reads the open packet and its ping terms: the server pings every 300 ms, 200 ms grace', () => {
    expect(out[0]).toMatchObject({ protocol: 'engine.io', type: 'open', cls: 'handshake' });
    expect(out[0]!.terms).toEqual({ pinger: 'server', intervalMs: 300, timeoutMs: 200, source: 'announced', from: 'Engine.IO open packet (EIO 4: the server pings)' });
  });

  it('decodes CONNECT with auth, the sid reply, and namespaces as topics', () => {
    expect(out[1]).toMatchObject({ protocol: 'socket.io', type: 'CONNECT', cls: 'handshake', topic: '/', body: { token: 's3cret' } });
    expect(out[2]).toMatchObject({ type: 'CONNECT', topic: '/', body: { sid: expect.any(String) } });
    expect(out.filter((f) => f.type === 'CONNECT' && f.topic === '/admin')).toHaveLength(2);
  });

  it('pairs events and acks by id, both ways and per namespace', () => {
    expect(out.find((f) => f.type === 'EVENT chat')).toMatchObject({ id: '0', pair: 'request', topic: '/', body: ['hello'] });
    expect(out[5]).toMatchObject({ type: 'ACK', id: '0', pair: 'response', body: [{ ok: true, echo: 'hello' }] });
    expect(out.find((f) => f.type === 'EVENT question')).toMatchObject({ id: '0', pair: 'request', body: ['ready?'] });
    expect(out.find((f) => f.type === 'EVENT stats')).toMatchObject({ id: '0', topic: '/admin', pair: 'request' });
    expect(out.find((f) => f.type === 'ACK' && f.topic === '/admin')).toMatchObject({ id: '0', body: [{ users: 1 }] });
    expect(out.find((f) => f.type === 'EVENT welcome')).not.toHaveProperty('id');
  });

  it('ties binary attachments to their BINARY_EVENT and BINARY_ACK', () => {
    const i = types.indexOf('socket.io:BINARY_EVENT upload');
    expect(out[i]).toMatchObject({ id: '1', pair: 'request' });
    expect(out[i + 1]).toMatchObject({ type: 'attachment 1/2', id: '1', body: { of: 'BINARY_EVENT upload', size: 4, head: '01020304' } });
    expect(out[i + 2]).toMatchObject({ type: 'attachment 2/2', body: { of: 'BINARY_EVENT upload', size: 5 } });
    expect(out[i + 3]).toMatchObject({ type: 'BINARY_ACK', id: '1', pair: 'response' });
    expect(out[i + 4]).toMatchObject({ type: 'attachment 1/1', body: { of: 'BINARY_ACK', size: 12 } });
  });

  it('reads the middleware rejection as CONNECT_ERROR with its message', () => {
    expect(out.find((f) => f.topic === '/private' && f.cls === 'error')).toMatchObject({
      type: 'CONNECT_ERROR',
      close: { by: 'server', reason: 'unauthorized', detail: '{"content":"token expired"}' },
    });
  });

  it('classes pings and pongs as heartbeats, server pinging', () => {
    const hb = out.filter((f) => f.cls === 'heartbeat');
    expect(hb.length).toBeGreaterThanOrEqual(2);
    expect(hb.map((f) => f.type).slice(0, 2)).toEqual(['ping', 'pong']);
  });

  it('ends with the client leaving /admin and the server disconnect', () => {
    expect(out.find((f) => f.type === 'DISCONNECT' && f.topic === '/admin')!.close).toEqual({ by: 'client', reason: 'io client disconnect' });
    expect(out.at(-1)).toMatchObject({ type: 'DISCONNECT', topic: '/', cls: 'close', close: { by: 'server', reason: 'io server disconnect' } });
  });
});

describe('Socket.IO fixture after an upgrade from polling', () => {
  const out = decodeAll(1);
  it('starts with the probe and the upgrade packet', () => {
    expect(out.slice(0, 3).map((f) => [f.type, f.cls])).toEqual([
      ['ping probe', 'handshake'],
      ['pong probe', 'handshake'],
      ['upgrade', 'handshake'],
    ]);
    expect(out.slice(3).map((f) => f.type)).toEqual(['EVENT chat', 'ACK', 'DISCONNECT']);
  });
  it('falls back to engine.io default terms, since the open packet went over HTTP', () => {
    const h = hintsOf(fixture.connections[1]!.path);
    expect(d.defaultTerms!(h, d.detect(h)!)).toMatchObject({ pinger: 'server', intervalMs: 25000, timeoutMs: 20000, source: 'default' });
    expect(d.defaultTerms!(hintsOf(fixture.connections[0]!.path), d.detect(hintsOf(fixture.connections[0]!.path))!)).toBeUndefined();
  });
});

describe('Socket.IO detection', () => {
  const open = text('in', '0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000}');
  it('is likely from the URL alone', () => {
    expect(d.detect(hintsOf('/socket.io/?EIO=4&transport=websocket'))).toEqual({ protocol: 'socket.io', certainty: 'likely', by: 'url', variant: 'EIO 4' });
    expect(d.detect(hintsOf('/custom/?EIO=3&transport=websocket'))).toMatchObject({ certainty: 'likely', variant: 'EIO 3' });
    expect(d.detect(hintsOf('/socket.io/'))).toMatchObject({ certainty: 'likely' });
    expect(d.detect(hintsOf('/chat'))).toBeUndefined();
  });
  it('is certain from the open packet or the probe with the URL', () => {
    expect(d.sniff([open], hintsOf('/socket.io/?EIO=4&transport=websocket'))).toMatchObject({ certainty: 'certain', variant: 'EIO 4' });
    expect(d.sniff([open], hintsOf('/anything'))).toMatchObject({ certainty: 'certain', by: 'frames' });
    const probe = [text('out', '2probe'), text('in', '3probe')];
    expect(d.sniff(probe, hintsOf('/socket.io/?EIO=4&transport=websocket&sid=x'))).toMatchObject({ certainty: 'certain' });
    expect(d.sniff(probe, hintsOf('/x'))).toMatchObject({ certainty: 'likely' });
  });
  it('a JSON chat whose text starts with 42 is at most possible', () => {
    expect(d.sniff([text('in', '42["x"]'), text('out', '42["y",1]')], hintsOf('/chat'))).toEqual({ protocol: 'socket.io', certainty: 'possible', by: 'frames' });
    expect(d.sniff([text('in', '42 is the answer'), text('in', '{"a":1}')], hintsOf('/chat'))).toBeUndefined();
    expect(d.sniff([text('in', '0{"sid":"a"}')], hintsOf('/chat'))).toBeUndefined();
  });
});

describe('Engine.IO v3 / Socket.IO v2, from the protocol specs (no v2 library installed to record)', () => {
  it('the client pings in v3', () => {
    const st = v3();
    expect(one(d.decode(text('in', '0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":5000}'), st)).terms).toMatchObject({ pinger: 'client', intervalMs: 25000, timeoutMs: 5000 });
    expect(one(d.decode(text('out', '2'), st))).toMatchObject({ type: 'ping', cls: 'heartbeat' });
  });
  it('infers the revision from who pings when the URL does not say', () => {
    const st = d.init(hintsOf('/x'), { protocol: 'socket.io', certainty: 'certain', by: 'frames' });
    d.decode(text('out', '2'), st);
    expect(st.eio).toBe(3);
    const st4 = d.init(hintsOf('/x'), { protocol: 'socket.io', certainty: 'certain', by: 'frames' });
    d.decode(text('in', '2'), st4);
    expect(st4.eio).toBe(4);
  });
  it('reads the v2 ERROR packet with a string', () => {
    expect(one(d.decode(text('in', '44/admin,"unauthorized"'), v3()))).toMatchObject({ type: 'ERROR', cls: 'error', topic: '/admin', close: { by: 'server', reason: 'unauthorized' } });
  });
  it('strips a v2 namespace query from the topic', () => {
    expect(one(d.decode(text('out', '40/admin?token=abc,'), v3()))).toMatchObject({ type: 'CONNECT', topic: '/admin' });
  });
  it('v3 binary frames carry a 0x04 type byte before the attachment', () => {
    const st = v3();
    one(d.decode(text('out', '451-["up",{"_placeholder":true,"num":0}]'), st));
    const bin = Buffer.from([4, 0xca, 0xfe]).toString('base64');
    expect(one(d.decode({ dir: 'out', at: 0, bin: true, size: 3, data: bin }, st))).toMatchObject({ type: 'attachment 1/1', body: { size: 2, head: 'cafe' } });
    expect(isUndecodable(d.decode({ dir: 'out', at: 0, bin: true, size: 2, data: Buffer.from([2, 1]).toString('base64') }, st))).toBe(true);
  });
  it('reads the base64 text form of a binary message', () => {
    expect(one(d.decode(text('in', 'b4AQID'), v3()))).toMatchObject({ protocol: 'engine.io', type: 'binary message', body: { size: 3, head: '010203' } });
    expect(one(d.decode(text('in', 'bAQID'), v4()))).toMatchObject({ type: 'binary message', body: { size: 3 } });
  });
});

describe('Socket.IO bad input', () => {
  it('engine.io close, noop and plain engine.io messages', () => {
    expect(one(d.decode(text('in', '1'), v4()))).toMatchObject({ protocol: 'engine.io', type: 'close', cls: 'close', close: { by: 'server' } });
    expect(one(d.decode(text('in', '6'), v4()))).toMatchObject({ type: 'noop', cls: 'control' });
    expect(one(d.decode(text('in', '4hello'), v4()))).toMatchObject({ protocol: 'engine.io', type: 'message', body: 'hello' });
  });
  it('malformed packets are undecodable, not thrown', () => {
    for (const s of ['', '9', 'x', '42["x"', '42{"a":1}', '40[1]', '45-[]', '45x-["a"]', '450-["a"]', '42[{}]', '0{bad']) {
      const r = d.decode(text('in', s), v4());
      expect(isUndecodable(r), s).toBe(true);
    }
    expect(isUndecodable(d.decode({ dir: 'in', at: 0, bin: true, size: 3, data: '!!!' }, v4()))).toBe(true);
    expect(isUndecodable(d.decode({ dir: 'in', at: 0, bin: false, size: 3 }, v4()))).toBe(true);
  });
  it('a truncated event keeps its type, name, namespace and id, marked partial', () => {
    const f = one(d.decode(text('out', '42/chat,17["message",{"text":"aaaa', { trunc: true, size: 90_000 }), v4()));
    expect(f).toEqual({ protocol: 'socket.io', type: 'EVENT message', cls: 'data', topic: '/chat', id: '17', pair: 'request', partial: true });
    expect(one(d.decode(text('in', '0{"sid":"a","pingInt', { trunc: true }), v4()))).toMatchObject({ type: 'open', partial: true });
    expect(one(d.decode(text('in', '0{"sid":"a","pingInt', { trunc: true }), v4()))).not.toHaveProperty('terms');
  });
  it('a 10 MB frame is read only up to the capture cap', () => {
    const big = '42["big","' + 'x'.repeat(10 * 1024 * 1024) + '"]';
    const f = one(d.decode(text('in', big), v4()));
    expect(f).toMatchObject({ type: 'EVENT big', partial: true });
    const bin = Buffer.alloc(10 * 1024 * 1024, 7).toString('base64');
    expect(one(d.decode({ dir: 'in', at: 0, bin: true, size: 10 * 1024 * 1024, data: bin }, v4()))).toMatchObject({ type: 'binary message', partial: true });
  });
  it('never throws on random text or bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ dir: fc.constantFrom('in' as const, 'out' as const), bin: fc.boolean(), s: fc.string({ maxLength: 60 }), b: fc.uint8Array({ maxLength: 40 }), trunc: fc.boolean() })), (frames) => {
        const st = v4();
        for (const f of frames) {
          const data = f.bin ? Buffer.from(f.b).toString('base64') : f.s;
          const r = d.decode({ dir: f.dir, at: 0, bin: f.bin, size: data.length, data, trunc: f.trunc }, st);
          expect(Array.isArray(r) || typeof (r as { error: unknown }).error === 'string').toBe(true);
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.constantFrom('0', '1', '2', '3', '4', '40', '42', '43', '44', '45', '451-', '46', '4/', 'b'), fc.string({ maxLength: 80 }), (p, s) => {
        const r = d.decode(text('in', p + s), v3());
        expect(Array.isArray(r) || 'error' in r).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

// graphql-ws and subscriptions-transport-ws decoders on frames recorded from the real libraries
// (test/fixtures/protocols/record-graphql.ts), detection certainty, and hostile input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CLOSE_CODES, graphqlWsDecoder } from '../../src/core/protocols/graphql-ws.ts';
import { subscriptionsTransportWsDecoder } from '../../src/core/protocols/subscriptions-transport-ws.ts';
import { isUndecodable, type ConnectionHints, type DecodedFrame, type Decoder, type FrameIn } from '../../src/core/protocols/types.ts';
import gwFixture from '../fixtures/protocols/graphql-ws.json';
import stwFixture from '../fixtures/protocols/subscriptions-transport-ws.json';

type Conn = (typeof gwFixture.connections)[number];
const framesOf = (c: Conn): FrameIn[] => c.frames.map((f) => ({ dir: f.dir as 'in' | 'out', at: f.t, bin: f.bin, size: f.data.length, data: f.data }));
const hintsOf = (c: Conn): ConnectionHints => ({ url: `ws://127.0.0.1${c.path}`, protocols: c.protocols, protocol: c.protocol });

function decodeAll<S>(dec: Decoder<S>, c: Conn): DecodedFrame[][] {
  const h = hintsOf(c);
  const state = dec.init(h, dec.detect(h)!);
  return framesOf(c).map((f) => {
    const r = dec.decode(f, state);
    if (isUndecodable(r)) throw new Error(`undecodable fixture frame: ${r.error}`);
    return r;
  });
}

function hostile<S>(dec: Decoder<S>): void {
  const h: ConnectionHints = { url: 'ws://x/graphql', protocols: [] };
  const d = { protocol: dec.id, certainty: 'possible' as const, by: 'frames' as const };
  const frame = (data: string, extra: Partial<FrameIn> = {}): FrameIn => ({ dir: 'in', at: 0, bin: false, size: data.length, data, ...extra });

  it('falls back on malformed, empty and binary frames without throwing', () => {
    const s = dec.init(h, d);
    expect(isUndecodable(dec.decode(frame('not json'), s))).toBe(true);
    expect(isUndecodable(dec.decode(frame(''), s))).toBe(true);
    expect(isUndecodable(dec.decode(frame('[1,2]'), s))).toBe(true);
    expect(isUndecodable(dec.decode(frame('{"payload":1}'), s))).toBe(true);
    expect(isUndecodable(dec.decode({ dir: 'in', at: 0, bin: true, size: 3, data: 'AAEC' }, s))).toBe(true);
    expect(isUndecodable(dec.decode({ dir: 'in', at: 0, bin: false, size: 10 }, s))).toBe(true);
  });

  it('reads the type and id of a cut frame and marks it partial', () => {
    const r = dec.decode(frame('{"id":"abc","type":"complete","payload":{"data":{"x":"aaaa', { trunc: true, size: 90_000 }), dec.init(h, d));
    expect(r).toEqual([expect.objectContaining({ type: 'complete', id: 'abc', partial: true })]);
    expect(isUndecodable(dec.decode(frame('{"payload":{"type', { trunc: true }), dec.init(h, d)))).toBe(true);
  });

  it('decodes a 10 MB frame without a throw', () => {
    const big = `{"type":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    const r = dec.decode(frame(big), dec.init(h, d));
    expect(isUndecodable(r)).toBe(true);
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), fc.boolean(), (s, bin, trunc) => {
        const r = dec.decode({ dir: 'in', at: 0, bin, size: s.length, data: s, trunc }, dec.init(h, d));
        expect(Array.isArray(r) || typeof r.error === 'string').toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.json(), (s) => {
        const r = dec.decode(frame(s), dec.init(h, d));
        expect(Array.isArray(r) || typeof r.error === 'string').toBe(true);
      }),
    );
  });
}

describe('graphql-ws (graphql-transport-ws)', () => {
  const [main, refused] = gwFixture.connections as [Conn, Conn];
  const decoded = decodeAll(graphqlWsDecoder, main);
  const flat = decoded.flat();

  it('was recorded from the real libraries', () => {
    expect(gwFixture.recorded.server).toMatch(/^graphql-ws@\d/);
    expect(main.protocol).toBe('graphql-transport-ws');
    expect(decoded.every((r) => r.length === 1)).toBe(true);
  });

  it('decodes the handshake, keeping the connection_init payload', () => {
    expect(flat[0]).toMatchObject({ type: 'connection_init', cls: 'handshake', body: { Authorization: 'Bearer good' } });
    expect(flat[1]).toMatchObject({ type: 'connection_ack', cls: 'handshake' });
  });

  it('pairs subscribe, next and complete by id, labelled by operation name or first field', () => {
    const sub = flat[2]!;
    expect(sub).toMatchObject({ type: 'subscribe Counter', cls: 'data', pair: 'request' });
    expect(sub.id).toMatch(/^[0-9a-f-]{36}$/);
    const same = flat.filter((f) => f.id === sub.id).map((f) => [f.type, f.pair]);
    expect(same).toEqual([
      ['subscribe Counter', 'request'],
      ['next', 'stream'],
      ['next', 'stream'],
      ['next', 'stream'],
      ['complete', 'response'],
    ]);
    expect(flat[3]!.body).toEqual({ data: { count: 1 } });
    expect(flat.map((f) => f.type)).toContain('subscribe hello');
    expect(flat.map((f) => f.type)).toContain('subscribe Boom');
  });

  it('classes the error message as an error response, without an app-level close', () => {
    const err = flat.find((f) => f.type === 'error')!;
    expect(err).toMatchObject({ cls: 'error', pair: 'response' });
    expect(JSON.stringify(err.body)).toContain('Cannot query field \\"nope\\"');
    expect(flat.some((f) => f.close)).toBe(false);
  });

  it('marks client pings as heartbeats and announces the terms on the first only', () => {
    const pings = flat.filter((f) => f.type === 'ping');
    const pongs = flat.filter((f) => f.type === 'pong');
    expect(pings.length).toBeGreaterThanOrEqual(2);
    expect(pongs.length).toBe(pings.length);
    expect([...pings, ...pongs].every((f) => f.cls === 'heartbeat')).toBe(true);
    expect(pings[0]!.terms).toMatchObject({ pinger: 'client', source: 'announced' });
    expect(pings.slice(1).some((f) => f.terms)).toBe(false);
  });

  it('records the auth rejection as close 4403, which the close-code table names', () => {
    expect(refused.close).toEqual({ code: 4403, reason: 'Forbidden', by: 'server' });
    expect(decodeAll(graphqlWsDecoder, refused).flat()[0]).toMatchObject({ type: 'connection_init', body: { Authorization: 'Bearer bad' } });
    expect(CLOSE_CODES[4403]).toMatch(/Forbidden/);
    expect(CLOSE_CODES[4499]).toMatch(/Terminated/);
  });

  it('is certain from its subprotocol, only possible from frames', () => {
    const h = hintsOf(main);
    expect(graphqlWsDecoder.detect(h)).toEqual({ protocol: 'graphql-ws', certainty: 'certain', by: 'subprotocol', variant: 'graphql-transport-ws' });
    expect(subscriptionsTransportWsDecoder.detect(h)).toBeUndefined();
    const bare: ConnectionHints = { url: 'ws://x/graphql', protocols: [] };
    const first = framesOf(main).slice(0, 4);
    expect(graphqlWsDecoder.sniff(first, bare)).toEqual({ protocol: 'graphql-ws', certainty: 'possible', by: 'frames' });
    expect(subscriptionsTransportWsDecoder.sniff(first, bare)).toBeUndefined();
    expect(graphqlWsDecoder.detect({ url: 'ws://x/', protocols: ['graphql-transport-ws', 'graphql-ws'] })?.certainty).toBe('possible');
  });

  it('does not take a JSON chat with a type field for graphql-ws', () => {
    const chat: FrameIn[] = [{ dir: 'out', at: 0, bin: false, size: 20, data: '{"type":"message","text":"hi"}' }];
    expect(graphqlWsDecoder.sniff(chat, { url: 'ws://x/', protocols: [] })).toBeUndefined();
    expect(subscriptionsTransportWsDecoder.sniff(chat, { url: 'ws://x/', protocols: [] })).toBeUndefined();
  });

  hostile(graphqlWsDecoder);
});

describe('subscriptions-transport-ws (subprotocol graphql-ws)', () => {
  const [main, refused] = stwFixture.connections as [Conn, Conn];
  const flat = decodeAll(subscriptionsTransportWsDecoder, main).flat();

  it('was recorded from the real library', () => {
    expect(stwFixture.recorded.server).toMatch(/^subscriptions-transport-ws@0\.11/);
    expect(main.protocol).toBe('graphql-ws');
  });

  it('decodes init, start, data, complete, error, stop and terminate in order', () => {
    expect(flat[0]).toMatchObject({ type: 'connection_init', cls: 'handshake', body: { Authorization: 'Bearer good' } });
    expect(flat[1]).toMatchObject({ type: 'start Counter', id: '1', pair: 'request' });
    expect(flat.filter((f) => f.id === '1').map((f) => f.type)).toEqual(['start Counter', 'data', 'data', 'data', 'complete']);
    expect(flat.find((f) => f.type === 'start nope')).toMatchObject({ id: '2' });
    expect(flat.find((f) => f.type === 'error')).toMatchObject({ id: '3', cls: 'error', pair: 'response', body: { message: 'Syntax Error: Expected Name, found <EOF>.' } });
    expect(flat.find((f) => f.type === 'stop')).toMatchObject({ id: '4', pair: 'response', cls: 'control' });
    expect(flat.at(-1)).toMatchObject({ type: 'connection_terminate', cls: 'close', close: { by: 'client' } });
  });

  it('marks ka as a server heartbeat with terms on the first one', () => {
    const ka = flat.filter((f) => f.type === 'ka');
    expect(ka.length).toBeGreaterThanOrEqual(3);
    expect(ka.every((f) => f.cls === 'heartbeat')).toBe(true);
    expect(ka[0]!.terms).toMatchObject({ pinger: 'server', source: 'announced' });
    expect(ka.slice(1).some((f) => f.terms)).toBe(false);
    expect(subscriptionsTransportWsDecoder.defaultTerms).toBeUndefined();
  });

  it('reads the onConnect rejection as an app-level close with its reason', () => {
    const r = decodeAll(subscriptionsTransportWsDecoder, refused).flat();
    expect(r[1]).toMatchObject({ type: 'connection_error', cls: 'error', close: { by: 'server', reason: 'Prohibited connection!' } });
    expect(refused.close?.code).toBe(1011);
  });

  it('is certain from the graphql-ws subprotocol, possible from ka/start frames', () => {
    expect(subscriptionsTransportWsDecoder.detect(hintsOf(main))?.certainty).toBe('certain');
    expect(graphqlWsDecoder.detect(hintsOf(main))).toBeUndefined();
    const bare: ConnectionHints = { url: 'ws://x/', protocols: [] };
    expect(subscriptionsTransportWsDecoder.sniff(framesOf(main).slice(0, 4), bare)?.certainty).toBe('possible');
    expect(graphqlWsDecoder.sniff(framesOf(main).slice(0, 4), bare)).toBeUndefined();
    const initOnly = framesOf(main).slice(0, 1);
    expect(graphqlWsDecoder.sniff(initOnly, bare)?.certainty).toBe('possible');
    expect(subscriptionsTransportWsDecoder.sniff(initOnly, bare)?.certainty).toBe('possible');
  });

  hostile(subscriptionsTransportWsDecoder);
});

import { describe, expect, it } from 'vitest';

import { mqttDecoder as d } from '../../src/core/protocols/mqtt.ts';
import { decodeAll, fuzz, huge, load } from './fixture-c.ts';

const fx = load('mqtt');
const h = { url: 'ws://h/mqtt', protocols: [] as string[] };
const b64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');
const bin = (dir: 'in' | 'out', bytes: number[], trunc = false) => ({ dir, bin: true, at: 0, size: bytes.length, data: b64(bytes), trunc });
const det = { protocol: 'mqtt' as const, certainty: 'certain' as const, by: 'frames' as const };

describe('MQTT decoder on recorded frames (mqtt.js writes each packet in pieces; joined per direction)', () => {
  it('3.1.1 session: CONNECT keep-alive terms, SUBSCRIBE/SUBACK, PUBLISH QoS 0/1 with PUBACK, binary payload, pings, DISCONNECT', () => {
    const whole = decodeAll(d, fx, 0).flat().filter((f) => !f.partial);
    const types = whole.map((f) => f.type);
    expect(types.slice(0, 4)).toEqual(['CONNECT', 'CONNACK 0', 'SUBSCRIBE chat/+', 'SUBACK']);
    expect(whole[0]!.terms).toEqual({ pinger: 'client', intervalMs: 1000, timeoutMs: 500, source: 'announced', from: 'MQTT CONNECT keep alive' });
    expect(whole[0]!.body).toMatchObject({ protocol: 'MQTT', level: 4, keepAlive: 1, clientId: 'rec-v4' });
    expect(whole[2]!.pair).toBe('request');
    expect(whole[3]).toMatchObject({ pair: 'response', id: whole[2]!.id });
    const q1 = whole.find((f) => f.type === 'PUBLISH chat/b')!;
    expect(q1).toMatchObject({ pair: 'request', body: { qos: 1, payload: '{"n":1,"text":"qos1"}' } });
    expect(whole.find((f) => f.type === 'PUBACK' && f.id === q1.id)).toBeDefined();
    expect(whole.find((f) => f.type === 'PUBLISH chat/bin')!.body).toEqual({ qos: 0, payload: { bytes: 4 } });
    expect(types.filter((t) => t === 'PINGREQ').length).toBeGreaterThanOrEqual(2);
    expect(types.filter((t) => t === 'PINGRESP').length).toBeGreaterThanOrEqual(2);
    expect(whole.at(-1)).toMatchObject({ type: 'DISCONNECT', cls: 'close', close: { by: 'client' } });
    expect(whole.filter((f) => f.cls === 'heartbeat').every((f) => f.type.startsWith('PING'))).toBe(true);
  });
  it('aedes refuses MQTT 5 with a 3.1.1 CONNACK 1, and a bad login with CONNACK 5', () => {
    const v5 = decodeAll(d, fx, 1).flat().filter((f) => !f.partial);
    expect(v5[0]!.body).toMatchObject({ level: 5, clientId: 'bad-v5' });
    expect(v5[1]).toMatchObject({ type: 'CONNACK 1', cls: 'error', close: { by: 'server', code: 1, reason: 'unacceptable protocol version' } });
    const auth = decodeAll(d, fx, 2).flat().filter((f) => !f.partial);
    expect(auth[1]).toMatchObject({ type: 'CONNACK 5', cls: 'error', close: { code: 5, reason: 'not authorized' } });
  });
});

describe('MQTT 5 packets built by hand (aedes does not speak MQTT 5)', () => {
  it('CONNACK 0x87, Server Keep Alive terms, DISCONNECT reason code and reason string', () => {
    const s = d.init(h, det);
    d.decode(bin('out', [0x10, 13, 0, 4, 77, 81, 84, 84, 5, 2, 0, 60, 0, 0, 0]), s);
    expect(d.decode(bin('in', [0x20, 3, 0, 0x87, 0]), s)).toMatchObject([{ type: 'CONNACK 135', close: { code: 0x87, reason: 'Not authorized' } }]);
    expect(d.decode(bin('in', [0x20, 6, 0, 0, 3, 0x13, 0, 20]), s)).toMatchObject([{ terms: { pinger: 'client', intervalMs: 20_000, timeoutMs: 10_000, from: 'MQTT CONNACK Server Keep Alive' } }]);
    expect(d.decode(bin('in', [0xe0, 7, 0x8e, 5, 0x1f, 0, 2, 104, 105]), s)).toMatchObject([{ type: 'DISCONNECT 142', cls: 'close', close: { by: 'server', code: 0x8e, reason: 'hi' } }]);
    expect(d.decode(bin('in', [0xe0, 2, 0x8d, 0]), s)).toMatchObject([{ close: { code: 0x8d, reason: 'Keep Alive timeout' } }]);
  });
  it('several packets in one message; a packet split across messages; a cut capture', () => {
    const s = d.init(h, det);
    expect((d.decode(bin('in', [0xc0, 0, 0xd0, 0, 0x30, 5, 0, 1, 97, 104, 105]), s) as { type: string }[]).map((f) => f.type)).toEqual(['PINGREQ', 'PINGRESP', 'PUBLISH a']);
    expect(d.decode(bin('in', [0x30, 5, 0, 1]), s)).toMatchObject([{ type: 'PUBLISH (part)', partial: true }]);
    expect(d.decode(bin('in', [97, 104, 105]), s)).toMatchObject([{ type: 'PUBLISH a', body: { payload: 'hi' } }]);
    expect(d.decode(bin('in', [0x30, 100, 0, 1, 97, 104], true), s)).toMatchObject([{ type: 'PUBLISH a', partial: true }]);
  });
  it('remaining length over 4 bytes and reserved type are undecodable', () => {
    const s = d.init(h, det);
    expect(d.decode(bin('in', [0x30, 0xff, 0xff, 0xff, 0xff, 1]), s)).toEqual({ protocol: 'mqtt', error: 'remaining length over 4 bytes' });
    expect(d.decode(bin('in', [0x00, 0]), s)).toEqual({ protocol: 'mqtt', error: 'reserved packet type' });
    expect(d.decode({ dir: 'in', bin: false, at: 0, size: 2, data: 'hi' }, s)).toEqual({ protocol: 'mqtt', error: 'text frame' });
  });
});

describe('MQTT detection', () => {
  it('subprotocols and a CONNECT (even in pieces) are certain; garbage is not detected', () => {
    expect(d.detect({ url: 'ws://x/', protocols: ['mqtt'] })?.certainty).toBe('certain');
    expect(d.detect({ url: 'ws://x/', protocols: ['mqttv3.1'] })?.variant).toBe('MQTT 3.1');
    expect(d.detect({ url: 'ws://x/mqtt', protocols: [] })).toBeUndefined();
    const c = fx.connections[0]!;
    const first = c.frames.slice(0, 4).map((f) => ({ ...f, at: f.t, size: 1 }));
    expect(d.sniff(first, h)).toEqual({ protocol: 'mqtt', certainty: 'certain', by: 'frames' });
    expect(d.sniff([bin('out', [0x10, 7, 0, 4, 77, 81, 84, 84, 5])], h)).toMatchObject({ certainty: 'certain', variant: 'MQTT 5' });
    expect(d.sniff([bin('out', [0x10, 7, 0, 4, 65, 66, 67, 68, 4])], h)).toBeUndefined();
    expect(d.sniff([bin('out', [0xde, 0xad, 0xbe, 0xef])], h)).toBeUndefined();
  });
  it('huge and random frames', () => {
    huge(d, h, Buffer.alloc(10_000_000, 0x30).toString('base64'), true);
    huge(d, h, Buffer.concat([Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f, 0, 1, 97]), Buffer.alloc(10_000_000)]).toString('base64'), true);
    fuzz(d, h);
  });
});

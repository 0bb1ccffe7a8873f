import { describe, expect, it } from 'vitest';

import { phoenixDecoder as d } from '../../src/core/protocols/phoenix.ts';
import { decodeAll, fuzz, huge, load } from './fixture-c.ts';

const fx = load('phoenix');
const url2 = 'ws://h/socket/websocket?token=t&vsn=2.0.0';
const h = { url: url2, protocols: [] as string[] };
const text = (dir: 'in' | 'out', data: string, trunc = false) => ({ dir, bin: false, at: 0, size: data.length, data, trunc });

describe('Phoenix decoder on frames from the real phoenix.js client', () => {
  it('join, push/reply pairs, binary push and reply, refused join, broadcasts, heartbeats, leave', () => {
    const all = decodeAll(d, fx, 0).map((r) => r[0]!);
    expect(all.slice(0, 8).map((f) => f.type)).toEqual(['phx_join', 'phx_reply ok', 'shout', 'phx_reply ok', 'upload', 'phx_reply ok', 'phx_join', 'phx_reply error']);
    expect(all[0]).toMatchObject({ topic: 'room:lobby', id: '3', pair: 'request', body: { user: 'ann' } });
    expect(all[1]).toMatchObject({ id: '3', pair: 'response', body: { welcome: 'room:lobby' } });
    expect(all[4]).toMatchObject({ type: 'upload', id: '5', topic: 'room:lobby', body: { bytes: 4 } });
    expect(all[5]).toMatchObject({ type: 'phx_reply ok', id: '5', pair: 'response' });
    expect(all[7]).toMatchObject({ cls: 'error', topic: 'room:secret', body: { reason: 'unauthorized' } });
    expect(all.find((f) => f.type === 'blob')).toMatchObject({ topic: 'room:lobby', body: { bytes: 3 } });
    expect(all.find((f) => f.type === 'new_msg')).toMatchObject({ cls: 'data', body: { body: 'broadcast to all' } });
    const beats = all.filter((f) => f.topic === 'phoenix');
    expect(beats.length).toBeGreaterThanOrEqual(6);
    expect(beats.every((f) => f.cls === 'heartbeat')).toBe(true);
    expect(all.filter((f) => f.type === 'phx_close').map((f) => f.topic)).toEqual(['room:secret', 'room:lobby']);
  });
  it('default terms: phoenix.js heartbeat every 30 s', () => {
    expect(d.defaultTerms!(h, d.detect(h)!)).toEqual({ pinger: 'client', intervalMs: 30_000, timeoutMs: 30_000, source: 'default', from: 'Phoenix default (phoenix.js heartbeatIntervalMs)' });
  });
});

describe('Phoenix detection', () => {
  it('URL is likely; certain once a heartbeat/phx_join of the serializer shape is seen; frames alone only possible', () => {
    expect(d.detect(h)).toEqual({ protocol: 'phoenix', certainty: 'likely', by: 'url', variant: 'Phoenix v2' });
    expect(d.detect({ url: 'ws://h/live/websocket?vsn=1.0.0', protocols: [] })?.variant).toBe('Phoenix v1');
    expect(d.detect({ url: 'ws://h/socket?vsn=2.0.0', protocols: [] })).toBeUndefined();
    const beat = text('out', '[null,"1","phoenix","heartbeat",{}]');
    expect(d.sniff([beat], h)?.certainty).toBe('certain');
    expect(d.sniff([text('out', '{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"1"}')], { url: 'ws://h/s/websocket?vsn=1.0.0', protocols: [] })?.certainty).toBe('certain');
    expect(d.sniff([beat], { url: 'ws://h/chat', protocols: [] })?.certainty).toBe('possible');
    expect(d.sniff([text('out', '["a","b","c","d",{}]')], { url: 'ws://h/chat', protocols: [] })).toBeUndefined();
  });
});

describe('Phoenix bad input', () => {
  it('v1 objects, phx_error, truncated JSON and binary, garbage', () => {
    const s = d.init(h, d.detect(h)!);
    expect(d.decode(text('in', '{"topic":"room:1","event":"phx_error","payload":{},"ref":null}'), s)).toMatchObject([{ type: 'phx_error', cls: 'error', topic: 'room:1' }]);
    expect(d.decode(text('in', '[null,"1","phoen', true), s)).toEqual({ protocol: 'phoenix', error: 'truncated JSON' });
    const cut = Buffer.from([2, 10, 4, ...Buffer.from('room:lob')]).toString('base64');
    expect(d.decode({ dir: 'in', bin: true, at: 0, size: 99, data: cut, trunc: true }, s)).toMatchObject([{ topic: 'room:lob', partial: true }]);
    expect(d.decode({ dir: 'in', bin: true, at: 0, size: 99, data: cut }, s)).toEqual({ protocol: 'phoenix', error: 'not a v2 binary frame' });
    expect(d.decode(text('in', '[1,2]'), s)).toEqual({ protocol: 'phoenix', error: 'not a Phoenix message' });
  });
  it('huge and random frames', () => {
    huge(d, h, '[null,"1","t","e","' + 'x'.repeat(10_000_000) + '"]', false);
    huge(d, h, Buffer.alloc(7_500_000, 2).toString('base64'), true);
    fuzz(d, h);
  });
});

import { describe, expect, it } from 'vitest';

import { actioncableDecoder as d } from '../../src/core/protocols/actioncable.ts';
import { decodeAll, fuzz, huge, load } from './fixture-c.ts';

const fx = load('actioncable');
const h = { url: 'ws://h/cable', protocols: ['actioncable-v1-json', 'actioncable-unsupported'], protocol: 'actioncable-v1-json' };
const text = (dir: 'in' | 'out', data: string, trunc = false) => ({ dir, bin: false, at: 0, size: data.length, data, trunc });

describe('Action Cable decoder on frames from the real @rails/actioncable consumer', () => {
  it('welcome, subscribe/confirm, reject, perform, messages, pings, disconnect', () => {
    const all = decodeAll(d, fx, 0).map((r) => r[0]!);
    expect(all.map((f) => f.type)).toEqual([
      'welcome', 'subscribe', 'confirm_subscription', 'message', 'subscribe', 'reject_subscription', 'message speak', 'message', 'ping', 'ping', 'disconnect unauthorized',
    ]);
    expect(all[1]).toMatchObject({ topic: 'ChatChannel', pair: 'request', id: '{"channel":"ChatChannel","room":"lobby"}' });
    expect(all[2]).toMatchObject({ topic: 'ChatChannel', pair: 'response', id: all[1]!.id });
    expect(all[3]).toMatchObject({ topic: 'ChatChannel', cls: 'data', body: { text: 'welcome to the room', from: 'server' } });
    expect(all[5]).toMatchObject({ topic: 'AdminChannel', cls: 'error' });
    expect(all[6]).toMatchObject({ body: { message: 'hi all', action: 'speak' } });
    expect(all[8]!.cls).toBe('heartbeat');
    expect(all[10]).toMatchObject({ cls: 'close', close: { by: 'server', reason: 'unauthorized', reconnect: false } });
  });
  it('default terms: a server ping every 3 s, stale after 6 s', () => {
    expect(d.defaultTerms!(h, d.detect(h)!)).toMatchObject({ pinger: 'server', intervalMs: 3000, timeoutMs: 3000, source: 'default' });
  });
});

describe('Action Cable detection', () => {
  it('subprotocol is certain; welcome/ping frames alone are at most likely', () => {
    expect(d.detect(h)?.certainty).toBe('certain');
    expect(d.detect({ url: 'ws://h/', protocols: [], protocol: 'actioncable-unsupported' })?.certainty).toBe('certain');
    expect(d.detect({ url: 'ws://h/cable', protocols: [] })).toBeUndefined();
    expect(d.sniff([text('in', '{"type":"welcome"}')], { url: 'ws://h/cable', protocols: [] })?.certainty).toBe('likely');
    expect(d.sniff([text('in', '{"type":"ping","message":1700000000}')], { url: 'ws://h/chat', protocols: [] })?.certainty).toBe('possible');
    expect(d.sniff([text('in', '{"type":"chat","message":"hi"}')], { url: 'ws://h/chat', protocols: [] })).toBeUndefined();
  });
});

describe('Action Cable bad input', () => {
  it('truncated, not JSON, not an object, missing fields, disconnect without reconnect', () => {
    const s = d.init(h, d.detect(h)!);
    expect(d.decode(text('in', '{"type":"pi', true), s)).toEqual({ protocol: 'actioncable', error: 'truncated JSON' });
    expect(d.decode(text('in', 'hello'), s)).toEqual({ protocol: 'actioncable', error: 'not JSON' });
    expect(d.decode(text('in', '[1]'), s)).toEqual({ protocol: 'actioncable', error: 'not an object' });
    expect(d.decode(text('out', '{"identifier":"x"}'), s)).toEqual({ protocol: 'actioncable', error: 'no command' });
    expect(d.decode(text('in', '{"type":"disconnect","reason":"server_restart"}'), s)).toMatchObject([{ close: { reason: 'server_restart' } }]);
    expect(d.decode(text('in', '{"identifier":"not json","message":1}'), s)).toMatchObject([{ topic: 'not json', body: 1 }]);
  });
  it('huge and random frames', () => {
    huge(d, h, '{"identifier":"x","message":"' + 'x'.repeat(10_000_000) + '"}', false);
    fuzz(d, h);
  });
});

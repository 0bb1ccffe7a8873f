import { describe, expect, it } from 'vitest';

import { stompDecoder as d } from '../../src/core/protocols/stomp.ts';
import { decodeAll, fuzz, huge, load } from './fixture-c.ts';

const fx = load('stomp');
const h = { url: 'ws://h/stomp', protocols: [] as string[] };

describe('STOMP decoder on recorded frames', () => {
  it('session: CONNECT/CONNECTED terms, subscribe, send with receipt, message, heart-beats, disconnect', () => {
    const all = decodeAll(d, fx, 0).flat();
    expect(all.map((f) => f.type).slice(0, 8)).toEqual(['CONNECT', 'CONNECTED', 'SUBSCRIBE /queue/a', 'SEND /queue/a', 'MESSAGE /queue/a', 'RECEIPT', 'SEND /queue/a', 'MESSAGE /queue/a']);
    expect(all[1]!.terms).toEqual({ pinger: 'both', intervalMs: 200, serverEveryMs: 200, clientEveryMs: 250, source: 'announced', from: 'STOMP CONNECTED heart-beat' });
    expect(all[3]).toMatchObject({ id: 'rcpt-1', pair: 'request', topic: '/queue/a', body: { headers: { 'x-note': 'a:b\\c' }, body: 'hello: one\ntwo' } });
    expect(all[5]).toMatchObject({ id: 'rcpt-1', pair: 'response' });
    expect(all[7]).toMatchObject({ id: 'm-2', body: { body: 'hié' } });
    expect(all.filter((f) => f.cls === 'heartbeat').length).toBeGreaterThan(4);
    expect(all.at(-2)).toMatchObject({ type: 'DISCONNECT', cls: 'close', id: 'close-0' });
  });
  it('ERROR frames close with the message header and the body', () => {
    expect(decodeAll(d, fx, 1)[1]![0]!.close).toEqual({ by: 'server', reason: 'Bad credentials', detail: 'user guest may not connect: passcode refused' });
    expect(decodeAll(d, fx, 2)[1]![0]).toMatchObject({ cls: 'error', close: { reason: 'CONNECTION ERROR' } });
  });
});

describe('STOMP detection', () => {
  it('subprotocol and CONNECT frames are certain; other text is not STOMP', () => {
    expect(d.detect({ url: 'ws://x/', protocols: ['v12.stomp'] })?.certainty).toBe('certain');
    expect(d.detect({ url: 'ws://x/', protocols: ['v10.stomp'] })?.variant).toBe('STOMP 1.0');
    expect(d.sniff([{ dir: 'out', bin: false, at: 0, size: 9, data: 'STOMP\naccept-version:1.1,1.2\nhost:x\n\n\0' }], h)).toMatchObject({ certainty: 'certain', by: 'frames', variant: 'STOMP 1.2' });
    expect(d.sniff([{ dir: 'out', bin: false, at: 0, size: 9, data: 'CONNECT\nhost:x\n\n\0' }], h)).toBeUndefined();
    expect(d.sniff([{ dir: 'out', bin: false, at: 0, size: 9, data: '{"CONNECT":1}' }], h)).toBeUndefined();
  });
});

describe('STOMP bad input', () => {
  it('several frames per message, escapes, truncation, unknown commands', () => {
    const s = d.init(h, { protocol: 'stomp', certainty: 'certain', by: 'frames' });
    const r = d.decode({ dir: 'in', bin: false, at: 0, size: 0, data: 'MESSAGE\ndestination:/t\nmessage-id:1\nk:a\\nb\\c\n\nx\0\nRECEIPT\nreceipt-id:9\n\n\0' }, s);
    expect(r).toMatchObject([{ type: 'MESSAGE /t', body: { headers: { k: 'a\nb:' } } }, { type: 'RECEIPT', id: '9' }]);
    const cut = d.decode({ dir: 'in', bin: false, at: 0, size: 9999, trunc: true, data: 'ERROR\nmessage:boom\n\nlong bo' }, s);
    expect(cut).toMatchObject([{ type: 'ERROR', partial: true, close: { reason: 'boom' } }]);
    expect(d.decode({ dir: 'in', bin: false, at: 0, size: 5, data: 'HELLO\n\n\0' }, s)).toEqual({ protocol: 'stomp', error: 'unknown command' });
    expect(d.decode({ dir: 'in', bin: false, at: 0, size: 0, data: '' }, s)).toEqual({ protocol: 'stomp', error: 'empty' });
    expect(d.decode({ dir: 'in', bin: false, at: 0, size: 2, data: '\r\n' }, s)).toMatchObject([{ cls: 'heartbeat' }]);
  });
  it('huge and random frames', () => {
    huge(d, h, 'SEND\ndestination:/a\n\n' + 'x'.repeat(10_000_000), false);
    huge(d, h, '\n'.repeat(10_000_000), false);
    fuzz(d, h);
  });
});

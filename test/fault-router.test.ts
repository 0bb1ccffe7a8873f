import { describe, expect, it } from 'vitest';
import { FaultRouter } from '../src/background/faults.ts';
import { checkEvent } from '../src/core/wire/event-check.ts';

describe('FaultRouter', () => {
  it('routes a command only to the relays of the named document of that tab', () => {
    const r = new FaultRouter<string>();
    r.addRelay(1, 'top', 'docA');
    r.addRelay(1, 'frame', 'docB');
    r.addRelay(2, 'other', 'docA');
    expect(r.route(1, 'docA', { op: 'drop', sid: 0 }).map((s) => s.relay)).toEqual(['top']);
    expect(r.route(1, 'docC', { op: 'drop', sid: 0 })).toEqual([]);
    expect(r.route(3, 'docA', { op: 'drop', sid: 0 })).toEqual([]);
  });

  it('undoes with clear only the documents that had a fault, once', () => {
    const r = new FaultRouter<string>();
    r.addRelay(1, 'top', 'docA');
    r.addRelay(1, 'frame', 'docB');
    expect(r.undo(1)).toEqual([]);
    r.route(1, 'docB', { op: 'delay', sid: 2, ms: 10 });
    expect(r.undo(1)).toEqual([{ relay: 'frame', doc: 'docB', cmd: { op: 'clear' } }]);
    expect(r.undo(1)).toEqual([]);
  });

  it('forgets a document gone with its relay (a navigation needs no undo)', () => {
    const r = new FaultRouter<string>();
    r.addRelay(1, 'top', 'docA');
    r.route(1, 'docA', { op: 'drop', sid: 0 });
    r.removeRelay(1, 'top');
    r.addRelay(1, 'top2', 'docN');
    expect(r.undo(1)).toEqual([]);
  });
});

describe('checkEvent and injected traffic', () => {
  it('keeps inj: true on a message or send, refuses any other inj', () => {
    const msg = { k: 'message', sid: 1, t: 2, n: 0, bin: false, size: 1, data: 'x', inj: true };
    expect(checkEvent(msg)).toEqual(msg);
    expect(typeof checkEvent({ ...msg, inj: false })).toBe('string');
    const send = { k: 'send', sid: 1, t: 2, n: 0, rs: 1, buffered: 0, bin: false, size: 1, inj: true };
    expect(checkEvent(send)).toEqual(send);
    expect(checkEvent({ k: 'close', sid: 1, t: 3, code: 1006, reason: '', clean: false, inj: true })).toMatchObject({ inj: true });
  });
});

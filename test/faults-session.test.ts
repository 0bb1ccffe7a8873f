// Faults injected from the panel, as the session folds the hook's events: per-connection records,
// the document's rules, injected messages and closes, and the reconnect chains they make.
import { describe, expect, it } from 'vitest';

import { clearSession, failRules, FAULTS_KEPT } from '../src/core/session/session.ts';
import { findReconnectChains } from '../src/core/session/reconnect.ts';
import { connectionEnd } from '../src/core/session/end.ts';
import { analyse, Recorder, T0 } from './helpers/events.ts';

const S = 1000;

describe('inject events on a connection', () => {
  it('become FaultRecords at wall time, with the command fields and nothing of the wire', () => {
    const r = new Recorder().create(1, 0).open(1, 50);
    r.inject(2 * S, 'silence', { sid: 1, ms: 30_000, mode: 'hold' }).inject(3 * S, 'close', { sid: 1, ok: false, error: '1006 is not a code a server can send', code: 1006 });
    const c = analyse(r, 10 * S).conn(1);
    expect(c.faults).toEqual([
      { at: T0 + 2 * S, op: 'silence', ok: true, ms: 30_000, mode: 'hold' },
      { at: T0 + 3 * S, op: 'close', ok: false, error: '1006 is not a code a server can send', code: 1006 },
    ]);
    // What the model records is the fault, not the socket: the state is untouched.
    expect(c.state).toBe('open');
    expect(c.close).toBeUndefined();
  });

  it('keeps the latest FAULTS_KEPT and counts the ones dropped', () => {
    const r = new Recorder().create(1, 0).open(1, 50);
    for (let i = 0; i < FAULTS_KEPT + 5; i++) r.inject(100 + i, 'drop-next', { sid: 1, n: i + 1 });
    const c = analyse(r, 10 * S).conn(1);
    expect(c.faults).toHaveLength(FAULTS_KEPT);
    expect(c.faults![0]!.n).toBe(6);
    expect(c.faultsDropped).toBe(5);
  });

  it('counts an inject for a socket never seen as an orphan', () => {
    const a = analyse(new Recorder().inject(10, 'drop', { sid: 7 }), S);
    expect(a.state.orphans).toBe(1);
    expect(a.conns).toHaveLength(0);
  });

  it('gives a socket failed by a fail-next rule its own record', () => {
    const r = new Recorder().inject(S, 'fail-next', { url: 'wss://api.example/socket', n: 3, as: 'before-open' });
    r.create(1, 2 * S).inject(2 * S + 1, 'fail-next', { sid: 1, as: 'before-open' }).injectedClose(1, 2 * S + 2, 1006);
    const a = analyse(r, 10 * S);
    const c = a.conn(1);
    expect(c.faults).toEqual([{ at: T0 + 2 * S + 1, op: 'fail-next', ok: true, as: 'before-open' }]);
    expect(c.close).toMatchObject({ code: 1006, wasClean: false, injected: true });
    expect(a.state.faults).toEqual([{ at: T0 + S, op: 'fail-next', ok: true, url: 'wss://api.example/socket', n: 3, as: 'before-open', doc: r.doc }]);
  });
});

describe('inject events without a socket', () => {
  it('are kept on the session, bounded, and go with Clear', () => {
    const r = new Recorder();
    for (let i = 0; i < FAULTS_KEPT + 2; i++) r.inject(i, 'clear');
    const a = analyse(r, S);
    expect(a.state.faults).toHaveLength(FAULTS_KEPT);
    expect(a.state.faultsEvicted).toBe(2);
    expect(a.state.faults.every((f) => f.doc === r.doc && f.op === 'clear')).toBe(true);
    clearSession(a.state);
    expect(a.state.faults).toEqual([]);
  });
});

describe('failRules', () => {
  it('lists the rules in force: the latest per endpoint, none from before a clear, none refused, none of another document', () => {
    const a = 'wss://a.example/ws';
    const b = 'wss://b.example/ws';
    const r = new Recorder().inject(1, 'fail-next', { url: a, n: 2, as: 'before-open' }).inject(2, 'clear');
    r.inject(3, 'fail-next', { url: a, n: 3, as: 'before-open' }).inject(4, 'fail-next', { url: b, n: 0, as: 'after-open', code: 1013 });
    r.inject(5, 'fail-next', { url: a, n: 5, as: 'after-open' }).inject(6, 'fail-next', { ok: false, url: 'http://x', error: 'not ws' });
    const other = new Recorder('doc-bbbbbbbb').inject(7, 'fail-next', { url: a, n: 1, as: 'before-open' });
    const st = analyse([r, other], S).state;
    expect(failRules(st, r.doc).map((x) => [x.url, x.n, x.at - T0])).toEqual([
      [a, 5, 5],
      [b, 0, 4],
    ]);
    expect(failRules(st, other.doc)).toHaveLength(1);
  });
});

describe('injected messages and closes', () => {
  it('are marked, counted like others, and an injected inbound message is not the server speaking', () => {
    const r = new Recorder().create(1, 0).open(1, 50).message(1, S, 10);
    r.injectedMessage(1, 5 * S, 'hello').injectedSend(1, 6 * S, 'ping').close(1, 70 * S, 1006);
    const c = analyse(r, 100 * S).conn(1);
    expect(c.messages.map((m) => [m.dir, m.inj])).toEqual([
      ['in', undefined],
      ['in', true],
      ['out', true],
    ]);
    expect(c.stats).toMatchObject({ received: 2, sent: 1, bytesReceived: 15, bytesSent: 4, missed: 0 });
    // The server's last word is still the one at 1 s: the silence measured from it is the wire's.
    expect(c.lastIn).toEqual({ at: T0 + S, size: 10 });
    // The injected send went to the server on the page's socket: it counts for the outbound side.
    expect(c.lastOut).toEqual({ at: T0 + 6 * S, size: 4 });
    expect(connectionEnd(c)?.silenceInMs).toBe(69 * S);
  });

  it('marks the close the page was shown by a fault', () => {
    const c = analyse(new Recorder().create(1, 0).open(1, 50).injectedClose(1, S, 1013, 'try later'), 10 * S).conn(1);
    expect(c.close).toEqual({ at: T0 + S, code: 1013, reason: 'try later', wasClean: true, injected: true });
    expect(c.errorAt).toBeUndefined();
  });
});

describe('reconnect chains made of injected failures', () => {
  it('measures the backoff after repeated injected server closes (1013)', () => {
    const r = new Recorder();
    let t = 0;
    const delays = [500, 1000, 2000, 4000];
    for (let i = 0; i <= delays.length; i++) {
      r.create(i + 1, t).open(i + 1, t + 20).inject(t + 100, 'close', { sid: i + 1, code: 1013, reason: 'try later' }).injectedClose(i + 1, t + 101, 1013, 'try later');
      t += 101 + (delays[i] ?? 0);
    }
    const a = analyse(r, 400 * S);
    const [chain] = findReconnectChains(a.conns, { now: a.ctx.now });
    expect(chain?.attempts).toBe(4);
    expect(chain?.delaysMs).toEqual(delays);
    expect(chain?.backoff).toBe('exponential');
    expect(chain?.factor).toBe(2);
  });

  it('measures the backoff of attempts failed by "fail the next 3 attempts"', () => {
    const url = 'wss://api.example/socket';
    const r = new Recorder().create(1, 0).open(1, 20).inject(S, 'fail-next', { url, n: 3, as: 'before-open' });
    r.inject(2 * S, 'drop', { sid: 1 }).injectedClose(1, 2 * S + 1, 1006);
    let t = 2 * S + 1;
    for (const [i, d] of [1000, 1000, 1000].entries()) {
      t += d;
      const sid = i + 2;
      r.create(sid, t, url).inject(t + 1, 'fail-next', { sid, as: 'before-open' }).injectedClose(sid, t + 2, 1006);
      t += 2;
    }
    r.create(5, t + 1000, url).open(5, t + 1020);
    const a = analyse(r, 400 * S);
    const [chain] = findReconnectChains(a.conns, { now: a.ctx.now });
    expect(chain?.connectionIds).toHaveLength(5);
    expect(chain?.delaysMs).toEqual([1000, 1000, 1000, 1000]);
    expect(chain?.backoff).toBe('constant');
  });
});

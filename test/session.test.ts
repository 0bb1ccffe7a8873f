import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { HookEvent, SeqEvent } from '../src/core/wire/protocol.ts';
import {
  applyBatch,
  clearedBelow,
  clearSession,
  connectionId,
  createSession,
  CSP_LINK_MS,
  durationOf,
  endDocSockets,
  listConnections,
  outcomeOf,
  upsertDoc,
  violationNames,
  type Connection,
  type SessionState,
} from '../src/core/session/session.ts';
import { DOC_A, DOC_B, DOC_C, HookSeq, ORIGIN } from './helpers/hook-events.ts';

const run = (seq: HookSeq, state: SessionState = createSession()): SessionState => {
  applyBatch(state, seq.doc, seq.events);
  return state;
};

const conn = (state: SessionState, sid: number, doc = DOC_A): Connection => {
  const c = state.connections.get(connectionId(doc, sid));
  if (!c) throw new Error(`no connection ${doc}:${sid}`);
  return c;
};

describe('session reducer: one connection', () => {
  it('create/open/send/message/close build the connection with wall-clock times and stats', () => {
    const s = new HookSeq()
      .create(1, 10, 'wss://api.example/ws', { protocols: ['graphql-ws'], stack: 'at main.js:1' })
      .open(1, 60, 'graphql-ws', 'permessage-deflate')
      .send(1, 100, 12)
      .send(1, 110, 300)
      .send(1, 120, 7)
      .message(1, 200, 40)
      .message(1, 250, 1000, { bin: true })
      .close(1, 900, 1000, 'bye', true);
    const state = run(s);
    const c = conn(state, 1);
    expect(c.id).toBe(`${DOC_A}:1`);
    expect(c.doc).toBe(DOC_A);
    expect(c.sid).toBe(1);
    expect(c.url).toBe('wss://api.example/ws');
    expect(c.protocols).toEqual(['graphql-ws']);
    expect(c.createStack).toBe('at main.js:1');
    expect(c.createThrew).toBeUndefined();
    expect(c.createdAt).toBe(ORIGIN + 10);
    expect(c.openedAt).toBe(ORIGIN + 60);
    expect(c.protocol).toBe('graphql-ws');
    expect(c.extensions).toBe('permessage-deflate');
    expect(c.state).toBe('closed');
    expect(c.close).toEqual({ at: ORIGIN + 900, code: 1000, reason: 'bye', wasClean: true });
    expect(c.stats).toEqual({
      sent: 3,
      received: 2,
      bytesSent: 12 + 300 + 7,
      bytesReceived: 40 + 1000,
      evicted: 0,
      missed: 0,
      maxSentSize: 300,
      maxReceivedSize: 1000,
    });
    expect(c.lastOut).toEqual({ at: ORIGIN + 120, size: 7 });
    expect(c.lastIn).toEqual({ at: ORIGIN + 250, size: 1000 });
    expect(c.messages.map((m) => [m.dir, m.n, m.at, m.size, m.bin])).toEqual([
      ['out', 0, ORIGIN + 100, 12, false],
      ['out', 1, ORIGIN + 110, 300, false],
      ['out', 2, ORIGIN + 120, 7, false],
      ['in', 0, ORIGIN + 200, 40, false],
      ['in', 1, ORIGIN + 250, 1000, true],
    ]);
    expect(durationOf(c, 0)).toBe(890);
    expect(listConnections(state)).toEqual([c]);
  });

  it('walks connecting → open → closing → closed and records the close() call', () => {
    const s = new HookSeq();
    const state = createSession();
    applyBatch(state, DOC_A, s.events); // the hello
    const step = (f: (h: HookSeq) => void) => {
      const before = s.events.length;
      f(s);
      applyBatch(state, DOC_A, s.events.slice(before));
    };
    step((h) => h.create(1, 0));
    expect(conn(state, 1).state).toBe('connecting');
    step((h) => h.open(1, 5));
    expect(conn(state, 1).state).toBe('open');
    step((h) => h.closeCall(1, 50, { code: 4000, reason: 'logout', stack: 'at logout (app.js:3:1)', rs: 1 }));
    const c = conn(state, 1);
    expect(c.state).toBe('closing');
    expect(c.closeCalls).toEqual([{ at: ORIGIN + 50, code: 4000, reason: 'logout', stack: 'at logout (app.js:3:1)', readyState: 1 }]);
    expect(c.close).toBeUndefined();
    expect(outcomeOf(c)).toBe('live');
    step((h) => h.close(1, 70, 4000, 'logout', true));
    expect(c.state).toBe('closed');
    expect(c.close).toEqual({ at: ORIGIN + 70, code: 4000, reason: 'logout', wasClean: true });
    expect(c.closeCalls).toHaveLength(1);
  });

  it('close() while connecting also moves to closing', () => {
    const state = run(new HookSeq().create(1, 0).closeCall(1, 3, { rs: 0 }));
    expect(conn(state, 1).state).toBe('closing');
    expect(conn(state, 1).closeCalls[0]).toEqual({ at: ORIGIN + 3, readyState: 0 });
  });

  it('a close-call that threw is recorded but does not change the state', () => {
    const state = run(
      new HookSeq().create(1, 0).open(1, 5).closeCall(1, 10, { code: 1001, threw: 'InvalidAccessError: code 1001 not allowed' }),
    );
    const c = conn(state, 1);
    expect(c.state).toBe('open');
    expect(c.closeCalls).toEqual([{ at: ORIGIN + 10, code: 1001, readyState: 1, threw: 'InvalidAccessError: code 1001 not allowed' }]);
  });

  it('a close-call on a closed socket leaves it closed', () => {
    const state = run(new HookSeq().create(1, 0).open(1, 5).close(1, 10, 1006).closeCall(1, 20, { rs: 3 }));
    expect(conn(state, 1).state).toBe('closed');
    expect(conn(state, 1).closeCalls).toHaveLength(1);
  });

  it('a create that threw gives a closed connection with createThrew', () => {
    const state = run(new HookSeq().create(1, 3, 'ftp://nope', { threw: 'SyntaxError: bad scheme' }));
    const c = conn(state, 1);
    expect(c.state).toBe('closed');
    expect(c.createThrew).toBe('SyntaxError: bad scheme');
    expect(c.close).toBeUndefined();
    expect(outcomeOf(c)).toBe('other');
  });

  it('open does not reopen a socket already closing or closed', () => {
    const state = run(new HookSeq().create(1, 0).closeCall(1, 1, { rs: 0 }).open(1, 2));
    expect(conn(state, 1).state).toBe('closing');
    expect(conn(state, 1).openedAt).toBe(ORIGIN + 2);
  });

  it('error records its time', () => {
    const state = run(new HookSeq().create(1, 0).error(1, 30).close(1, 31, 1006));
    expect(conn(state, 1).errorAt).toBe(ORIGIN + 30);
  });

  it('keeps data, trunc and later flags of messages', () => {
    const state = run(
      new HookSeq()
        .create(1, 0)
        .open(1, 1)
        .send(1, 2, 5, { data: 'hello' })
        .message(1, 3, 20000, { data: 'x'.repeat(16), trunc: true })
        .message(1, 4, 8, { bin: true, later: true }),
    );
    const [a, b, c] = conn(state, 1).messages;
    expect(a).toEqual({ n: 0, dir: 'out', at: ORIGIN + 2, bin: false, size: 5, data: 'hello' });
    expect(b).toEqual({ n: 0, dir: 'in', at: ORIGIN + 3, bin: false, size: 20000, data: 'x'.repeat(16), trunc: true });
    expect(c).toEqual({ n: 1, dir: 'in', at: ORIGIN + 4, bin: true, size: 8, later: true });
  });
});

describe('session reducer: payload', () => {
  it('attaches data to the message with the same (n, dir) and clears later', () => {
    const s = new HookSeq()
      .create(1, 0)
      .open(1, 1)
      .send(1, 2, 4, { bin: true, later: true }) // out n=0
      .message(1, 3, 4, { bin: true, later: true }) // in n=0
      .message(1, 4, 4, { bin: true, later: true }) // in n=1
      .payload(1, 0, 'message', 'AAECAw==')
      .payload(1, 0, 'send', 'BAUGBw==', true);
    const state = run(s);
    const [out0, in0, in1] = conn(state, 1).messages;
    expect(out0).toEqual({ n: 0, dir: 'out', at: ORIGIN + 2, bin: true, size: 4, data: 'BAUGBw==', trunc: true });
    expect(in0).toEqual({ n: 0, dir: 'in', at: ORIGIN + 3, bin: true, size: 4, data: 'AAECAw==' });
    expect(in1).toEqual({ n: 1, dir: 'in', at: ORIGIN + 4, bin: true, size: 4, later: true });
  });

  it('a payload for another socket does not touch this one', () => {
    const s = new HookSeq()
      .create(1, 0)
      .create(2, 0)
      .message(1, 3, 4, { bin: true, later: true })
      .message(2, 3, 4, { bin: true, later: true })
      .payload(2, 0, 'message', 'AA==');
    const state = run(s);
    expect(conn(state, 1).messages[0]).toMatchObject({ later: true });
    expect(conn(state, 1).messages[0]!.data).toBeUndefined();
    expect(conn(state, 2).messages[0]).toEqual({ n: 0, dir: 'in', at: ORIGIN + 3, bin: true, size: 4, data: 'AA==' });
  });

  it('a payload for an evicted or unknown message changes nothing', () => {
    const s = new HookSeq().create(1, 0).message(1, 3, 4, { data: 'abcd' }).payload(1, 7, 'message', 'AA==');
    const state = run(s);
    expect(conn(state, 1).messages).toEqual([{ n: 0, dir: 'in', at: ORIGIN + 3, bin: false, size: 4, data: 'abcd' }]);
    expect(state.orphans).toBe(0);
  });
});

describe('session reducer: sequence numbers', () => {
  it('replayed batches count as duplicates and change nothing', () => {
    const s = new HookSeq().create(1, 0).open(1, 5).send(1, 10, 3).message(1, 20, 4);
    const state = createSession();
    expect(applyBatch(state, DOC_A, s.events.slice(0, 3))).toBe(3);
    expect(applyBatch(state, DOC_A, s.events)).toBe(2);
    expect(state.duplicates).toBe(3);
    const snap = JSON.stringify(listConnections(state));
    expect(applyBatch(state, DOC_A, s.events)).toBe(0);
    expect(applyBatch(state, DOC_A, s.events.slice(1, 4))).toBe(0);
    expect(state.duplicates).toBe(3 + 5 + 3);
    expect(JSON.stringify(listConnections(state))).toBe(snap);
    expect(conn(state, 1).stats.sent).toBe(1);
    expect(conn(state, 1).stats.received).toBe(1);
    expect(state.docs.get(DOC_A)!.gaps).toBe(0);
  });

  it('counts gaps in sequence numbers', () => {
    const s = new HookSeq().create(1, 0).skip(3).open(1, 5).skip(2).message(1, 9, 1);
    const state = run(s);
    expect(state.docs.get(DOC_A)!.gaps).toBe(5);
    expect(state.docs.get(DOC_A)!.lastSeq).toBe(s.events.at(-1)!.seq);
    // A gap across batches counts too.
    const more = new HookSeq(DOC_A, ORIGIN, { hello: false, firstSeq: s.events.at(-1)!.seq + 4 }).message(1, 10, 1);
    applyBatch(state, DOC_A, more.events);
    expect(state.docs.get(DOC_A)!.gaps).toBe(8);
  });

  it('a first event with a high seq is a gap: a relay numbers from 0, so the ones before were evicted', () => {
    const s = new HookSeq(DOC_A, ORIGIN, { firstSeq: 500 }).create(1, 0);
    const state = run(s);
    expect(state.docs.get(DOC_A)!.gaps).toBe(500);
    expect(state.docs.get(DOC_A)!.lastSeq).toBe(501);
  });

  it('sequence numbers cleared upstream on purpose are not gaps', () => {
    const state = createSession();
    clearedBelow(state, DOC_A, 500);
    applyBatch(state, DOC_A, new HookSeq(DOC_A, ORIGIN, { firstSeq: 500 }).create(1, 0).events);
    expect(state.docs.get(DOC_A)!.gaps).toBe(0);
    // A replay of cleared events stays ignored.
    applyBatch(state, DOC_A, new HookSeq(DOC_A, ORIGIN).create(9, 0).events);
    expect(state.connections.size).toBe(1);
  });

  it('events for a socket never created are orphans', () => {
    const s = new HookSeq().open(7, 1).send(7, 2, 3).message(7, 3, 3).payload(7, 0, 'message', 'AA==').error(7, 4).closeCall(7, 5).close(7, 6, 1006);
    const state = run(s);
    expect(state.orphans).toBe(7);
    expect(state.connections.size).toBe(0);
    expect(state.order).toEqual([]);
  });

  it('documents are independent: the same sid in two documents makes two connections', () => {
    const state = createSession();
    run(new HookSeq(DOC_A).create(1, 0), state);
    run(new HookSeq(DOC_B, ORIGIN + 5000).create(1, 0), state);
    expect(state.order).toEqual([`${DOC_A}:1`, `${DOC_B}:1`]);
    expect(conn(state, 1, DOC_A).createdAt).toBe(ORIGIN);
    expect(conn(state, 1, DOC_B).createdAt).toBe(ORIGIN + 5000);
    expect(state.duplicates).toBe(0);
  });

  it('hello sets the document anchor, url and top flag', () => {
    const state = run(new HookSeq(DOC_B, ORIGIN + 42, { url: 'https://frame.example/', top: false }));
    expect(state.docs.get(DOC_B)).toEqual({ doc: DOC_B, url: 'https://frame.example/', top: false, timeOrigin: ORIGIN + 42, lastSeq: 0, gaps: 0 });
  });

  it('upsertDoc registers and updates a document without losing its sequence', () => {
    const state = createSession();
    upsertDoc(state, { doc: DOC_A, url: 'https://a/', top: true, timeOrigin: ORIGIN });
    applyBatch(state, DOC_A, new HookSeq(DOC_A, ORIGIN, { hello: false }).create(1, 5).events);
    expect(conn(state, 1).createdAt).toBe(ORIGIN + 5);
    upsertDoc(state, { doc: DOC_A, url: 'https://b/', top: false, timeOrigin: 0 });
    expect(state.docs.get(DOC_A)).toMatchObject({ url: 'https://b/', top: false, timeOrigin: ORIGIN, lastSeq: 0 });
  });
});

describe('session reducer: page hide and synthetic ends', () => {
  const twoDocs = () => {
    const a = new HookSeq(DOC_A)
      .create(1, 0)
      .open(1, 5)
      .create(2, 10)
      .open(2, 15)
      .close(2, 20, 1011, 'boom', true)
      .create(3, 30) // still connecting
      .create(4, 40)
      .open(4, 45)
      .closeCall(4, 50, { code: 1000 }); // closing
    const b = new HookSeq(DOC_B, ORIGIN + 1000, { top: false }).create(1, 0).open(1, 5);
    const state = createSession();
    run(a, state);
    run(b, state);
    return { a, b, state };
  };

  it('pagehide ends every live socket of that document with a synthetic 1001', () => {
    const { a, state } = twoDocs();
    const before = a.events.length;
    a.page(100, 'pagehide', false);
    applyBatch(state, DOC_A, a.events.slice(before));
    for (const sid of [1, 3, 4]) {
      const c = conn(state, sid);
      expect(c.state).toBe('closed');
      expect(c.close).toEqual({ at: ORIGIN + 100, code: 1001, reason: '', wasClean: false, synthetic: 'pagehide' });
      expect(outcomeOf(c)).toBe('navigated');
    }
    // An already-closed socket keeps its real close.
    expect(conn(state, 2).close).toEqual({ at: ORIGIN + 20, code: 1011, reason: 'boom', wasClean: true });
    // Another document's sockets are untouched.
    expect(conn(state, 1, DOC_B).state).toBe('open');
    expect(conn(state, 1, DOC_B).close).toBeUndefined();
    expect(state.context).toEqual([{ doc: DOC_A, at: ORIGIN + 100, what: 'pagehide', persisted: false }]);
  });

  it('other page events do not end sockets', () => {
    const { a, state } = twoDocs();
    const before = a.events.length;
    a.page(100, 'hidden').page(110, 'offline').page(120, 'freeze').page(130, 'pageshow', true);
    applyBatch(state, DOC_A, a.events.slice(before));
    expect(conn(state, 1).state).toBe('open');
    expect(state.context.map((e) => e.what)).toEqual(['hidden', 'offline', 'freeze', 'pageshow']);
    expect(state.context[3]).toEqual({ doc: DOC_A, at: ORIGIN + 130, what: 'pageshow', persisted: true });
  });

  it('a later real close replaces a synthetic end', () => {
    const s = new HookSeq().create(1, 0).open(1, 5).page(100, 'pagehide', true).close(1, 5000, 1006, '', false);
    const state = run(s);
    const c = conn(state, 1);
    expect(c.close).toEqual({ at: ORIGIN + 5000, code: 1006, reason: '', wasClean: false });
    expect(c.close!.synthetic).toBeUndefined();
    expect(outcomeOf(c)).toBe('abnormal');
  });

  it('endDocSockets returns how many it ended and marks frame-gone', () => {
    const { state } = twoDocs();
    expect(endDocSockets(state, DOC_B, ORIGIN + 7777, 'frame-gone')).toBe(1);
    expect(conn(state, 1, DOC_B).close).toEqual({ at: ORIGIN + 7777, code: 1001, reason: '', wasClean: false, synthetic: 'frame-gone' });
    expect(endDocSockets(state, DOC_B, ORIGIN + 8888, 'frame-gone')).toBe(0);
    expect(conn(state, 1, DOC_B).close!.at).toBe(ORIGIN + 7777);
    expect(endDocSockets(state, DOC_C, ORIGIN, 'frame-gone')).toBe(0);
  });

  it('a socket whose create threw is not ended by pagehide', () => {
    const state = run(new HookSeq().create(1, 0, 'bad', { threw: 'SyntaxError' }).page(10, 'pagehide'));
    expect(conn(state, 1).close).toBeUndefined();
    expect(outcomeOf(conn(state, 1))).toBe('other');
  });
});

describe('session reducer: sockets blocked at creation and CSP violations', () => {
  const csp = (seq: HookSeq, t: number, blocked: string, more: Partial<Extract<HookEvent, { k: 'csp' }>> = {}): HookSeq =>
    seq.push({ k: 'csp', t, blocked, directive: 'connect-src', policy: "connect-src 'self'", disposition: 'enforce', ...more });

  it('create records the readyState the constructor left; a create without it (older hook) leaves none', () => {
    const state = run(new HookSeq().create(1, 0, 'ws://a/', { rs: 3 }).create(2, 1, 'ws://b/', { rs: 0 }).create(3, 2, 'ws://c/'));
    expect(conn(state, 1).createdState).toBe(3);
    expect(conn(state, 2).createdState).toBe(0);
    expect(conn(state, 3).createdState).toBeUndefined();
  });

  it('a socket created CLOSED ends at its error with a synthetic 1006 "blocked": a handshake that failed, not a page that left', () => {
    const state = run(new HookSeq().create(1, 10, 'ws://blocked.example/', { rs: 3 }).error(1, 11));
    const c = conn(state, 1);
    expect(c.state).toBe('closed');
    expect(c.errorAt).toBe(ORIGIN + 11);
    expect(c.close).toEqual({ at: ORIGIN + 11, code: 1006, reason: '', wasClean: false, synthetic: 'blocked' });
    expect(outcomeOf(c)).toBe('handshake-failed');
    expect(durationOf(c, ORIGIN + 99_999)).toBe(1);
    // A later pagehide leaves the end as it is.
    const s2 = run(new HookSeq().create(1, 10, 'ws://x/', { rs: 3 }).error(1, 11).page(500, 'pagehide'));
    expect(conn(s2, 1).close!.synthetic).toBe('blocked');
  });

  it('before its error, a socket created CLOSED is not ended; an error on a socket created CONNECTING synthesizes nothing', () => {
    const state = run(new HookSeq().create(1, 0, 'ws://a/', { rs: 3 }).create(2, 0, 'ws://b/', { rs: 0 }).error(2, 5).create(3, 0, 'ws://c/').error(3, 5));
    expect(conn(state, 1).state).toBe('connecting');
    expect(conn(state, 1).close).toBeUndefined();
    for (const sid of [2, 3]) {
      expect(conn(state, sid).close).toBeUndefined();
      expect(conn(state, sid).state).toBe('connecting');
    }
  });

  it('a real close event, if one ever comes, wins over the blocked end', () => {
    const state = run(new HookSeq().create(1, 0, 'ws://a/', { rs: 3 }).error(1, 1).close(1, 2, 1006, '', false));
    expect(conn(state, 1).close).toEqual({ at: ORIGIN + 2, code: 1006, reason: '', wasClean: false });
    expect(outcomeOf(conn(state, 1))).toBe('handshake-failed');
  });

  it('links a violation to a socket whose constructor threw for it (Firefox refuses a CSP-blocked URL by throwing)', () => {
    const s = new HookSeq().create(1, 10, 'ws://blocked.example/', { threw: 'NS_ERROR_CONTENT_BLOCKED: ' });
    csp(s, 11, 'ws://blocked.example/');
    expect(conn(run(s), 1).csp?.directive).toBe('connect-src');
  });

  it('links a violation to the blocked socket whose URL it names, not to another socket', () => {
    const s = new HookSeq()
      .create(1, 10, 'ws://blocked.example/feed?room=1', { rs: 3 })
      .create(2, 11, 'wss://allowed.example/', { rs: 0 });
    csp(s, 12, 'ws://blocked.example/feed?room=1').error(1, 12.1);
    const state = run(s);
    expect(conn(state, 1).csp).toEqual({ at: ORIGIN + 12, directive: 'connect-src', blocked: 'ws://blocked.example/feed?room=1', policy: "connect-src 'self'", disposition: 'enforce' });
    expect(conn(state, 1).close!.synthetic).toBe('blocked');
    expect(conn(state, 2).csp).toBeUndefined();
  });

  it('ignores a violation of another directive, another document, an opened socket, or one too late', () => {
    const s = new HookSeq().create(1, 10, 'ws://a.example/', { rs: 3 }).create(2, 20, 'ws://b.example/', { rs: 0 }).open(2, 25);
    csp(s, 30, 'ws://a.example/', { directive: 'img-src' });
    csp(s, 31, 'ws://b.example/');
    const state = run(s);
    const other = new HookSeq(DOC_B);
    csp(other, 40, 'ws://a.example/');
    run(other, state);
    expect(conn(state, 1).csp).toBeUndefined();
    expect(conn(state, 2).csp).toBeUndefined();
    const late = new HookSeq().create(1, 0, 'ws://a.example/', { rs: 3 });
    csp(late, CSP_LINK_MS + 1, 'ws://a.example/');
    expect(conn(run(late), 1).csp).toBeUndefined();
    // A socket created after the violation is not what it was about.
    const before = csp(new HookSeq(), 5, 'ws://a.example/').create(1, 6, 'ws://a.example/', { rs: 3 });
    expect(conn(run(before), 1).csp).toBeUndefined();
  });

  it('links a report-only violation to a socket that has not opened, keeping the disposition', () => {
    const s = new HookSeq().create(1, 0, 'ws://a.example/x', { rs: 0 });
    csp(s, 1, 'ws://a.example/x', { disposition: 'report' });
    const c = conn(run(s), 1);
    expect(c.csp?.disposition).toBe('report');
    expect(c.close).toBeUndefined();
  });

  it('two blocked sockets to one URL: each violation goes to the most recent socket still without one', () => {
    const s = new HookSeq().create(1, 0, 'ws://a.example/', { rs: 3 });
    csp(s, 1, 'ws://a.example/').create(2, 100, 'ws://a.example/', { rs: 3 });
    csp(s, 101, 'ws://a.example/');
    // A third finds no socket left to explain: dropped, the first two keep theirs.
    csp(s, 102, 'ws://a.example/', { disposition: 'report' });
    const state = run(s);
    expect(conn(state, 1).csp?.at).toBe(ORIGIN + 1);
    expect(conn(state, 2).csp?.at).toBe(ORIGIN + 101);
    expect(conn(state, 2).csp?.disposition).toBe('enforce');
  });

  it('violationNames: equal after normalisation, same origin when cut to the origin, same scheme when cut to the scheme', () => {
    expect(violationNames('ws://h.example/p?q=1', 'ws://user:pw@H.example:80/p?q=1')).toBe(true);
    expect(violationNames('http://h.example/p', 'ws://h.example/p')).toBe(true);
    expect(violationNames('https://h.example/p', 'wss://h.example/p')).toBe(true);
    expect(violationNames('ws://h.example/p', 'ws://h.example/q')).toBe(false);
    expect(violationNames('ws://h.example/p', 'wss://h.example/p')).toBe(false);
    expect(violationNames('ws://h.example', 'ws://h.example:80/deep/path?x')).toBe(true);
    expect(violationNames('ws://h.example/', 'ws://h.example/deep')).toBe(true);
    expect(violationNames('ws://h.example:8080', 'ws://h.example/deep')).toBe(false);
    expect(violationNames('wss', 'wss://h.example/deep')).toBe(true);
    expect(violationNames('ws', 'wss://h.example/deep')).toBe(false);
    expect(violationNames('', 'ws://h.example/')).toBe(false);
    expect(violationNames('inline', 'ws://h.example/')).toBe(false);
  });
});

describe('session reducer: bounds', () => {
  it('the per-connection message cap evicts the oldest and counts exactly', () => {
    const cap = 16;
    const state = createSession({ maxMessagesPerConnection: cap });
    const s = new HookSeq().create(1, 0).open(1, 1);
    applyBatch(state, DOC_A, s.events);
    const total = 500;
    let bytesSent = 0;
    let bytesReceived = 0;
    for (let i = 0; i < total; i++) {
      const before = s.events.length;
      const size = (i * 7) % 97;
      if (i % 3 === 0) {
        s.message(1, 10 + i, size);
        bytesReceived += size;
      } else {
        s.send(1, 10 + i, size);
        bytesSent += size;
      }
      applyBatch(state, DOC_A, s.events.slice(before));
      const c = conn(state, 1);
      // Counts stay exact; records + evicted account for every message.
      expect(c.messages.length + c.stats.evicted).toBe(i + 1);
      // Never far above the cap (eviction runs in chunks of an eighth).
      expect(c.messages.length).toBeLessThanOrEqual(cap + Math.max(1, cap >> 3));
    }
    const c = conn(state, 1);
    expect(c.stats.sent + c.stats.received).toBe(total);
    expect(c.stats.received).toBe(Math.ceil(total / 3));
    expect(c.stats.sent).toBe(total - Math.ceil(total / 3));
    expect(c.stats.bytesSent).toBe(bytesSent);
    expect(c.stats.bytesReceived).toBe(bytesReceived);
    expect(c.stats.evicted).toBe(total - c.messages.length);
    expect(c.messages.length).toBeGreaterThanOrEqual(cap);
    // The kept records are the newest, in order.
    const times = c.messages.map((m) => m.at - ORIGIN);
    const expected = Array.from({ length: c.messages.length }, (_, k) => 10 + total - c.messages.length + k);
    expect(times).toEqual(expected);
    expect(c.lastOut).toEqual({ at: ORIGIN + 10 + total - 1, size: ((total - 1) * 7) % 97 });
  });

  it('caps are per connection', () => {
    const state = createSession({ maxMessagesPerConnection: 4 });
    const s = new HookSeq().create(1, 0).create(2, 0);
    for (let i = 0; i < 50; i++) s.message(1, i, 1);
    s.message(2, 60, 1);
    run(s, state);
    expect(conn(state, 2).messages).toHaveLength(1);
    expect(conn(state, 2).stats.evicted).toBe(0);
    expect(conn(state, 1).stats.evicted + conn(state, 1).messages.length).toBe(50);
    expect(conn(state, 1).stats.received).toBe(50);
  });

  it('the context event cap keeps the newest and counts the evicted', () => {
    const state = createSession({ maxContextEvents: 5 });
    const s = new HookSeq();
    const kinds = ['online', 'offline', 'hidden', 'visible'] as const;
    for (let i = 0; i < 23; i++) s.page(i, kinds[i % 4]!);
    run(s, state);
    expect(state.context).toHaveLength(5);
    expect(state.contextEvicted).toBe(18);
    expect(state.context.map((e) => e.at - ORIGIN)).toEqual([18, 19, 20, 21, 22]);
  });
});

describe('clearSession', () => {
  it('removes every connection and context event, and keeps only the given documents\' sequence state', () => {
    const state = createSession();
    run(new HookSeq(DOC_A).create(1, 0).page(1, 'offline'), state);
    const b = new HookSeq(DOC_B).create(1, 0).create(2, 0).page(1, 'online');
    run(b, state);
    run(new HookSeq(DOC_C).create(5, 0), state);
    const lastSeqB = state.docs.get(DOC_B)!.lastSeq;
    clearSession(state, new Set([DOC_B]));
    expect(state.order).toEqual([]);
    expect(state.connections.size).toBe(0);
    expect(state.context).toEqual([]);
    expect([...state.docs.keys()]).toEqual([DOC_B]);
    expect(state.docs.get(DOC_B)!.lastSeq).toBe(lastSeqB);
    // A replay of B's old events after the clear resurrects nothing.
    run(b, state);
    expect(state.connections.size).toBe(0);
  });

  it('with no documents to keep empties everything', () => {
    const state = createSession();
    run(new HookSeq(DOC_A).create(1, 0).page(1, 'offline'), state);
    clearSession(state);
    expect(state.order).toEqual([]);
    expect(state.connections.size).toBe(0);
    expect(state.context).toEqual([]);
    expect(state.docs.size).toBe(0);
  });
});

describe('outcomeOf', () => {
  const closed = (code: number, opened: boolean, extra: Partial<Connection> = {}): Connection => {
    const s = new HookSeq().create(1, 0);
    if (opened) s.open(1, 5);
    s.close(1, 10, code);
    const c = conn(run(s), 1);
    return Object.assign(c, extra);
  };

  it.each([
    [1006, false, 'handshake-failed'],
    [1006, true, 'abnormal'],
    [1011, true, 'server-error'],
    [1000, true, 'clean'],
    [1001, true, 'clean'],
    [1008, true, 'policy'],
    [1008, false, 'policy'],
    [3000, true, 'policy'],
    [3003, true, 'policy'],
    [1012, true, 'retry'],
    [1013, true, 'retry'],
    [4001, true, 'app'],
    [3008, true, 'app'],
    [4999, true, 'app'],
    [1002, true, 'other'],
    [1009, true, 'other'],
    [5000, true, 'other'],
  ] as const)('code %i (opened: %s) → %s', (code, opened, outcome) => {
    expect(outcomeOf(closed(code, opened))).toBe(outcome);
  });

  it('a live socket is live, a synthetic end is navigated, a throwing create is other', () => {
    expect(outcomeOf(conn(run(new HookSeq().create(1, 0).open(1, 1)), 1))).toBe('live');
    expect(outcomeOf(conn(run(new HookSeq().create(1, 0)), 1))).toBe('live');
    expect(outcomeOf(conn(run(new HookSeq().create(1, 0).open(1, 1).page(5, 'pagehide')), 1))).toBe('navigated');
    expect(outcomeOf(conn(run(new HookSeq().create(1, 0, 'x', { threw: 'SyntaxError' })), 1))).toBe('other');
  });

  it('durationOf uses now for a live socket', () => {
    const c = conn(run(new HookSeq().create(1, 100)), 1);
    expect(durationOf(c, ORIGIN + 600)).toBe(500);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: batching and replays never change the result.

const SIDS = [0, 1, 2];
const arbT = fc.integer({ min: 0, max: 100_000 });
const arbSid = fc.constantFrom(...SIDS);
const arbN = fc.integer({ min: 0, max: 5 });
const arbRs = fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const);
const arbEvent: fc.Arbitrary<HookEvent> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('create' as const), sid: arbSid, t: arbT, url: fc.constantFrom('wss://a/', 'wss://b/'), protocols: fc.constant([] as string[]) }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('create' as const), sid: arbSid, t: arbT, url: fc.constant('bad'), protocols: fc.constant([] as string[]), threw: fc.constant('SyntaxError') }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('open' as const), sid: arbSid, t: arbT, protocol: fc.constant(''), extensions: fc.constant('') }) },
  {
    weight: 6,
    arbitrary: fc.record(
      { k: fc.constant('send' as const), sid: arbSid, t: arbT, n: arbN, rs: arbRs, buffered: fc.nat(100), bin: fc.boolean(), size: fc.nat(5000), data: fc.string({ maxLength: 4 }), later: fc.boolean() },
      { requiredKeys: ['k', 'sid', 't', 'n', 'rs', 'buffered', 'bin', 'size'] },
    ),
  },
  {
    weight: 6,
    arbitrary: fc.record(
      { k: fc.constant('message' as const), sid: arbSid, t: arbT, n: arbN, bin: fc.boolean(), size: fc.nat(5000), data: fc.string({ maxLength: 4 }), trunc: fc.boolean(), later: fc.boolean() },
      { requiredKeys: ['k', 'sid', 't', 'n', 'bin', 'size'] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('payload' as const), sid: arbSid, n: arbN, dir: fc.constantFrom('send' as const, 'message' as const), data: fc.string({ maxLength: 4 }), trunc: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('error' as const), sid: arbSid, t: arbT, rs: arbRs }) },
  {
    weight: 2,
    arbitrary: fc.record(
      { k: fc.constant('close-call' as const), sid: arbSid, t: arbT, rs: arbRs, code: fc.constantFrom(1000, 4000), reason: fc.string({ maxLength: 4 }), stack: fc.constant('at x'), threw: fc.constant('InvalidAccessError') },
      { requiredKeys: ['k', 'sid', 't', 'rs'] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('close' as const), sid: arbSid, t: arbT, code: fc.constantFrom(1000, 1006, 1011, 4001), reason: fc.string({ maxLength: 4 }), clean: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record(
      { k: fc.constant('page' as const), t: arbT, what: fc.constantFrom('pagehide' as const, 'pageshow' as const, 'online' as const, 'offline' as const, 'hidden' as const), persisted: fc.boolean() },
      { requiredKeys: ['k', 't', 'what'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('hello' as const), t: fc.constant(0), timeOrigin: fc.integer({ min: 1, max: 2e12 }), url: fc.constant('https://x/'), top: fc.boolean() }) },
);

/** A whole stream: the hello first (as the hook sends it), then arbitrary events; seqs may skip. */
const arbStream = fc
  .tuple(fc.array(fc.tuple(arbEvent, fc.nat(2)), { maxLength: 80 }), fc.integer({ min: 0, max: 3 }))
  .map(([evs, start]) => {
    const out: SeqEvent[] = [{ seq: start, ev: { k: 'hello', t: 0, timeOrigin: ORIGIN, url: 'https://app.example/', top: true } }];
    let seq = start;
    for (const [ev, skip] of evs) {
      // Mostly gap-free, sometimes a gap (events the relay evicted).
      seq += skip === 2 ? 3 : 1;
      out.push({ seq, ev });
    }
    return out;
  });

/** Deliveries: windows [from, to) of the stream, each starting at or before what was already delivered. */
/**
 * The stream with each send/message numbered as the hook numbers them: per socket and direction,
 * from 0, again from 0 after a new create of the same sid (a new document's socket).
 */
function hookNumbered(stream: SeqEvent[]): SeqEvent[] {
  const next = new Map<string, number>();
  return stream.map((e) => {
    const ev = e.ev;
    if (ev.k === 'create') {
      next.delete(`${ev.sid}/send`);
      next.delete(`${ev.sid}/message`);
    }
    if (ev.k !== 'send' && ev.k !== 'message') return e;
    const key = `${ev.sid}/${ev.k}`;
    const n = next.get(key) ?? 0;
    next.set(key, n + 1);
    return { seq: e.seq, ev: { ...ev, n } };
  });
}

const arbDeliveries = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 30 });

function deliveries(n: number, raw: Array<[number, number, boolean]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const done: Array<[number, number]> = [];
  let progress = 0;
  for (const [a, b, replay] of raw) {
    if (replay && done.length) {
      // Replay an earlier batch verbatim.
      out.push(done[a % done.length]!);
      continue;
    }
    // A window that may overlap what was delivered (a relay resending its ring) and moves on.
    const from = progress === 0 ? 0 : a % (progress + 1);
    const to = Math.min(n, progress + (b % 12));
    if (to <= from) continue;
    out.push([from, to]);
    done.push([from, to]);
    progress = Math.max(progress, to);
  }
  if (progress < n) out.push([progress, n]);
  return out;
}

/** The state as JSON, per document: the interleaving of two documents' arrivals is not a fact. */
function normalise(state: SessionState): string {
  const docs = [...state.docs.keys()].sort();
  return JSON.stringify({
    perDoc: docs.map((doc) => ({
      doc: state.docs.get(doc),
      connections: listConnections(state).filter((c) => c.doc === doc),
      context: state.context.filter((e) => e.doc === doc),
    })),
    orphans: state.orphans,
  });
}

describe('session reducer: property', () => {
  it('any batching with replays of earlier batches equals applying the events once in order', () => {
    fc.assert(
      fc.property(arbStream, arbStream, arbDeliveries, arbDeliveries, fc.integer({ min: 1, max: 6 }), (streamA, streamB, rawA, rawB, cap) => {
        const limits = { maxMessagesPerConnection: cap };
        const once = createSession(limits);
        applyBatch(once, DOC_A, streamA);
        applyBatch(once, DOC_B, streamB);

        const batched = createSession(limits);
        const dA = deliveries(streamA.length, rawA);
        const dB = deliveries(streamB.length, rawB);
        // Interleave the two documents' deliveries.
        let applied = 0;
        let delivered = 0;
        for (let i = 0; i < Math.max(dA.length, dB.length); i++) {
          const a = dA[i];
          const b = dB[i];
          if (a) {
            applied += applyBatch(batched, DOC_A, streamA.slice(a[0], a[1]));
            delivered += a[1] - a[0];
          }
          if (b) {
            applied += applyBatch(batched, DOC_B, streamB.slice(b[0], b[1]));
            delivered += b[1] - b[0];
          }
        }
        expect(normalise(batched)).toBe(normalise(once));
        expect(applied).toBe(streamA.length + streamB.length);
        expect(batched.duplicates).toBe(delivered - applied);
        expect(once.duplicates).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('one document, with both caps small: batching and replays still change nothing', () => {
    fc.assert(
      fc.property(arbStream, arbDeliveries, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), (stream, raw, cap, ctxCap) => {
        const limits = { maxMessagesPerConnection: cap, maxContextEvents: ctxCap };
        const once = createSession(limits);
        applyBatch(once, DOC_A, stream);
        const batched = createSession(limits);
        for (const [from, to] of deliveries(stream.length, raw)) applyBatch(batched, DOC_A, stream.slice(from, to));
        const full = (st: SessionState) =>
          JSON.stringify({ c: listConnections(st), o: st.order, d: [...st.docs.values()], x: st.context, xe: st.contextEvicted, orphans: st.orphans });
        expect(full(batched)).toBe(full(once));
      }),
      { numRuns: 300 },
    );
  });

  it('stats stay exact under any cap: sent/received equal the number of send/message events', () => {
    fc.assert(
      fc.property(arbStream, fc.integer({ min: 0, max: 8 }), (raw, cap) => {
        const stream = hookNumbered(raw);
        const state = createSession({ maxMessagesPerConnection: cap });
        applyBatch(state, DOC_A, stream);
        for (const c of listConnections(state)) {
          // Count the events after this connection's last create.
          const lastCreate = stream.findLastIndex((e) => e.ev.k === 'create' && e.ev.sid === c.sid);
          const after = stream.slice(lastCreate + 1).filter((e) => 'sid' in e.ev && e.ev.sid === c.sid);
          const sends = after.filter((e) => e.ev.k === 'send').length;
          const msgs = after.filter((e) => e.ev.k === 'message').length;
          expect(c.stats.sent).toBe(sends);
          expect(c.stats.received).toBe(msgs);
          expect(c.stats.missed).toBe(0);
          expect(c.messages.length + c.stats.evicted).toBe(sends + msgs);
          expect(c.messages.length).toBeLessThanOrEqual(cap + Math.max(1, cap >> 3));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('counts stay exact when traffic was evicted upstream: they follow the hook\'s numbering, the gaps are counted as missed', () => {
    fc.assert(
      fc.property(arbStream, fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }), fc.integer({ min: 0, max: 8 }), (raw, keep, cap) => {
        const full = hookNumbered(raw);
        // An upstream ring evicts traffic only (event-ring.ts); lifecycle events all arrive.
        const stream = full.filter((e, i) => !(e.ev.k === 'send' || e.ev.k === 'message') || keep[i % keep.length]);
        const state = createSession({ maxMessagesPerConnection: cap });
        applyBatch(state, DOC_A, stream);
        for (const c of listConnections(state)) {
          const lastCreate = stream.findLastIndex((e) => e.ev.k === 'create' && e.ev.sid === c.sid);
          const after = stream.slice(lastCreate + 1).filter((e) => 'sid' in e.ev && e.ev.sid === c.sid);
          // What the hook had counted when it numbered the last event that got through.
          const upTo = (k: 'send' | 'message') => {
            const last = after.findLast((e) => e.ev.k === k);
            return last ? (last.ev as { n: number }).n + 1 : 0;
          };
          expect(c.stats.sent).toBe(upTo('send'));
          expect(c.stats.received).toBe(upTo('message'));
          expect(c.messages.length + c.stats.evicted + c.stats.missed).toBe(c.stats.sent + c.stats.received);
        }
      }),
      { numRuns: 200 },
    );
  });

});

describe('session clock: wall time across a sleep', () => {
  const SLEEP = 30 * 60_000;

  it('maps times after a 30 min forward jump with the anchor and records a sleep of that size', () => {
    const s = new HookSeq()
      .create(1, 10, 'wss://api.example/ws')
      .open(1, 20)
      .message(1, 1_000, 5)
      // The machine slept for 30 min; performance.now() did not advance meanwhile, Date.now() did.
      .push({ k: 'clock', t: 1_005, wall: ORIGIN + 1_005 + SLEEP })
      .close(1, 1_010, 1006);
    const state = run(s);
    const c = conn(state, 1);
    expect(c.createdAt).toBe(ORIGIN + 10);
    expect(c.lastIn?.at).toBe(ORIGIN + 1_000);
    expect(c.close?.at).toBe(ORIGIN + 1_010 + SLEEP);
    expect(state.context).toEqual([{ doc: DOC_A, at: ORIGIN + 1_005 + SLEEP, what: 'sleep', jumpMs: SLEEP }]);
  });

  it('uses the latest anchor at or before each time, and calls a small or backward jump a clock jump', () => {
    const s = new HookSeq()
      .create(1, 10, 'wss://api.example/ws')
      .push({ k: 'clock', t: 100, wall: ORIGIN + 100 + 5_000 })
      .open(1, 150)
      .push({ k: 'clock', t: 200, wall: ORIGIN + 200 + 2_000 })
      .close(1, 250, 1006);
    const state = run(s);
    const c = conn(state, 1);
    expect(c.openedAt).toBe(ORIGIN + 150 + 5_000);
    expect(c.close?.at).toBe(ORIGIN + 250 + 2_000);
    expect(state.context.map((e) => [e.what, e.jumpMs])).toEqual([
      ['clock-jump', 5_000],
      ['clock-jump', -3_000],
    ]);
  });

  it('records nothing when the clocks agree within a second, and maps times as before', () => {
    const s = new HookSeq()
      .create(1, 10, 'wss://api.example/ws')
      .push({ k: 'clock', t: 100, wall: ORIGIN + 100 + 400 })
      .close(1, 200, 1000);
    const state = run(s);
    expect(state.context).toEqual([]);
    expect(conn(state, 1).close?.at).toBe(ORIGIN + 200 + 400);
    const plain = run(new HookSeq().create(1, 10, 'wss://api.example/ws').close(1, 200, 1000));
    expect(plain.context).toEqual([]);
    expect(conn(plain, 1).close?.at).toBe(ORIGIN + 200);
  });
});

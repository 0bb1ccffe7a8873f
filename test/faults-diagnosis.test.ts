// How the diagnosis explains faults injected from the panel: an injected end is the developer's
// test, never a real failure; an end inside an injected fault's window is said to be caused by
// it; other faults are evidence only.
import { describe, expect, it } from 'vitest';

import { diagnose, type Diagnosis } from '../src/core/diagnosis/diagnose.ts';
import { RULES } from '../src/core/diagnosis/facts.ts';
import { fmtClock } from '../src/core/knowledge/i18n/text.ts';
import { parseFailOn } from '../src/cli/fail-on.ts';
import { analyse, Recorder, T0 } from './helpers/events.ts';

const S = 1000;
const PHOENIX = 'wss://app.example/socket/websocket?token=x&vsn=2.0.0';
const facts = (d: Diagnosis): string[] => d.evidence.map((e) => e.fact);
const clock = (t: number): string => fmtClock(T0 + t);

function run(r: Recorder, sid = 1, nowT = 400 * S, faults = false): Diagnosis {
  const a = analyse(r, nowT);
  return diagnose(a.conn(sid), faults ? { ...a.ctx, faults: a.state.faults } : a.ctx);
}

describe('an injected end', () => {
  it('a drop from the panel: says so, info, certain, the fault as evidence, and what the app did next', () => {
    const r = new Recorder().create(1, 0).open(1, 50).message(1, S);
    r.inject(5 * S, 'drop', { sid: 1 }).injectedClose(1, 5 * S + 2, 1006).create(2, 6 * S + 2).open(2, 6 * S + 60);
    const d = run(r);
    expect(d.category).toBe('injected');
    expect(d.severity).toBe('info');
    expect(d.confidence).toBe('certain');
    expect(d.headline.en).toBe(`You dropped this link from the panel at ${clock(5 * S)} (the page was shown 1006, the server was told 4999)`);
    expect(d.headline.ja).toContain('パネルから');
    expect(d.evidence.find((e) => e.fact === 'fault.drop')).toMatchObject({ at: T0 + 5 * S });
    // The reconnect chain's notes: the app came back 1 s later.
    expect(facts(d)).toContain('reconnect.next');
    expect(d.fixes[0]!.en).toMatch(/how the app recovered/);
  });

  it('says when the app did not reconnect after an injected drop', () => {
    const d = run(new Recorder().create(1, 0).open(1, 50).inject(5 * S, 'drop', { sid: 1 }).injectedClose(1, 5 * S + 2, 1006));
    expect(d.category).toBe('injected');
    expect(facts(d)).toContain('reconnect.none');
  });

  it('a server close from the panel: the code and reason it showed', () => {
    const r = new Recorder().create(1, 0).open(1, 50).inject(3 * S, 'close', { sid: 1, code: 1013, reason: 'try later' }).injectedClose(1, 3 * S + 1, 1013, 'try later');
    const d = run(r);
    expect(d.category).toBe('injected');
    expect(d.code).toBe(1013);
    expect(d.headline.en).toBe(`You closed it from the panel at ${clock(3 * S)} as the server would, with 1013 "try later"`);
  });

  it('an attempt failed by a fail-next rule names the rule and when it was set', () => {
    const url = 'wss://api.example/socket';
    const r = new Recorder().inject(S, 'fail-next', { url, n: 3, as: 'before-open' });
    r.create(1, 2 * S, url).inject(2 * S + 1, 'fail-next', { sid: 1, as: 'before-open' }).injectedClose(1, 2 * S + 2, 1006);
    const d = run(r, 1, 400 * S, true);
    expect(d.category).toBe('injected');
    expect(d.headline.en).toBe(`You failed this attempt from the panel (fail the next 3 attempts to ${url} as 1006 before open, set at ${clock(S)})`);
    // Without the document's rules (a HAR), the attempt's own record still says it.
    expect(run(r).headline.en).toBe('You failed this attempt from the panel (fail attempts as 1006 before open)');
    // Not a failed handshake, whatever the close looks like.
    expect(d.category).not.toBe('handshake-failed');
  });

  it('is never a CI failure, even with --fail-on any', () => {
    const f = parseFailOn(['any']);
    if (!f.ok) throw new Error(f.error);
    const d = run(new Recorder().create(1, 0).open(1, 50).inject(5 * S, 'drop', { sid: 1 }).injectedClose(1, 5 * S + 2, 1006));
    expect(f.value.matches(d)).toBe(false);
    // The same close, not injected, is one.
    expect(f.value.matches(run(new Recorder().create(1, 0).open(1, 50).close(1, 5 * S + 2, 1006)))).toBe(true);
  });
});

describe('an end inside an injected fault', () => {
  const silenced = (closeAt: number): Recorder =>
    new Recorder()
      .create(1, 0, PHOENIX)
      .open(1, 50)
      .message(1, S, 40)
      .inject(40 * S, 'silence', { sid: 1, ms: 30_000, mode: 'hold' })
      .closeCall(1, closeAt, { code: 1000, reason: 'heartbeat timeout' })
      .close(1, closeAt + 3, 1000, 'heartbeat timeout');

  it('a library giving up during an injected silence: the client gave up during it, not a lost server', () => {
    const d = run(silenced(61 * S));
    expect(d.category).toBe('injected');
    expect(d.headline.en).toBe(`The client gave up during the 30 s silence you injected at ${clock(40 * S)}`);
    expect(d.confidence).toBe('likely');
    expect(d.severity).toBe('info');
    // What the normal rules would say is kept, and the fault is listed with its time.
    expect(facts(d)).toEqual(expect.arrayContaining(['fault.silence', 'fault.otherwise']));
    expect(d.evidence.find((e) => e.fact === 'fault.otherwise')!.text.en).toMatch(/heartbeat/i);
  });

  it('the window: until the silence ends plus the slack, not after', () => {
    const edge = 40 * S + 30_000 + RULES.faultSlackMs;
    expect(run(silenced(edge - 3)).category).toBe('injected');
    const after = run(silenced(edge + 1));
    expect(after.category).toBe('heartbeat-lost');
    expect(facts(after)).toContain('fault.silence');
  });

  it('a silence undone early (clear) closes the window then', () => {
    const r = new Recorder().create(1, 0, PHOENIX).open(1, 50).message(1, S, 40);
    r.inject(40 * S, 'silence', { sid: 1, ms: 30_000, mode: 'drop' }).inject(45 * S, 'clear', { sid: 1 });
    r.closeCall(1, 61 * S, { code: 1000, reason: 'heartbeat timeout' }).close(1, 61 * S + 3, 1000, 'heartbeat timeout');
    expect(run(r).category).toBe('heartbeat-lost');
  });

  it('a cut during an injected silence: the server ended it, the page could not answer', () => {
    const r = new Recorder().create(1, 0).open(1, 50).message(1, S).inject(10 * S, 'silence', { sid: 1, ms: 30_000, mode: 'drop' }).close(1, 35 * S, 1006);
    const d = run(r);
    expect(d.category).toBe('injected');
    expect(d.headline.en).toBe(`The server ended it during the 30 s silence you injected at ${clock(10 * S)}: the page could not answer it`);
  });

  it('the page closing it on its own during a silence stays the page\'s decision', () => {
    const r = new Recorder().create(1, 0).open(1, 50).inject(10 * S, 'silence', { sid: 1, ms: 30_000, mode: 'hold' });
    r.closeCall(1, 12 * S, { code: 1000, reason: 'logout' }).close(1, 12 * S + 5, 1000, 'logout');
    const d = run(r);
    expect(d.category).toBe('closed-by-page');
    expect(facts(d)).toContain('fault.silence');
  });

  it('drop-next ate the pings: a give-up before the next real message is caused by it', () => {
    const base = (): Recorder => new Recorder().create(1, 0, PHOENIX).open(1, 50).message(1, S, 40).inject(20 * S, 'drop-next', { sid: 1, n: 3 });
    const eaten = base().closeCall(1, 61 * S, { code: 1000, reason: 'heartbeat timeout' }).close(1, 61 * S + 3, 1000, 'heartbeat timeout');
    const d = run(eaten);
    expect(d.category).toBe('injected');
    expect(d.headline.en).toBe(`The client gave up during the 3 inbound messages you dropped from ${clock(20 * S)}`);
    // A real message came through at 30 s: the three were eaten by then, the give-up at 61 s is not theirs.
    const through = base().message(1, 30 * S, 40).closeCall(1, 61 * S, { code: 1000, reason: 'heartbeat timeout' }).close(1, 61 * S + 3, 1000, 'heartbeat timeout');
    expect(run(through).category).not.toBe('injected');
  });

  it('blocked sends: a server end while they were blocked; not after they were unblocked', () => {
    const r = (unblockAt?: number): Recorder => {
      const x = new Recorder().create(1, 0).open(1, 50).message(1, S).inject(5 * S, 'block-sends', { sid: 1, pattern: 'pong' });
      if (unblockAt !== undefined) x.inject(unblockAt, 'block-sends', { sid: 1, pattern: '' });
      return x.close(1, 30 * S, 4000, 'no pong');
    };
    const d = run(r());
    expect(d.category).toBe('injected');
    expect(d.headline.en).toContain('the send blocking ("pong")');
    expect(run(r(10 * S)).category).toBe('app-code');
  });

  it('a short delay is evidence only; a long one explains a heartbeat give-up', () => {
    const r = (ms: number): Recorder =>
      new Recorder().create(1, 0, PHOENIX).open(1, 50).message(1, S, 40).inject(20 * S, 'delay', { sid: 1, ms })
        .closeCall(1, 61 * S, { code: 1000, reason: 'heartbeat timeout' }).close(1, 61 * S + 3, 1000, 'heartbeat timeout');
    expect(run(r(RULES.faultDelayMinMs - 1)).category).toBe('heartbeat-lost');
    expect(run(r(5_000)).headline.en).toBe(`The client gave up during the 5.0 s delay you injected at ${clock(20 * S)}`);
  });
});

describe('faults that did not end the connection', () => {
  it('an injected message does not hide an idle cut: the silence is the wire\'s', () => {
    const r = new Recorder().create(1, 0).open(1, 50).message(1, S).send(1, 2 * S, 30);
    r.inject(30 * S, 'send', { sid: 1, dir: 'in', size: 17 }).injectedMessage(1, 30 * S).close(1, 2 * S + 60_400, 1006);
    const d = run(r);
    expect(d.category).toBe('idle-timeout');
    expect(d.headline.en).toMatch(/60 s of silence/);
    expect(facts(d)).toContain('fault.send');
  });

  it('a refused command is evidence when it was about this connection', () => {
    const r = new Recorder().create(1, 0).open(1, 50).inject(2 * S, 'close', { sid: 1, ok: false, code: 2000, error: '2000 is not a code a server can send' });
    r.inject(3 * S, 'fail-next', { ok: false, url: 'http://x', error: 'the endpoint must be a ws:// or wss:// URL' }).close(1, 10 * S, 1000, 'bye');
    const d = run(r, 1, 400 * S, true);
    expect(d.category).toBe('closed-by-server');
    const refused = d.evidence.filter((e) => e.fact === 'fault.refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.text.en).toContain('2000 is not a code a server can send');
  });
});

// Honest diagnoses: what the timing, the network and the page's own calls can and cannot tell
// apart, with a confidence and the competing explanations.
import { describe, expect, it } from 'vitest';
import { diagnose, diagnoseAll, type Diagnosis } from '../src/core/diagnosis/diagnose.ts';
import { diagnosisToMarkdown } from '../src/core/diagnosis/markdown.ts';
import { findReconnectChains } from '../src/core/session/reconnect.ts';
import { analyse, Recorder } from './helpers/events.ts';

const S = 1000;
const facts = (d: Diagnosis): string[] => d.evidence.map((e) => e.fact);
const all = (d: Diagnosis): string =>
  [d.headline.en, ...d.evidence.map((e) => e.text.en), ...d.causes.map((c) => c.en), ...d.fixes.map((f) => f.en)].join('\n');
// Read loosely so the test compiles against code that has no confidence yet.
const conf = (d: Diagnosis): unknown => (d as unknown as Record<string, unknown>)['confidence'];
const comp = (d: Diagnosis): { cause: { en: string; ja: string }; tells: { en: string; ja: string } }[] =>
  ((d as unknown as Record<string, unknown>)['competitors'] as never) ?? [];

function one(r: Recorder, nowT = 400 * S, sid = 1): Diagnosis {
  const a = analyse(r, nowT);
  return diagnose(a.conn(sid), a.ctx);
}

describe('a silence that matches no known timeout', () => {
  it('a server crash 5 s after the last message is a cut after silence, not an idle timeout', () => {
    const d = one(new Recorder().create(1, 0).open(1, 10).message(1, 1 * S).close(1, 6 * S, 1006));
    expect(d.category).not.toBe('idle-timeout');
    expect(d.headline.en).toMatch(/cut after 5\.0 s of silence/i);
    expect(d.headline.en).not.toMatch(/unknown intermediary/);
    expect(conf(d)).toBe('possible');
    const causes = comp(d).map((c) => c.cause.en).join('\n');
    expect(causes).toMatch(/crash|restart/i);
    expect(causes).toMatch(/intermediary/i);
    expect(causes).toMatch(/network/i);
    expect(comp(d).map((c) => c.tells.en).join('\n')).toMatch(/no crash at 22:13:26/);
    for (const c of comp(d)) expect(c.tells.ja).not.toBe('');
  });

  it('a silence within tolerance of a known timeout names it as likely and still mentions a crash', () => {
    const d = one(new Recorder().create(1, 0).open(1, 10).message(1, 1 * S).send(1, 1 * S).close(1, 61 * S, 1006));
    expect(d.category).toBe('idle-timeout');
    expect(conf(d)).toBe('likely');
    expect(d.suspect?.timeoutMs).toBe(60_000);
    expect(comp(d).some((c) => /crash/i.test(c.cause.en))).toBe(true);
  });
});

describe('silence in each direction', () => {
  it('shows inbound and outbound silence separately', () => {
    const d = one(new Recorder().create(1, 0).open(1, 10).message(1, 1 * S).send(1, 20 * S).close(1, 30 * S, 1006));
    expect(facts(d)).toEqual(expect.arrayContaining(['silence.in', 'silence.out']));
    expect(d.evidence.find((e) => e.fact === 'silence.in')!.text.en).toMatch(/29 s/);
    expect(d.evidence.find((e) => e.fact === 'silence.out')!.text.en).toMatch(/10 s/);
  });

  it('a server that stopped answering while the page kept sending is said to be the server', () => {
    const r = new Recorder().create(1, 0).open(1, 10).message(1, 1 * S);
    for (let t = 5; t <= 60; t += 5) r.send(1, t * S);
    const d = one(r.close(1, 61 * S, 1006));
    // 60 s of inbound silence but 1 s outbound: nginx/ALB reset on either direction, no match.
    expect(d.suspect).toBeUndefined();
    expect(d.causes[0]!.en).toMatch(/server stopped answering/i);
  });
});

describe('no frames at all', () => {
  it('30 s with no traffic cannot tell an idle cut from a lifetime cap', () => {
    const d = one(new Recorder().create(1, 0).open(1, 10).close(1, 30 * S + 200, 1006));
    expect(all(d)).not.toMatch(/a heartbeat does not help/);
    expect(conf(d)).toBe('possible');
    const causes = comp(d).map((c) => c.cause.en).join('\n');
    expect(causes).toMatch(/idle/i);
    expect(causes).toMatch(/lifetime/i);
  });
});

describe('hidden tab', () => {
  it('hidden 300 ms before a crash is not "suspended"', () => {
    const d = one(new Recorder().create(1, 0).open(1, 10).message(1, 9 * S).page(9_700, 'hidden').close(1, 10 * S, 1006));
    expect(d.category).not.toBe('suspended');
    expect(facts(d)).toContain('hidden');
  });

  it('freeze still makes it suspended', () => {
    const d = one(new Recorder().create(1, 0).open(1, 10).message(1, 9 * S).page(9_700, 'hidden').page(9_800, 'freeze').close(1, 10 * S, 1006));
    expect(d.category).toBe('suspended');
  });
});

describe('size limits', () => {
  it('a 100 KiB send followed by a drop to an unknown server is at most a possibility', () => {
    const d = one(new Recorder().create(1, 0).open(1, 10).send(1, 2 * S, 100 * 1024).close(1, 2 * S + 300, 1006));
    expect(d.category).not.toBe('message-too-big');
    expect(all(d)).toMatch(/100 KiB/);
  });

  it('the same send to API Gateway matches its 32 KB frame limit', () => {
    const d = one(
      new Recorder().create(1, 0, 'wss://abc123.execute-api.us-east-1.amazonaws.com/prod').open(1, 10).send(1, 2 * S, 100 * 1024).close(1, 2 * S + 300, 1006),
    );
    expect(d.category).toBe('message-too-big');
    expect(conf(d)).toBe('likely');
    expect(all(d)).toMatch(/32 KB/);
  });
});

describe('timing for 1000 and 1001 too', () => {
  it('a 1001 after 600 s of silence is an idle cut (API Gateway / CloudFront), with a deploy as competitor', () => {
    const d = one(new Recorder().create(1, 0).open(1, 10).message(1, 1 * S).close(1, 601 * S, 1001));
    expect(d.category).toBe('idle-timeout');
    expect(d.suspect?.timeoutMs).toBe(600_000);
    expect(comp(d).some((c) => /deploy|shut/i.test(c.cause.en))).toBe(true);
  });
});

describe('reconnect chains need a failure', () => {
  it('one socket per operation, each closed by the page with 1000, is no storm', () => {
    const r = new Recorder();
    for (let i = 0; i < 8; i++) {
      const t = i * 200;
      r.create(i + 1, t).open(i + 1, t + 10).closeCall(i + 1, t + 50, { code: 1000 }).close(i + 1, t + 60, 1000);
    }
    const a = analyse(r, 400 * S);
    expect(findReconnectChains(a.conns, { now: a.ctx.now })).toEqual([]);
    const ds = diagnoseAll(a.ctx);
    expect([...ds.values()].some((d) => d.evidence.some((e) => e.fact === 'reconnect.storm'))).toBe(false);
  });
});

describe('reconnect advice follows the code', () => {
  it('a Discord 4004 chain never says keep retrying', () => {
    const url = 'wss://gateway.discord.gg/?v=10';
    const r = new Recorder();
    for (let i = 0; i < 6; i++) r.create(i + 1, i * 300, url).open(i + 1, i * 300 + 10).close(i + 1, i * 300 + 100, 4004, 'Authentication failed');
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(6), a.ctx);
    expect(d.fixes.some((f) => /keep retrying|back off|jitter/i.test(f.en))).toBe(false);
    expect(d.fixes.some((f) => /Do not reconnect|Stop reconnecting/i.test(f.en))).toBe(true);
  });
});

describe('a close the page asked for', () => {
  it("close(4000, 'logout') is the page's own decision", () => {
    const d = one(new Recorder().create(1, 0).open(1, 10).closeCall(1, 5 * S, { code: 4000, reason: 'logout' }).close(1, 5 * S + 20, 4000, 'logout'));
    expect(d.category).toBe('closed-by-page');
    expect(d.severity).toBe('info');
    expect(conf(d)).toBe('certain');
  });
});

describe("a client library's heartbeat timeout", () => {
  it('Socket.IO "ping timeout" close is the server going silent for its window', () => {
    const stack = 'Error\n    at WebSocket.close (chrome-extension://x/hook.js:1:1)\n    at Socket._resetPingTimeout (https://app.example/socket.io.js:10:5)';
    const d = one(
      new Recorder()
        .create(1, 0, 'wss://app.example/socket.io/?EIO=4&transport=websocket')
        .open(1, 10)
        .message(1, 1 * S)
        .closeCall(1, 46 * S, { stack })
        .close(1, 46 * S + 10, 1005),
    );
    expect(d.headline.en).toMatch(/Socket\.IO/);
    expect(d.headline.en).toMatch(/heartbeat|ping/i);
    expect(all(d)).toMatch(/silent/i);
    expect(d.severity).not.toBe('info');
  });

  it('graphql-ws 4504 closed by the client says the server did not acknowledge in time', () => {
    const d = one(
      new Recorder()
        .create(1, 0, 'wss://api.example/graphql', { protocols: ['graphql-transport-ws'] })
        .open(1, 10, 'graphql-transport-ws')
        .closeCall(1, 3 * S, { code: 4504, reason: 'Connection acknowledgement timeout' })
        .close(1, 3 * S + 10, 4504, 'Connection acknowledgement timeout'),
    );
    expect(all(d)).toMatch(/silent/i);
    expect(d.headline.en).toMatch(/graphql-ws/);
  });
});

describe('confidence in the report', () => {
  it('the Markdown report says how sure and what else it could be, in both languages', () => {
    const r = new Recorder().create(1, 0).open(1, 10).message(1, 1 * S).close(1, 6 * S, 1006);
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(1), a.ctx);
    expect(diagnosisToMarkdown(a.conn(1), d, 'en')).toMatch(/How sure: possible/);
    expect(diagnosisToMarkdown(a.conn(1), d, 'en')).toMatch(/Could also be/);
    expect(diagnosisToMarkdown(a.conn(1), d, 'ja')).toMatch(/確度/);
  });
});

describe('a cut that follows a sleep of the machine', () => {
  it('says the computer slept, with the jump as evidence, not an unexplained cut', () => {
    const a = analyse(new Recorder().create(1, 0).open(1, 10).message(1, 1 * S).close(1, 1_801 * S, 1006), 2_000 * S);
    const c = a.conn(1);
    // The page noticed its clock 30 min behind the wall clock when it woke, just before the close.
    const sleep = { doc: c.doc, at: c.close!.at - 200, what: 'sleep' as const, jumpMs: 1_800_000 };
    const d = diagnose(c, { ...a.ctx, context: [...a.ctx.context, sleep] });
    expect(d.category).toBe('suspended');
    expect(d.headline.en).toMatch(/slept for 30 min/);
    expect(d.headline.ja).toMatch(/スリープ/);
    expect(facts(d)).toContain('sleep');
    // Without the sleep the same timing is only a possible cut.
    expect(diagnose(c, a.ctx).category).not.toBe('suspended');
  });

  it('a sleep before the last frame does not explain a later cut', () => {
    const a = analyse(new Recorder().create(1, 0).open(1, 10).message(1, 60 * S).close(1, 65 * S, 1006), 100 * S);
    const c = a.conn(1);
    const d = diagnose(c, { ...a.ctx, context: [{ doc: c.doc, at: c.createdAt + 30 * S, what: 'sleep', jumpMs: 600_000 }] });
    expect(d.category).not.toBe('suspended');
  });
});

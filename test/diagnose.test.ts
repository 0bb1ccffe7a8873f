import { describe, expect, it } from 'vitest';
import { diagnose, diagnoseAll, DIAGNOSIS_CATEGORIES, RULES, topFrame, type Diagnosis } from '../src/core/diagnosis/diagnose.ts';
import { diagnosisToMarkdown } from '../src/core/diagnosis/markdown.ts';
import { analyse, Recorder, T0 } from './helpers/events.ts';
import { chainRecorder, SCENARIOS } from './helpers/scenarios.ts';

const S = 1000;

function run(name: string): { d: Diagnosis; a: ReturnType<(typeof SCENARIOS)[number]['run']>['a']; sid: number } {
  const sc = SCENARIOS.find((s) => s.name === name);
  if (!sc) throw new Error(`no scenario ${name}`);
  const { a, sid } = sc.run();
  return { d: diagnose(a.conn(sid), a.ctx), a, sid };
}

const facts = (d: Diagnosis): string[] => d.evidence.map((e) => e.fact);
const en = (d: Diagnosis): string => [d.headline.en, ...d.evidence.map((e) => e.text.en), ...d.causes.map((c) => c.en), ...d.fixes.map((f) => f.en)].join('\n');

describe('every scenario lands in its category', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, sc) => {
    const { a, sid } = sc.run();
    const d = diagnose(a.conn(sid), a.ctx);
    expect(d.category).toBe(sc.category);
    expect(d.headline.en).not.toBe('');
    expect(d.headline.ja).not.toBe('');
    if (sc.category !== 'live' && sc.category !== 'create-failed') expect(d.code).toBe(a.conn(sid).close?.code);
  });

  it('covers every category', () => {
    const seen = new Set(SCENARIOS.map((s) => s.category));
    expect([...DIAGNOSIS_CATEGORIES].filter((c) => !seen.has(c))).toEqual([]);
  });
});

describe('1006 before open: handshake failed', () => {
  it('is not a drop, and points at the Network panel and the server', () => {
    const { d } = run('handshake failed (1006, never opened)');
    expect(d.severity).toBe('error');
    expect(facts(d)).toEqual(expect.arrayContaining(['close.code', 'open.never', 'error']));
    expect(d.headline.en).toMatch(/not a drop/);
    expect(en(d)).toMatch(/401/);
    expect(en(d)).toMatch(/on purpose/);
    expect(d.fixes[0]!.en).toMatch(/Network panel/);
    expect(d.learnMore).toBe('https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1');
  });

  it('ranks "offline" first when the browser was offline', () => {
    const r = new Recorder().page(50, 'offline').create(1, 100).close(1, 120, 1006);
    const a = analyse(r, 10 * S);
    const d = diagnose(a.conn(1), a.ctx);
    expect(d.category).toBe('handshake-failed');
    expect(d.causes[0]!.en).toMatch(/offline/);
    expect(facts(d)).toContain('offline');
  });
});

describe('1006 after open: idle timeouts', () => {
  it('names nginx and ALB (both 60 s) and advises a heartbeat of 30 s', () => {
    const { d } = run('nginx/ALB idle cut: 60.4 s of silence');
    expect(d.suspect).toEqual({ name: 'nginx proxy_read_timeout / AWS Application Load Balancer', timeoutMs: 60_000 });
    expect(d.headline.en).toMatch(/60 s of silence/);
    expect(d.headline.ja).toMatch(/60 秒/);
    expect(facts(d)).toEqual(expect.arrayContaining(['lastIn', 'lastOut', 'silence']));
    expect(d.fixes.some((f) => /every 30 s/.test(f.en))).toBe(true);
    expect(d.fixes.some((f) => /proxy_read_timeout/.test(f.en))).toBe(true);
  });

  it('counts the silence from the last frame in either direction', () => {
    // Inbound was quiet for 100 s, but the page sent 40 s before the cut: no idle match.
    const r = new Recorder().create(1, 0).open(1, 10).message(1, 1 * S).send(1, 61 * S).close(1, 101 * S, 1006);
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(1), a.ctx);
    expect(d.suspect).toBeUndefined();
    expect(d.headline.en).toMatch(/40 s of silence/);
  });

  it('uses the time since open when no frame was exchanged', () => {
    const r = new Recorder().create(1, 0).open(1, 100).close(1, 100 + 55_500, 1006);
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(1), a.ctx);
    expect(d.category).toBe('idle-timeout');
    expect(d.suspect).toEqual({ name: 'Heroku router', timeoutMs: 55_000 });
    expect(facts(d)).toContain('frames.none');
  });

  it('recognises Cloudflare at 100 s', () => {
    expect(run('Cloudflare idle cut: 100.8 s of silence').d.suspect).toEqual({ name: 'Cloudflare proxy', timeoutMs: 100_000 });
  });

  it('recognises a lifetime cap on a chatty socket (Google Cloud LB, 30 s)', () => {
    const { d } = run('Google Cloud LB lifetime cut: chatty socket ends 30.2 s after open');
    expect(d.suspect).toEqual({ name: 'Google Cloud load balancer', timeoutMs: 30_000 });
    expect(d.headline.en).toMatch(/after opening/);
    expect(facts(d)).toContain('lifetime');
  });

  it('the lab idle proxy (3 s) matches no known timeout: a cut after silence, competitors side by side', () => {
    const { d } = run('lab idle proxy: 3 s of silence, unknown intermediary');
    expect(d.suspect).toBeUndefined();
    expect(d.confidence).toBe('possible');
    expect(d.headline.en).toMatch(/^Cut after 3\.0 s of silence — no known timeout matches/);
    expect(d.headline.ja).toContain('3.0 秒');
    expect(facts(d)).toEqual(expect.arrayContaining(['silence.in', 'silence.out']));
    expect(d.causes.some((c) => /died/.test(c.en))).toBe(true);
    expect(d.competitors?.length).toBe(3);
  });

  it('a long silence that matches nothing is one of several explanations', () => {
    const { d } = run('long silence matching nothing known (45 s)');
    expect(d.category).toBe('abnormal');
    expect(d.suspect).toBeUndefined();
    expect(d.fixes.some((f) => /heartbeat/.test(f.en))).toBe(true);
  });

  it(`below ${RULES.idleMinSilenceMs} ms of silence it is an abnormal cut`, () => {
    const { d } = run('abnormal: cut 0.5 s after traffic');
    expect(d.category).toBe('abnormal');
    expect(d.severity).toBe('error');
    expect(d.fixes[0]!.en).toMatch(/server logs/);
  });

  it('a failing reconnect right after turns a silent cut into "server down"', () => {
    const { d } = run('abnormal: server down, the reconnect could not connect');
    expect(d.category).toBe('abnormal');
    expect(facts(d)).toContain('reconnect.failed');
    expect(d.causes[0]!.en).toMatch(/server went down/);
  });
});

describe('1006 after open: context', () => {
  it('offline before the close', () => {
    const { d } = run('offline before the close');
    expect(d.category).toBe('offline');
    expect(d.evidence.find((e) => e.fact === 'offline')?.at).toBe(T0 + 20 * S);
    expect(d.fixes[0]!.en).toMatch(/online/);
  });

  it('offline reported a moment after the close still counts', () => {
    const r = new Recorder().create(1, 0).open(1, 10).message(1, 1 * S).close(1, 10 * S, 1006).page(12 * S, 'offline');
    const a = analyse(r, 400 * S);
    expect(diagnose(a.conn(1), a.ctx).category).toBe('offline');
  });

  it('a network flap that ended long before the close does not', () => {
    const r = new Recorder().create(1, 0).open(1, 10).page(1 * S, 'offline').page(2 * S, 'online').message(1, 9 * S).close(1, 9500, 1006);
    const a = analyse(r, 400 * S);
    expect(diagnose(a.conn(1), a.ctx).category).toBe('abnormal');
  });

  it('hidden tab, still hidden', () => {
    const { d } = run('suspended: tab hidden, still hidden at the close');
    expect(d.category).toBe('suspended');
    expect(facts(d)).toContain('hidden');
    expect(d.fixes[0]!.en).toMatch(/visibilitychange/);
  });

  it('frozen page whose close is reported on resume', () => {
    const { d } = run('suspended: frozen, close reported on resume');
    expect(facts(d)).toEqual(expect.arrayContaining(['hidden', 'freeze', 'resume']));
  });

  it('a tab that was visible again long before the close is not suspended', () => {
    const r = new Recorder().create(1, 0).open(1, 10).page(1 * S, 'hidden').page(2 * S, 'visible').message(1, 19 * S).close(1, 19_500, 1006);
    const a = analyse(r, 400 * S);
    expect(diagnose(a.conn(1), a.ctx).category).toBe('abnormal');
  });

  it('a hidden tab whose silence matches a proxy names the proxy too', () => {
    const r = new Recorder().create(1, 0).open(1, 10).message(1, 1 * S).page(2 * S, 'hidden').close(1, 61 * S, 1006);
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(1), a.ctx);
    expect(d.category).toBe('suspended');
    expect(d.suspect?.timeoutMs).toBe(60_000);
  });
});

describe('message size', () => {
  it('1006 right after a large send', () => {
    const { d } = run('large send then cut (1006)');
    expect(d.headline.en).toMatch(/200 KiB/);
    expect(d.evidence.find((e) => e.fact === 'lastOut.size')?.at).toBe(T0 + 2 * S);
    expect(en(d)).toMatch(/32 KB/);
  });

  it('a large send long before the cut does not count', () => {
    const r = new Recorder().create(1, 0).open(1, 10).send(1, 1 * S, 200 * 1024).close(1, 1 * S + RULES.largeSendWindowMs + 500, 1006);
    const a = analyse(r, 400 * S);
    expect(diagnose(a.conn(1), a.ctx).category).not.toBe('message-too-big');
  });

  it('1009 reports the sizes involved', () => {
    const { d } = run('message too big (1009)');
    expect(d.category).toBe('message-too-big');
    expect(facts(d)).toEqual(expect.arrayContaining(['maxSent', 'lastOut.size', 'close.reason']));
    expect(d.headline.en).toMatch(/146 KiB/);
  });
});

describe('navigation', () => {
  it('pagehide ends the socket: the server saw 1001', () => {
    const { d } = run('navigated away with the socket open');
    expect(d.category).toBe('navigated');
    expect(d.code).toBe(1001);
    expect(d.severity).toBe('info');
    expect(facts(d)).toContain('pagehide');
  });
});

describe('1011 server error', () => {
  it('shows the reason and the exact time to look at in the logs', () => {
    const { d } = run('server error 1011 with a reason');
    expect(d.headline.en).toBe('Server error: "boom" (1011)');
    expect(d.headline.ja).toBe('サーバーエラー：「boom」（1011）');
    const logs = d.evidence.find((e) => e.fact === 'close.at');
    expect(logs?.at).toBe(T0 + 10 * S + 7);
    expect(logs?.text.en).toBe('Look at the server logs at 22:13:30.007 UTC (±1 s)');
    expect(facts(d)).toContain('lastOut');
    expect(d.fixes.some((f) => /try\/catch/.test(f.en))).toBe(true);
    expect(d.fixes.some((f) => /connection id/.test(f.en))).toBe(true);
  });

  it('without a reason', () => {
    const { d } = run('server error 1011 without a reason');
    expect(d.headline.en).toMatch(/no reason/);
    expect(d.severity).toBe('error');
  });
});

describe('who closed it', () => {
  it('the page, with the requested code, reason and caller frame', () => {
    const { d } = run('closed by the page (close(1000, "bye"))');
    expect(d.headline.en).toBe('Closed by the page: close(1000, "bye")');
    expect(d.evidence.find((e) => e.fact === 'closeCall.stack')?.text.en).toBe(
      'Called from ChatClient.disconnect (https://app.example/assets/chat.js:120:14)',
    );
    expect(d.severity).toBe('info');
  });

  it('a worker (deep capture), in its own words, in all three forms', () => {
    const worker = { type: 'shared' as const, url: 'https://app.example/workers/feed.js' };
    const w = () => new Recorder('doc-worker', T0, worker.url, worker);
    const closedBy = (r: Recorder) => diagnose(analyse(r, 400 * S).conn(1), analyse(r, 400 * S).ctx);
    const clean = closedBy(w().create(1, 0).open(1, 50).closeCall(1, 10 * S, { code: 4000, reason: 'asked by a tab' }).close(1, 10 * S + 5, 4000, 'asked by a tab'));
    expect(clean.category).toBe('closed-by-page');
    expect(clean.headline.en).toBe('Closed by the worker: close(4000, "asked by a tab")');
    expect(clean.headline.ja).toBe('ワーカーが閉じました：close(4000, "asked by a tab")');
    const early = closedBy(w().create(1, 0).closeCall(1, 2, { rs: 0 }).close(1, 3, 1006));
    expect(early.headline.en).toBe('Closed by the worker before the connection was established');
    const noEcho = closedBy(w().create(1, 0).open(1, 50).closeCall(1, 10 * S, { code: 1000 }).close(1, 40 * S, 1006));
    expect(noEcho.headline.en).toMatch(/^Closed by the worker \(close\(1000\)\), but the server never completed/);
    // The page's own sockets keep the page's words.
    expect(run('closed by the page (close(1000, "bye"))').d.headline.en).toMatch(/^Closed by the page/);
  });

  it('the page, before the connection was established', () => {
    const { d } = run('closed by the page while connecting');
    expect(facts(d)).toEqual(expect.arrayContaining(['closeCall', 'closeCall.connecting', 'open.never']));
    expect(d.causes[0]!.en).toMatch(/StrictMode/);
  });

  it('the page, but the server never answered the close frame', () => {
    const { d } = run('closed by the page, close handshake never completed (1006)');
    expect(d.headline.en).toMatch(/never completed/);
    expect(d.severity).toBe('warning');
  });

  it('Phoenix heartbeat timeout gets its own explanation', () => {
    const { d } = run('Phoenix heartbeat timeout');
    expect(d.headline.en).toMatch(/Phoenix/);
    expect(d.learnMore).toBe('https://hexdocs.pm/phoenix/js/');
    expect(facts(d)).toContain('library');
    expect(en(d)).toMatch(/30 s/);
  });

  it('Phoenix heartbeat timeout even when the hook missed the close() call', () => {
    const r = new Recorder().create(1, 0).open(1, 10).close(1, 61 * S, 1000, 'heartbeat timeout');
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(1), a.ctx);
    expect(d.category).toBe('heartbeat-lost');
    expect(d.headline.en).toMatch(/heartbeat timeout/);
  });

  it('the server (1000) and the server going away (1001)', () => {
    const srv = run('closed by the server (1000)').d;
    expect(srv.headline.en).toBe('Closed normally by the server (1000): "session ended"');
    expect(facts(srv)).toContain('closeCall.none');
    const away = run('going away (1001)').d;
    expect(away.causes[0]!.en).toMatch(/deploy/i);
  });

  it('a close() call that threw is not a close by the page', () => {
    const r = new Recorder()
      .create(1, 0)
      .open(1, 10)
      .closeCall(1, 5 * S, { code: 1001, threw: 'InvalidAccessError: code must be 1000 or 3000-4999' })
      .close(1, 10 * S, 1000);
    const a = analyse(r, 400 * S);
    expect(diagnose(a.conn(1), a.ctx).category).toBe('closed-by-server');
  });

  it('an app code the page asked for keeps the library meaning and shows the call', () => {
    const r = new Recorder()
      .create(1, 0, 'wss://api.example/graphql', { protocols: ['graphql-transport-ws'] })
      .open(1, 10, 'graphql-transport-ws')
      .closeCall(1, 5 * S, { code: 4499, reason: 'Terminated' })
      .close(1, 5 * S + 4, 4499, 'Terminated');
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(1), a.ctx);
    // The page (its graphql-ws client) asked for it: never an app-code fault of the server.
    expect(d.category).toBe('closed-by-page');
    expect(d.headline.en).toMatch(/graphql-ws/);
    expect(facts(d)).toContain('closeCall');
  });
});

describe('other codes', () => {
  it('graphql-ws 4401 is recognised by the subprotocol', () => {
    const { d } = run('graphql-ws 4401');
    expect(d.headline.en).toMatch(/Unauthorized \(graphql-ws\)/);
    expect(d.learnMore).toMatch(/graphql-ws/);
  });

  it('Discord 4004 says not to reconnect', () => {
    const { d } = run('Discord 4004');
    expect(d.fixes.some((f) => /Do not reconnect/.test(f.en))).toBe(true);
  });

  it('an unknown private code gets the range meaning', () => {
    const { d } = run('private 4321');
    expect(d.headline.en).toBe('Private use (4000–4999) (4321): "kicked"');
  });

  it('1012/1013 advise backing off', () => {
    for (const name of ['service restart (1012)', 'try again later (1013)']) {
      const { d } = run(name);
      expect(d.severity).toBe('warning');
      expect(en(d)).toMatch(/back/i);
    }
  });

  it('1005 on Socket.IO mentions its ping defaults', () => {
    const { d } = run('no status (1005), Socket.IO');
    expect(en(d)).toMatch(/25 s \(pingInterval\)/);
  });

  it('live sockets', () => {
    expect(run('live, open').d.headline.en).toMatch(/Open for/);
    expect(run('live, stuck connecting').d.severity).toBe('warning');
    expect(run('live, closing').d.headline.en).toMatch(/Closing/);
  });
});

describe('reconnect evidence', () => {
  it('states the attempt number and the delay', () => {
    const { r } = chainRecorder([200, 400, 800, 1600]);
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(3), a.ctx);
    const ev = d.evidence.find((e) => e.fact === 'reconnect');
    expect(ev?.text.en).toBe('Reconnect attempt 2 of 4 to this endpoint, 400 ms after the previous socket ended');
    expect(d.chainId).toBe(`chain:${a.conn(1).id}`);
    expect(facts(d)).toContain('reconnect.backoff');
  });

  it('a storm gets the backoff fix', () => {
    const { r } = chainRecorder([3, 3, 3, 3, 3, 3, 3, 3]);
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(9), a.ctx);
    expect(facts(d)).toContain('reconnect.storm');
    expect(d.fixes.some((f) => /exponential backoff/.test(f.en) && /jitter/.test(f.en))).toBe(true);
  });

  it('the last attempt of a chain that gave up says so', () => {
    const { r } = chainRecorder([200, 400]);
    const a = analyse(r, 400 * S);
    const d = diagnose(a.conn(3), a.ctx);
    expect(facts(d)).toContain('reconnect.gaveUp');
  });

  it('a drop that nothing followed suggests adding reconnection', () => {
    const { d } = run('abnormal: cut 0.5 s after traffic');
    expect(facts(d)).toContain('reconnect.none');
  });

  it('diagnoseAll shares one analysis', () => {
    const { r } = chainRecorder([200, 400, 800]);
    const a = analyse(r, 400 * S);
    const all = diagnoseAll(a.ctx);
    expect(all.size).toBe(4);
    expect(all.get(a.conn(4).id)?.evidence.some((e) => e.fact === 'reconnect')).toBe(true);
  });
});

describe('topFrame', () => {
  it('skips the hook and reads Chrome and Firefox stacks', () => {
    expect(topFrame('Error\n    at WebSocket.close (chrome-extension://x/hook.js:1:1)\n    at f (https://a/b.js:2:3)')).toBe('f (https://a/b.js:2:3)');
    expect(topFrame('close@moz-extension://x/hook.js:1:1\nf@https://a/b.js:2:3\n')).toBe('f@https://a/b.js:2:3');
    expect(topFrame(undefined)).toBeUndefined();
  });
});

describe('markdown', () => {
  it('renders a bug report in both languages', () => {
    const { d, a, sid } = run('server error 1011 with a reason');
    const md = diagnosisToMarkdown(a.conn(sid), d, 'en');
    expect(md).toContain('### WebSocket: 1011 Internal Error — Server error: "boom" (1011)');
    expect(md).toContain('- URL: `wss://api.example/socket`');
    expect(md).toContain('`22:13:30.007 UTC` Look at the server logs');
    expect(md).toMatch(/\*\*Likely causes\*\*\n\n1\. /);
    expect(md).toContain('Learn more: https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1');
    const ja = diagnosisToMarkdown(a.conn(sid), d, 'ja');
    expect(ja).toContain('サーバーエラー：「boom」');
    expect(ja).toContain('**考えられる原因**');
  });
});

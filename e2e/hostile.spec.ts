// Bad input from the page side: overwritten built-ins, forged and malformed private events.
import type { Page } from 'playwright-core';
import { buildChannel } from './support/channel.ts';
import { DevTools, until } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

type Result = { code: number; reason: string; echoed?: unknown[] };
const run = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as { __lab: { run(n: string): Promise<Result> } }).__lab.run(n), name);

test('a page that overwrites built-ins after load keeps working and stays captured', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const sabotage = await page.evaluate(() => {
    const calls = { push: 0, stringify: 0, dispatch: 0, custom: 0 };
    const push = Array.prototype.push;
    Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
      calls.push++;
      return push.apply(this, items);
    };
    JSON.stringify = (() => {
      calls.stringify++;
      return '"hijacked"';
    }) as typeof JSON.stringify;
    EventTarget.prototype.dispatchEvent = function () {
      calls.dispatch++;
      return true;
    };
    (window as unknown as { CustomEvent: unknown }).CustomEvent = function () {
      calls.custom++;
      throw new Error('no CustomEvent for you');
    };
    (window as unknown as { __calls: typeof calls }).__calls = calls;
    return 'done';
  });
  expect(sabotage).toBe('done');
  // The page itself still works with its sockets...
  const serverError = await run(page, 'server-error');
  expect(serverError.code).toBe(1011);
  expect(serverError.reason).toBe('boom');
  const echo = await run(page, 'echo');
  expect(echo.code).toBe(1000);
  // ...and the capture did not break either.
  const devtools = await DevTools.forPage(context, page, { open: true });
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = await panel.waitForRows('the sockets opened after the sabotage', (rs) => rs.some((r) => r.code === '1011') && rs.some((r) => r.url.includes('/ws/echo') && r.code === '1000'));
  const echoRow = rows.find((r) => r.url.includes('/ws/echo'))!;
  await panel.select(echoRow.id);
  await panel.click('[data-testid="tab-messages"]');
  await until('echo messages captured', async () => (await panel.count('[data-testid="message-row"]')) >= 4);
});

test('forged and malformed private events are dropped and counted, and never reach another tab', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const channel = buildChannel();
  const victim = context.pages()[0] ?? (await context.newPage());
  await victim.goto(`${lab.url}/?run=server-error`);
  const forger = await context.newPage();
  await forger.goto(`${lab.url}/`);
  await forger.evaluate((ch) => {
    const send = (detail: unknown) => window.dispatchEvent(new CustomEvent(`${ch}:p`, { detail }));
    send('not json at all');
    send(JSON.stringify({ v: 99, events: [] }));
    send(JSON.stringify({ v: 1, events: [{ k: 'close', sid: 'x' }] }));
    send(JSON.stringify({ v: 1, events: [{ k: 'create', sid: 1, t: 1, url: 'x'.repeat(100_000), protocols: [] }] }));
    send({ object: 'detail' });
    // A batch that reads as traffic alone (the relay keeps and forwards it as text) but holds junk:
    // the hub refuses the three sequence numbers it claims.
    send('{"v":1,"c":3,"l":0,"dropped":0,"events":[0,0,0],"cols":{"s":"junk"}}');
    // A well-formed lie: the forger can only lie about its own document.
    send(JSON.stringify({ v: 1, events: [{ k: 'create', sid: 424242, t: 1, url: 'ws://forged.invalid/', protocols: [], doc: 'someone-else' }] }));
  }, channel);
  // The forger's real sockets still work and are captured after the garbage.
  expect((await run(forger, 'server-error')).code).toBe(1011);

  const victimTools = await DevTools.forPage(context, victim, { open: true });
  await victimTools.showPanel();
  const victimPanel = await victimTools.panel();
  const victimRows = await victimPanel.waitForRows('the victim tab socket', (rs) => rs.some((r) => r.code === '1011'));
  expect(victimRows.some((r) => r.url.includes('forged'))).toBe(false);
  expect(await victimPanel.count('[data-testid="drops-malformed"]')).toBe(0);

  const forgerTools = await DevTools.forPage(context, forger, { open: true });
  await forgerTools.showPanel();
  const forgerPanel = await forgerTools.panel();
  await forgerPanel.waitForRows('the forger tab sockets', (rs) => rs.some((r) => r.code === '1011'));
  const malformed = await until('malformed count shown', () => forgerPanel.text('[data-testid="drops-malformed"]').then((t) => t ?? undefined));
  // 5 bad messages the relay refuses (non-JSON, wrong version, bad event, oversized URL,
  // non-string detail) and 3 events of a junk text block the hub refuses.
  expect(malformed).toMatch(/\b8\b/);
  // Refused is not evicted: the block's numbers are gaps the panel does not count as lost.
  expect(await forgerPanel.count('[data-testid="drops-evicted"]')).toBe(0);
});

test('forged securitypolicyviolation events throw nothing into the page and are not recorded; a real one is', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const channel = buildChannel();
  // A page of the lab's origin whose CSP allows WebSockets to that origin only ('self').
  const pageUrl = `${lab.url}/hostile-csp.html`;
  await context.route(pageUrl, (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'text/html', 'content-security-policy': "connect-src 'self'" }, body: '<!doctype html><title>csp</title>' }),
  );
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(pageUrl);
  const blockedUrl = 'ws://127.0.0.1:1/blocked?by=csp';
  const out = await page.evaluate(
    async ({ ch, blockedUrl }) => {
      // What the hook sends the relay: the page can see it when it knows the private event name
      // (the worst case, as in the forging test above).
      const recorded: Array<Record<string, unknown>> = [];
      window.addEventListener(`${ch}:p`, (e) => {
        for (const ev of (JSON.parse((e as CustomEvent<string>).detail) as { events: unknown[] }).events) if (ev !== 0) recorded.push(ev as Record<string, unknown>);
      });
      const uncaught: string[] = [];
      window.addEventListener('error', (e) => uncaught.push(String(e.message)));
      const seen: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`doc:${e.isTrusted}`), true);
      window.addEventListener('securitypolicyviolation', (e) => seen.push(`win:${e.isTrusted}`));
      const init = { blockedURI: 'ws://forged.invalid/', violatedDirective: 'connect-src', effectiveDirective: 'connect-src', originalPolicy: "connect-src 'none'", disposition: 'enforce', statusCode: 0 } as SecurityPolicyViolationEventInit;
      const throwing = new Event('securitypolicyviolation', { bubbles: true });
      for (const k of ['blockedURI', 'effectiveDirective', 'violatedDirective', 'originalPolicy', 'disposition']) {
        Object.defineProperty(throwing, k, { get() { throw new Error(`getter ${k}`); } });
      }
      const forged: Event[] = [
        new Event('securitypolicyviolation', { bubbles: true }),
        new SecurityPolicyViolationEvent('securitypolicyviolation', { ...init, bubbles: true }),
        throwing,
      ];
      const threw: string[] = [];
      const returned: boolean[] = [];
      for (const e of forged) {
        try {
          returned.push(document.dispatchEvent(e));
        } catch (err) {
          threw.push(String(err));
        }
      }
      // A real violation: the browser refuses the socket at once (docs/page-signals.md).
      const ws = new WebSocket(blockedUrl);
      const createdState = ws.readyState;
      await new Promise<void>((r) => ws.addEventListener('error', () => r()));
      // The hook flushes on a short timer; wait for the socket's error to be sent.
      const t0 = performance.now();
      while (!recorded.some((e) => e.k === 'error') && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      return { threw, returned, uncaught, seen, createdState, recorded };
    },
    { ch: channel, blockedUrl },
  );
  expect(out.threw).toEqual([]);
  expect(out.uncaught).toEqual([]);
  expect(out.returned).toEqual([true, true, true]);
  // The page's own listeners got every event, forged and real, capture and bubble.
  expect(out.seen).toEqual(['doc:false', 'win:false', 'doc:false', 'win:false', 'doc:false', 'win:false', 'doc:true', 'win:true']);
  expect(out.createdState).toBe(3);
  const csp = out.recorded.filter((e) => e.k === 'csp');
  expect(csp).toEqual([{ k: 'csp', t: expect.any(Number), blocked: blockedUrl, directive: 'connect-src', policy: "connect-src 'self'", disposition: 'enforce' }]);
  expect(out.recorded.find((e) => e.k === 'create')).toMatchObject({ url: blockedUrl, rs: 3 });

  // Through the relay, hub and panel: the socket is ended as blocked, a handshake that failed.
  const devtools = await DevTools.forPage(context, page, { open: true });
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = await panel.waitForRows('the blocked socket, ended', (rs) => rs.some((r) => r.url === blockedUrl && r.code === '1006'));
  const row = rows.find((r) => r.url === blockedUrl)!;
  expect(row.outcome).toBe('handshake-failed');
  expect(row.text).toContain('1006*');
  expect(rows.some((r) => r.url.includes('forged'))).toBe(false);
});

test('synthetic events dispatched on a socket throw nothing, reach the page as before and are not recorded', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const channel = buildChannel();
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const out = await page.evaluate(
    async ({ ch, url }) => {
      // Everything the hook sends the relay, objects and traffic columns (page-batch.ts).
      const recorded: Array<Record<string, unknown>> = [];
      window.addEventListener(`${ch}:p`, (e) => {
        const b = JSON.parse((e as CustomEvent<string>).detail) as { events: unknown[]; cols?: { f: number[]; d: unknown[]; s: number[] } };
        let j = 0;
        for (const ev of b.events) {
          if (ev !== 0) recorded.push(ev as Record<string, unknown>);
          else { recorded.push({ k: b.cols!.f[j]! & 1 ? 'send' : 'message', sid: b.cols!.s[j], data: b.cols!.d[j] }); j++; }
        }
      });
      const uncaught: string[] = [];
      window.addEventListener('error', (e) => uncaught.push(String(e.message)));
      const ws = new WebSocket(url);
      await new Promise((r) => ws.addEventListener('open', r));
      await new Promise((r) => ws.addEventListener('message', r, { once: true })); // the echo's hello
      const calls: string[] = [];
      for (const type of ['open', 'message', 'error', 'close']) {
        ws.addEventListener(type, (e) => calls.push(`${type}:${e.constructor.name}:${e.isTrusted}`));
      }
      ws.onmessage = (e) => calls.push(`onmessage:${e.constructor.name}`);
      ws.onclose = (e) => calls.push(`onclose:${e.constructor.name}`);
      const synthetic: Event[] = [
        new Event('message'),
        new UIEvent('close'),
        new CustomEvent('open'),
        new Event('error'),
        new MessageEvent('message', { data: 'forged message' }),
        new CloseEvent('close', { code: 4999, reason: 'forged close', wasClean: true }),
        new CustomEvent('close', { detail: { code: 1 } }),
      ];
      const threw: string[] = [];
      const returned: boolean[] = [];
      for (const e of synthetic) {
        try {
          returned.push(ws.dispatchEvent(e));
        } catch (err) {
          threw.push(String(err));
        }
      }
      // The socket still works and its real traffic is recorded after the forgeries.
      const echoed = new Promise((r) => ws.addEventListener('message', (e) => r(e.data), { once: true }));
      ws.send('real');
      const data = await echoed;
      const closed = new Promise((r) => ws.addEventListener('close', (e) => r((e as CloseEvent).code), { once: true }));
      ws.close(1000);
      const code = await closed;
      const t0 = performance.now();
      while (!recorded.some((e) => e.k === 'close') && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100));
      return { uncaught, threw, returned, calls, data, code, recorded };
    },
    { ch: channel, url: `${lab.wsBase}/ws/echo` },
  );
  expect(out.uncaught).toEqual([]);
  expect(out.threw).toEqual([]);
  expect(out.returned).toEqual([true, true, true, true, true, true, true]);
  // The page's listeners got every forged event, then the real ones, as without the hook.
  expect(out.calls.slice(0, 11)).toEqual([
    'message:Event:false', 'onmessage:Event',
    'close:UIEvent:false', 'onclose:UIEvent',
    'open:CustomEvent:false',
    'error:Event:false',
    'message:MessageEvent:false', 'onmessage:MessageEvent',
    'close:CloseEvent:false', 'onclose:CloseEvent',
    'close:CustomEvent:false',
  ]);
  expect(out.data).toBe('real');
  expect(out.code).toBe(1000);
  const k = (kind: string) => out.recorded.filter((e) => e.k === kind);
  expect(k('open')).toHaveLength(1);
  expect(k('error')).toHaveLength(0);
  expect(k('close')).toEqual([expect.objectContaining({ code: 1000, clean: true })]);
  // The echo's hello and the echo of 'real': nothing forged.
  expect(k('message').map((e) => e.data)).toHaveLength(2);
  expect(k('message').some((e) => e.data === 'forged message' || e.data === null)).toBe(false);
});

/** Everything the hook sends the relay, objects and traffic columns (page-batch.ts), as a page that knows the channel sees it. */
const RECORDER = `(ch) => {
  const recorded = [];
  const parse = JSON.parse;
  window.addEventListener(ch + ':p', (e) => {
    const b = parse(e.detail);
    let j = 0;
    for (const ev of b.events) {
      if (ev !== 0) recorded.push(ev);
      else { recorded.push({ k: b.cols.f[j] & 1 ? 'send' : 'message', sid: b.cols.s[j], data: b.cols.d[j] }); j++; }
    }
  });
  return recorded;
}`;

test('a throwing Error.prepareStackTrace is never called by the hook, and sockets work and stay captured', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const out = await page.evaluate(
    async ({ ch, url, recorder }) => {
      const recorded = (0, eval)(recorder)(ch) as Array<Record<string, unknown>>;
      const uncaught: string[] = [];
      window.addEventListener('error', (e) => uncaught.push(String(e.message)));
      let prepared = 0;
      (Error as unknown as { prepareStackTrace: unknown }).prepareStackTrace = () => {
        prepared++;
        throw new Error('prepareStackTrace says no');
      };
      const threw: string[] = [];
      let ws: WebSocket | undefined;
      try {
        ws = new WebSocket(url);
      } catch (err) {
        threw.push(`new: ${String(err)}`);
      }
      if (ws) {
        await new Promise((r) => ws!.addEventListener('open', r));
        try { ws.send('hi'); } catch (err) { threw.push(`send: ${String(err)}`); }
        const closed = new Promise((r) => ws!.addEventListener('close', r));
        try { ws.close(1000, 'bye'); } catch (err) { threw.push(`close: ${String(err)}`); }
        await closed;
      }
      const t0 = performance.now();
      while (!recorded.some((e) => e.k === 'close') && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      delete (Error as unknown as { prepareStackTrace?: unknown }).prepareStackTrace;
      return { uncaught, threw, prepared, kinds: recorded.map((e) => e.k) };
    },
    { ch: buildChannel(), url: `${lab.wsBase}/ws/echo`, recorder: RECORDER },
  );
  expect(out.uncaught).toEqual([]);
  expect(out.threw).toEqual([]);
  // Without the extension nothing here formats a stack: the hook must not either.
  expect(out.prepared).toBe(0);
  expect(out.kinds).toEqual(expect.arrayContaining(['create', 'open', 'send', 'close-call', 'close']));
});

test('protocols given as a string-like object or an iterable are recorded as the browser took them, without a second conversion', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const out = await page.evaluate(
    async ({ ch, url, recorder }) => {
      const recorded = (0, eval)(recorder)(ch) as Array<Record<string, unknown>>;
      const uncaught: string[] = [];
      window.addEventListener('error', (e) => uncaught.push(String(e.message)));
      const calls: string[] = [];
      const threw: string[] = [];
      try {
        new WebSocket(url, { toString() { calls.push('chat'); return 'chat'; } } as unknown as string).close();
        new WebSocket(url, new Set(['one', 'two']) as unknown as string[]).close();
        new WebSocket(url, null as unknown as string).close();
      } catch (err) {
        threw.push(String(err));
      }
      const t0 = performance.now();
      while (recorded.filter((e) => e.k === 'create').length < 3 && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      return { uncaught, threw, calls, creates: recorded.filter((e) => e.k === 'create') };
    },
    { ch: buildChannel(), url: `${lab.wsBase}/ws/idle`, recorder: RECORDER },
  );
  expect(out.uncaught).toEqual([]);
  expect(out.threw).toEqual([]);
  expect(out.calls).toEqual(['chat']);
  expect(out.creates.map((e) => e.protocols)).toEqual([['chat'], ['one', 'two'], ['null']]);
  // The page's call site is still recorded with each socket.
  expect(out.creates.map((e) => typeof e.stack === 'string' && (e.stack as string).length > 0)).toEqual([true, true, true]);
});

test('a throwing Array.prototype.toJSON, replaced string methods and deleted globals: the hook runs none of the page code and stays captured', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const out = await page.evaluate(
    async ({ ch, url, recorder }) => {
      const recorded = (0, eval)(recorder)(ch) as Array<Record<string, unknown>>;
      const uncaught: string[] = [];
      window.addEventListener('error', (e) => uncaught.push(String(e.message)));
      const calls = { toJSON: 0, charCodeAt: 0, slice: 0, bubbles: 0, hasInstance: 0, byteLength: 0 };
      const typedProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
      const byteLength = Object.getOwnPropertyDescriptor(typedProto, 'byteLength')!;
      const w = window as unknown as Record<string, unknown>;
      const saved = { Number: w.Number, String: w.String, Math: w.Math, Date: w.Date, Symbol: w.Symbol };
      const charCodeAt = String.prototype.charCodeAt;
      const slice = String.prototype.slice;
      const setTimer = setTimeout;
      const now = performance.now.bind(performance);
      (Array.prototype as unknown as { toJSON: unknown }).toJSON = function () {
        calls.toJSON++;
        throw new Error('toJSON says no');
      };
      String.prototype.charCodeAt = function (this: string, i: number) { calls.charCodeAt++; return charCodeAt.call(this, i); };
      String.prototype.slice = function (this: string, a?: number, b?: number) { calls.slice++; return slice.call(this, a, b); };
      Object.defineProperty(Object.prototype, 'bubbles', { get() { calls.bubbles++; return false; }, configurable: true });
      // instanceof ArrayBuffer / Blob would run these; the typed arrays' getters, replaced.
      for (const C of [ArrayBuffer, Blob]) Object.defineProperty(C, Symbol.hasInstance, { value: () => { calls.hasInstance++; return false; }, configurable: true });
      Object.defineProperty(typedProto, 'byteLength', { get() { calls.byteLength++; return byteLength.get!.call(this); }, configurable: true });
      for (const k of Object.keys(saved)) delete w[k];
      const threw: string[] = [];
      let echoed: unknown;
      try {
        const ws = new WebSocket(url);
        await new Promise((r) => ws.addEventListener('open', r));
        await new Promise((r) => ws.addEventListener('message', r, { once: true })); // the echo's hello
        const got = new Promise((r) => ws.addEventListener('message', (e) => r(e.data), { once: true }));
        ws.send('héllo');
        echoed = await got;
        ws.binaryType = 'arraybuffer';
        const bin = new Promise((r) => ws.addEventListener('message', r, { once: true }));
        ws.send(new Uint8Array([1, 2, 3]).subarray(1));
        await bin;
        const closed = new Promise((r) => ws.addEventListener('close', r));
        ws.close(1000, 'bye');
        await closed;
      } catch (err) {
        threw.push(String(err));
      }
      const t0 = now();
      while (!recorded.some((e) => e.k === 'close') && now() - t0 < 5000) await new Promise((r) => setTimer(r, 50));
      Object.assign(w, saved);
      delete (Array.prototype as unknown as { toJSON?: unknown }).toJSON;
      String.prototype.charCodeAt = charCodeAt;
      String.prototype.slice = slice;
      delete (Object.prototype as unknown as { bubbles?: unknown }).bubbles;
      for (const C of [ArrayBuffer, Blob]) delete (C as unknown as Record<symbol, unknown>)[Symbol.hasInstance];
      Object.defineProperty(typedProto, 'byteLength', byteLength);
      return { uncaught, threw, echoed, calls, kinds: recorded.map((e) => e.k), data: recorded.filter((e) => e.k === 'send' || e.k === 'message').map((e) => e.data) };
    },
    { ch: buildChannel(), url: `${lab.wsBase}/ws/echo`, recorder: RECORDER },
  );
  expect(out.uncaught).toEqual([]);
  expect(out.threw).toEqual([]);
  expect(out.echoed).toBe('héllo');
  // Without the extension nothing here calls them: the hook must not either.
  expect(out.calls).toEqual({ toJSON: 0, charCodeAt: 0, slice: 0, bubbles: 0, hasInstance: 0, byteLength: 0 });
  expect(out.kinds).toEqual(expect.arrayContaining(['create', 'open', 'send', 'message', 'close-call', 'close']));
  // The text both ways, and the two bytes of the view both ways (base64 of 02 03).
  expect(out.data).toEqual(expect.arrayContaining(['héllo', 'AgM=']));
});

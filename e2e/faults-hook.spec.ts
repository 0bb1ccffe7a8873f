// Fault injection from the hub to the page, in real Chromium: commands posted on a panel port
// (as the panel does) reach the page hook through the hub and the relay, and the page sees what
// the real failure shows it; a page that forges the command channel gets nothing done.
import type { Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { INJECTED_CLOSE_CODE, INJECTED_CLOSE_REASON } from '../src/core/faults/checks.ts';
import { buildChannel } from './support/channel.ts';
import { panelFor } from './support/panel-port.ts';
import { until } from './support/wait.ts';
import { expect, test } from './support/fixtures.ts';

/** A server that greets, ticks every 40 ms with a counter, echoes, and remembers how each socket ended. */
async function tickServer() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const closes: Array<{ code: number; reason: string }> = [];
  const received: string[] = [];
  let connections = 0;
  wss.on('connection', (ws) => {
    connections++;
    let tick = 0;
    ws.send('hello');
    const t = setInterval(() => ws.send(`tick ${++tick}`), 40);
    ws.on('message', (d) => {
      received.push(String(d));
      ws.send(d);
    });
    ws.on('close', (code, reason) => {
      clearInterval(t);
      closes.push({ code, reason: String(reason) });
    });
  });
  const port = (wss.address() as { port: number }).port;
  return { url: `ws://127.0.0.1:${port}/t`, closes, received, connections: () => connections, close: () => {
      for (const c of wss.clients) c.terminate();
      return new Promise((r) => wss.close(r));
    },
  };
}

type Logged = { type: string; rs: number; code?: number; reason?: string; clean?: boolean; data?: string; at: number; trusted: boolean };

/** Opens a socket in the page that logs what its listeners see. */
async function openLogged(page: Page, name: string, url: string): Promise<void> {
  await page.evaluate(
    ({ name, url }) => {
      const w = window as unknown as { __socks: Record<string, { ws: WebSocket; log: unknown[] }> };
      w.__socks ??= {};
      const ws = new WebSocket(url);
      const log: unknown[] = [];
      for (const type of ['open', 'message', 'error', 'close']) {
        ws.addEventListener(type, (e) => {
          const c = e as CloseEvent & MessageEvent;
          log.push({ type, rs: ws.readyState, code: c.code, reason: c.reason, clean: c.wasClean, data: typeof c.data === 'string' ? c.data : undefined, at: performance.now(), trusted: e.isTrusted });
        });
      }
      w.__socks[name] = { ws, log };
    },
    { name, url },
  );
}
const logOf = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as { __socks: Record<string, { log: Logged[] }> }).__socks[n]!.log, name) as Promise<Logged[]>;
const stateOf = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as { __socks: Record<string, { ws: WebSocket }> }).__socks[n]!.ws.readyState, name);

type Ev = Record<string, unknown> & { k: string; doc: string };
const eventsOf = (viewer: Page) => viewer.evaluate(() => (window as unknown as { __events: Ev[] }).__events);
const msgsOf = (viewer: Page) => viewer.evaluate(() => (window as unknown as { __msgs: Array<Record<string, unknown>> }).__msgs);
const fault = (viewer: Page, doc: string, cmd: object) =>
  viewer.evaluate(({ doc, cmd }) => (window as unknown as { __port: chrome.runtime.Port }).__port.postMessage({ type: 'panel-fault', doc, cmd }), { doc, cmd });

/** The document and sid of the n-th socket made to `url` (0 first). */
async function socketOf(viewer: Page, url: string, nth = 0): Promise<{ doc: string; sid: number }> {
  return until(`the socket to ${url}`, async () => {
    const creates = (await eventsOf(viewer)).filter((e) => e.k === 'create' && e.url === url);
    const c = creates[nth];
    return c ? { doc: c.doc, sid: c.sid as number } : undefined;
  });
}
const injects = async (viewer: Page, op: string) => (await eventsOf(viewer)).filter((e) => e.k === 'inject' && e.op === op);
const waitInject = (viewer: Page, op: string, count = 1) => until(`inject ${op}`, async () => ((await injects(viewer, op)).length >= count ? injects(viewer, op) : undefined));
const messages = (log: Logged[]) => log.filter((l) => l.type === 'message');

test('drop, server close, silence and fail-next reach the page as real failures; the server gets 4999', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const srv = await tickServer();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${lab.url}/`);
    const viewer = await panelFor(context);
    await openLogged(page, 'a', srv.url);
    await until('ticks', async () => messages(await logOf(page, 'a')).length >= 3);
    const a = await socketOf(viewer, srv.url);

    // (a) drop.
    await fault(viewer, a.doc, { op: 'drop', sid: a.sid });
    await until('the page sees the close', async () => (await logOf(page, 'a')).some((l) => l.type === 'close'));
    const before = (await logOf(page, 'a')).length;
    await page.waitForTimeout(400);
    const log = await logOf(page, 'a');
    expect(log.length).toBe(before); // no message after the close, though the server kept ticking until it got ours
    // A cut after open: `close` 1006 with no `error` before it, as a real one (compared below).
    const tail = log.slice(-2);
    expect(tail.map((l) => l.type)).toEqual(['message', 'close']);
    expect(tail[1]).toMatchObject({ code: 1006, reason: '', clean: false, rs: 3 });
    expect(await stateOf(page, 'a')).toBe(3);
    const sent = await page.evaluate(() => {
      const ws = (window as unknown as { __socks: Record<string, { ws: WebSocket }> }).__socks.a!.ws;
      ws.send('after the drop');
      return ws.readyState;
    });
    expect(sent).toBe(3);
    await until('the server got our close', async () => srv.closes.length >= 1);
    expect(srv.closes[0]).toEqual({ code: INJECTED_CLOSE_CODE, reason: INJECTED_CLOSE_REASON });
    expect(srv.received).not.toContain('after the drop');
    const dropInject = (await waitInject(viewer, 'drop'))[0]!;
    expect(dropInject).toMatchObject({ ok: true, sid: a.sid });
    const closes = (await eventsOf(viewer)).filter((e) => e.k === 'close' && e.sid === a.sid);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ code: 1006, clean: false, inj: true });
    expect((await eventsOf(viewer)).filter((e) => e.k === 'send' && e.sid === a.sid)).toHaveLength(0);

    // …the same as a real cut: the lab's server destroys the TCP socket.
    const destroyUrl = `${lab.wsBase}/ws/destroy?after=300`;
    await openLogged(page, 'real', destroyUrl);
    await until('the real cut', async () => (await logOf(page, 'real')).some((l) => l.type === 'close'));
    const real = (await logOf(page, 'real')).slice(-2);
    const shape = (l: Logged) => (l.type === 'message' ? { type: l.type, rs: l.rs } : { type: l.type, rs: l.rs, code: l.code, reason: l.reason, clean: l.clean });
    expect(real.map(shape)).toEqual(tail.map(shape));
    expect(await stateOf(page, 'real')).toBe(3);

    // (b) the server closes with 1013 "try later".
    await openLogged(page, 'b', srv.url);
    await until('b open', async () => messages(await logOf(page, 'b')).length >= 1);
    const b = await socketOf(viewer, srv.url, 1);
    await fault(viewer, b.doc, { op: 'close', sid: b.sid, code: 1013, reason: 'try later' });
    await until('b closed', async () => (await logOf(page, 'b')).some((l) => l.type === 'close'));
    const bLog = await logOf(page, 'b');
    expect(bLog.some((l) => l.type === 'error')).toBe(false);
    expect(bLog.at(-1)).toMatchObject({ type: 'close', code: 1013, reason: 'try later', clean: true, rs: 3 });
    await until('the server got our close for b', async () => srv.closes.length >= 2);
    expect(srv.closes[1]!.code).toBe(INJECTED_CLOSE_CODE);

    // (c) silence, hold: nothing for 700 ms, then every tick in order.
    await openLogged(page, 'c', srv.url);
    await until('c ticking', async () => messages(await logOf(page, 'c')).length >= 3);
    const c = await socketOf(viewer, srv.url, 2);
    await fault(viewer, c.doc, { op: 'silence', sid: c.sid, ms: 700, mode: 'hold' });
    // When the hook began to hold, on the page's own clock (its inject event, emitted as it
    // applied the silence): a time read by the test after the panel showed the event could be
    // hundreds of ms later on a loaded machine, and the held ticks then came out inside its window.
    const held = (await waitInject(viewer, 'silence'))[0]!.t as number;
    await until('1.2 s of page time after the silence began', () => page.evaluate((from) => performance.now() > from + 1200, held));
    const cLog = messages(await logOf(page, 'c'));
    expect(cLog.filter((l) => l.at > held + 50 && l.at < held + 650)).toHaveLength(0);
    expect(cLog.filter((l) => l.at >= held + 650).length).toBeGreaterThan(10);
    const ticks = cLog.filter((l) => l.data?.startsWith('tick')).map((l) => Number(l.data!.slice(5)));
    expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + i)); // in order, none lost

    // Undo when the last panel goes: a long silence ends with the panel.
    await fault(viewer, c.doc, { op: 'silence', sid: c.sid, ms: 600_000, mode: 'hold' });
    await waitInject(viewer, 'silence', 2);
    const n0 = messages(await logOf(page, 'c')).length;
    await page.waitForTimeout(300);
    expect(messages(await logOf(page, 'c')).length).toBe(n0);
    await viewer.close();
    await until('messages flow again once the panel is gone', async () => messages(await logOf(page, 'c')).length > n0 + 3);

    // (d) fail-next before-open, twice: two sockets fail with 1006 before open, the third opens.
    const viewer2 = await panelFor(context);
    const d = await socketOf(viewer2, srv.url);
    await fault(viewer2, d.doc, { op: 'fail-next', url: srv.url, n: 2, as: 'before-open' });
    await waitInject(viewer2, 'fail-next');
    for (const name of ['d1', 'd2', 'd3']) {
      await openLogged(page, name, srv.url);
      await until(`${name} settles`, async () => (await logOf(page, name)).some((l) => l.type === 'open' || l.type === 'close'));
    }
    for (const name of ['d1', 'd2']) {
      const l = await logOf(page, name);
      expect(l.map((x) => x.type)).toEqual(['error', 'close']);
      expect(l[1]).toMatchObject({ code: 1006, clean: false, trusted: true });
    }
    expect((await logOf(page, 'd3'))[0]!.type).toBe('open');
    const applied = (await injects(viewer2, 'fail-next')).filter((e) => e.as === 'before-open' && e.sid !== undefined);
    expect(applied).toHaveLength(2);
    await viewer2.close();
  } finally {
    await srv.close();
  }
});

test('a hostile page that knows the channel cannot drop, close or send; bad commands are refused clearly', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const srv = await tickServer();
  const channel = buildChannel();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${lab.url}/`);
    const viewer = await panelFor(context);
    await openLogged(page, 'h', srv.url);
    await until('ticks', async () => messages(await logOf(page, 'h')).length >= 2);
    const h = await socketOf(viewer, srv.url);

    // It listens for real commands, asks the relay for a ready, then forges.
    const seen = await page.evaluate(
      ({ channel, sid }) => {
        const ready = `${channel}:r`;
        const command = `${channel}:c`;
        const seen: unknown[] = [];
        (window as unknown as { __seen: unknown[] }).__seen = seen;
        window.addEventListener(command, (e) => seen.push((e as CustomEvent).detail), true);
        window.addEventListener(ready, (e) => seen.push({ ready: (e as CustomEvent).detail }), true);
        window.dispatchEvent(new CustomEvent(`${channel}:h`));
        const forge = (token: string, cmd: object) => window.dispatchEvent(new CustomEvent(command, { detail: JSON.stringify({ token, cmd }) }));
        for (const token of ['', '0'.repeat(32), 'f'.repeat(32), 'undefined', 'null']) forge(token, { op: 'drop', sid });
        const mine = 'a'.repeat(32);
        window.dispatchEvent(new CustomEvent(ready, { detail: mine }));
        forge(mine, { op: 'drop', sid });
        forge(mine, { op: 'send', sid, dir: 'out', data: 'forged', bin: false });
        forge(mine, { op: 'close', sid, code: 4000, reason: 'forged' });
        // Built-ins overwritten, then forged again.
        const parse = JSON.parse;
        JSON.parse = ((text: string) => {
          const v = parse(text);
          return v && typeof v === 'object' && 'cmd' in v ? { ...v, token: mine } : v;
        }) as typeof JSON.parse;
        const realDispatch = EventTarget.prototype.dispatchEvent;
        EventTarget.prototype.dispatchEvent = function (ev: Event) {
          return realDispatch.call(this, ev);
        };
        (window as unknown as { CustomEvent: unknown }).CustomEvent = function () {
          throw new Error('no');
        };
        const ev = document.createEvent('CustomEvent') as CustomEvent;
        ev.initCustomEvent(command, false, false, JSON.stringify({ token: mine, cmd: { op: 'drop', sid } }));
        window.dispatchEvent(ev);
        return seen;
      },
      { channel, sid: h.sid },
    );
    // The relay's answer to a hello carries no token.
    expect(seen).toContainEqual({ ready: null });
    await page.waitForTimeout(500);
    expect(await stateOf(page, 'h')).toBe(1);
    expect((await logOf(page, 'h')).some((l) => l.type === 'close' || l.type === 'error')).toBe(false);
    expect(srv.closes).toHaveLength(0);
    expect(srv.received).not.toContain('forged');
    expect((await eventsOf(viewer)).filter((e) => e.k === 'inject')).toHaveLength(0);

    // A real command now: the page's listener never sees it (nor its token), and it works.
    await fault(viewer, h.doc, { op: 'send', sid: h.sid, dir: 'out', data: 'from the panel', bin: false });
    await until('the server got the injected send', async () => srv.received.includes('from the panel'));
    const pageSaw = (await page.evaluate(() => (window as unknown as { __seen: unknown[] }).__seen.map((s) => JSON.stringify(s)))).join('\n');
    expect(pageSaw).not.toContain('from the panel');
    expect((await waitInject(viewer, 'send'))[0]).toMatchObject({ ok: true, dir: 'out', size: 14 });
    const injSend = (await eventsOf(viewer)).find((e) => e.k === 'send' && e.inj === true);
    expect(injSend).toMatchObject({ sid: h.sid, data: 'from the panel' });

    // (f) invalid commands: a clear error each, nothing changes.
    await fault(viewer, h.doc, { op: 'close', sid: h.sid, code: 1006, reason: '' });
    await fault(viewer, h.doc, { op: 'close', sid: h.sid, code: 4000, reason: 'x'.repeat(200) });
    await fault(viewer, h.doc, { op: 'drop', sid: 9999 });
    const bad = await waitInject(viewer, 'close', 2);
    expect(bad[0]).toMatchObject({ ok: false, sid: h.sid });
    expect(bad[0]!.error).toContain('1006');
    expect(bad[1]).toMatchObject({ ok: false });
    expect(bad[1]!.error).toContain('123 bytes');
    const unknown = (await waitInject(viewer, 'drop'))[0]!;
    expect(unknown).toMatchObject({ ok: false, sid: 9999 });
    expect(unknown.error).toContain('no socket 9999');
    // A document the tab does not hold: the hub says so.
    await fault(viewer, '0'.repeat(32), { op: 'drop', sid: h.sid });
    await until('refused', async () => (await msgsOf(viewer)).find((m) => m.type === 'hub-fault-refused'));
    expect((await msgsOf(viewer)).find((m) => m.type === 'hub-fault-refused')).toMatchObject({ op: 'drop', error: 'no-document' });
    const n0 = messages(await logOf(page, 'h')).length;
    await page.waitForTimeout(300);
    expect(messages(await logOf(page, 'h')).length).toBeGreaterThan(n0);
    expect(await stateOf(page, 'h')).toBe(1);
    expect(srv.closes).toHaveLength(0);
  } finally {
    await srv.close();
  }
});

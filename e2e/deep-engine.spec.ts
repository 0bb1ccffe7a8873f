// Deep capture's engine in real Chromium: `panel-deep` posted on a panel port (as the panel's
// switch does) attaches Chrome's debugger to the tab; a dedicated worker started afterwards is
// paused, gets the worker hook and is released, and its socket reaches the hub as a document of
// the tab named by the worker, with the network layer's view of it (source 'cdp'). Without deep
// capture nothing is attached.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { panelFor } from './support/panel-port.ts';
import { until } from './support/wait.ts';
import { expect, test } from './support/fixtures.ts';

/** Echoes each message; remembers how each socket ended. */
async function echoServer() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const closes: number[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (d, bin) => ws.send(d, { binary: bin }));
    ws.on('close', (code) => closes.push(code));
  });
  const port = (wss.address() as { port: number }).port;
  return { url: `ws://127.0.0.1:${port}/echo`, closes, close: () => {
    for (const c of wss.clients) c.terminate();
    return new Promise((r) => wss.close(r));
  } };
}

/**
 * A page whose only socket lives in a dedicated worker: open, send "ping", close 1000 on the echo.
 * Served by a server of its own: Playwright's routes do not see a worker's script request.
 */
async function workerSite(wsUrl: string) {
  const server = createServer((req, res) => {
    if (req.url?.endsWith('/worker.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(`const ws = new WebSocket(${JSON.stringify(wsUrl)});
ws.onopen = () => ws.send('ping');
ws.onmessage = (e) => { postMessage('got ' + e.data); ws.close(1000, 'done'); };
ws.onclose = (e) => postMessage('closed ' + e.code);`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>worker socket</title><pre id="log"></pre><script>
const w = new Worker('worker.js');
w.onmessage = (e) => { document.getElementById('log').textContent += e.data + '\\n'; };
</script>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { page: `${base}/deep/page.html`, worker: `${base}/deep/worker.js`, close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

type Ev = Record<string, unknown> & { k: string; doc: string };
type Msg = Record<string, unknown> & { type: string };

const eventsOf = (viewer: Page) => viewer.evaluate(() => (window as unknown as { __events: Ev[] }).__events);
const msgsOf = (viewer: Page) => viewer.evaluate(() => (window as unknown as { __msgs: Msg[] }).__msgs);
const deepMsgs = async (viewer: Page) => (await msgsOf(viewer)).filter((m) => m.type === 'hub-deep');
const setDeep = (viewer: Page, on: boolean) =>
  viewer.evaluate((on) => (window as unknown as { __port: chrome.runtime.Port }).__port.postMessage({ type: 'panel-deep', on }), on);
/**
 * Whether our extension's debugger is attached to the watched tab. getTargets' `attached` cannot
 * tell (Playwright's own CDP client is attached to every page), so ask Chrome to detach ours:
 * it refuses with "Debugger is not attached" when ours is not. Use only where detaching is the
 * expected outcome anyway.
 */
const ourDebuggerDetached = (viewer: Page) =>
  viewer.evaluate(async () => {
    const tab = (window as unknown as { __tab: number }).__tab;
    try {
      await chrome.debugger.detach({ tabId: tab });
      return false;
    } catch (e) {
      return /not attached/i.test(String((e as Error).message));
    }
  });
const netOf = async (viewer: Page) => (await msgsOf(viewer)).flatMap((m) => (m.type === 'hub-net' || m.type === 'hub-snapshot' ? ((m.net as Array<Record<string, unknown>>) ?? []) : []));

test('deep capture on: a dedicated worker\'s socket is captured from its first line, named by the worker, with the network layer\'s view', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const srv = await echoServer();
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${lab.url}/`);
    const site = await workerSite(srv.url);
    cleanup.push(site.close);
    const viewer = await panelFor(context);
    await until('the snapshot', async () => (await msgsOf(viewer)).some((m) => m.type === 'hub-snapshot'));
    expect(await ourDebuggerDetached(viewer)).toBe(true);

    await setDeep(viewer, true);
    const states = await until('deep capture on', async () => {
      const d = await deepMsgs(viewer);
      return d.some((m) => m.state === 'on' || m.state === 'error') ? d : undefined;
    });
    expect(states.map((m) => m.state)).toEqual(['attaching', 'on']);

    // The worker starts only now, with the debugger attached: paused, hooked, released.
    await page.goto(site.page);
    await until('the worker closed its socket', async () => (await page.textContent('#log'))?.includes('closed 1000'));

    const workerDoc = await until('the worker\'s document', async () => {
      const hello = (await eventsOf(viewer)).find((e) => e.k === 'hello' && (e.worker as { type?: string } | undefined)?.type === 'dedicated');
      return hello;
    });
    expect(workerDoc.worker).toEqual({ type: 'dedicated', url: site.worker });
    expect(workerDoc.top).toBe(false);
    const mine = async () => (await eventsOf(viewer)).filter((e) => e.doc === workerDoc.doc);
    const evs = await until('the worker socket\'s close', async () => {
      const list = await mine();
      return list.some((e) => e.k === 'close') ? list : undefined;
    });
    const create = evs.find((e) => e.k === 'create');
    expect(create?.url).toBe(srv.url);
    expect(evs.find((e) => e.k === 'send')).toMatchObject({ size: 4, data: 'ping' });
    expect(evs.find((e) => e.k === 'message')).toMatchObject({ size: 4, data: 'ping' });
    expect(evs.find((e) => e.k === 'close-call')).toMatchObject({ code: 1000, reason: 'done' });
    expect(evs.find((e) => e.k === 'close')).toMatchObject({ code: 1000, clean: true });
    // The page hook saw no socket of its own: the worker's is not the page's.
    const pageCreates = (await eventsOf(viewer)).filter((e) => e.k === 'create' && e.doc !== workerDoc.doc);
    expect(pageCreates).toEqual([]);
    expect(srv.closes).toEqual([1000]);
    // The hub counts the worker while it lives.
    expect((await deepMsgs(viewer)).some((m) => m.state === 'on' && m.workers === 1)).toBe(true);

    // The network layer's view of the same socket, from the worker's own debugger session.
    const net = await until('the cdp observation, closed', async () => {
      const n = (await netOf(viewer)).filter((o) => o.source === 'cdp' && o.url === srv.url);
      return n.some((o) => o.closedAt !== undefined) ? n : undefined;
    });
    const last = net[net.length - 1]!;
    expect(last).toMatchObject({ status: 101, worker: { type: 'dedicated', url: site.worker }, doc: workerDoc.doc });
    expect(String(last.statusLine)).toMatch(/^HTTP\/1\.1 101/);
    expect((last.requestHeaders as Array<{ name: string }>).map((h) => h.name.toLowerCase())).toContain('sec-websocket-version');
    expect((last.responseHeaders as Array<{ name: string }>).map((h) => h.name.toLowerCase())).toContain('sec-websocket-accept');

    // Off: detached, Chrome's bar gone.
    await setDeep(viewer, false);
    await until('deep capture off', async () => (await deepMsgs(viewer)).at(-1)?.state === 'off');
    await page.waitForTimeout(300);
    expect(await ourDebuggerDetached(viewer)).toBe(true);
  } finally {
    for (const c of cleanup) await c();
    await srv.close();
  }
});

test('deep capture off: nothing is attached and the worker\'s socket reaches no hook', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const srv = await echoServer();
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${lab.url}/`);
    const site = await workerSite(srv.url);
    cleanup.push(site.close);
    const viewer = await panelFor(context);
    await page.goto(site.page);
    await until('the worker closed its socket', async () => (await page.textContent('#log'))?.includes('closed 1000'));
    await page.waitForTimeout(300);
    expect(await ourDebuggerDetached(viewer)).toBe(true);
    expect((await eventsOf(viewer)).filter((e) => e.k === 'hello' && e.worker !== undefined)).toEqual([]);
    expect((await netOf(viewer)).filter((o) => o.source === 'cdp')).toEqual([]);
    expect(await deepMsgs(viewer)).toEqual([]);
  } finally {
    for (const c of cleanup) await c();
    await srv.close();
  }
});

test('the panel going away detaches deep capture', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const viewer = await panelFor(context);
  await setDeep(viewer, true);
  await until('deep capture on', async () => (await deepMsgs(viewer)).some((m) => m.state === 'on'));
  const probe = await panelFor(context);
  await viewer.close();
  // The probe's own subscription keeps the tab watched: only when it goes too is the last panel gone.
  await probe.evaluate(() => (window as unknown as { __port: chrome.runtime.Port }).__port.disconnect());
  await page.waitForTimeout(500);
  // One look, not a poll: the look itself detaches a debugger the hub left attached.
  expect(await ourDebuggerDetached(probe)).toBe(true);
});

// Deep capture of sockets in Shared Workers and Service Workers, in real Chromium with the real
// DevTools panel, deep capture turned on through the panel's switch (as e2e/deep-ui.spec.ts).
// A Shared Worker is attached by target id once it runs (a tab's auto-attach does not reach it,
// docs/deep-capture.md): its socket opened after that is the hook's, listed in the inspected
// tab's panel, named "shared worker" with its script URL. A Service Worker is auto-attached with
// the tab and held before its first script: its socket is the hook's from the start.
import { writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { artifactPath } from './support/browser.ts';
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

async function panelWithDeep(context: BrowserContext, page: Page): Promise<{ devtools: DevTools; panel: PanelPage }> {
  const devtools = await DevTools.forPage(context, page, { open: true });
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  await panel.click('[data-testid="deep-toggle"]');
  await until('the dialog', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="deep-dialog"]')`));
  await panel.click('[data-testid="deep-ok"]');
  const state = await until('the hub’s answer', async () => {
    const s = await panel.eval<string | undefined>(`document.querySelector('[data-testid="deep-state"]')?.dataset.state`);
    return s === 'on' || s === 'error' ? s : undefined;
  }, 10_000);
  expect(state).toBe('on');
  return { devtools, panel };
}

const workersCount = (panel: PanelPage) => panel.eval<number>(`Number(document.querySelector('[data-testid="deep-state"]').dataset.workers || 0)`);

interface WorkerRow {
  id: string;
  code: string;
  netOnly: boolean;
  kind: string;
  title: string;
  url: string;
}
const workerRows = (panel: PanelPage) =>
  panel.eval<WorkerRow[]>(`[...document.querySelectorAll('[data-testid="connection-row"]')].filter((r) => r.querySelector('[data-testid="worker-chip"]')).map((r) => {
    const c = r.querySelector('[data-testid="worker-chip"]');
    return { id: r.dataset.connId, code: r.dataset.code ?? '', netOnly: r.dataset.netOnly !== undefined, kind: c.dataset.worker, title: c.title, url: r.dataset.url ?? '' };
  })`);

/** The selected row's messages as "dir text" lines. */
async function messagesOf(panel: PanelPage, id: string, want: (lines: string[]) => boolean): Promise<string[]> {
  await panel.select(id);
  await panel.click('[data-testid="tab-messages"]');
  return until('the row’s messages', async () => {
    const lines = await panel.eval<string[]>(`[...document.querySelectorAll('[data-testid="message-row"]')].map((r) => r.dataset.dir + ' ' + r.textContent)`);
    return want(lines) ? lines : undefined;
  });
}

async function settled(devtools: DevTools): Promise<Buffer> {
  await new Promise((r) => setTimeout(r, 400));
  return devtools.screenshot();
}

type SharedResult = { code: number | null; reason: string; opened: boolean; tabs: number; messages: string[] };
const sharedOf = (page: Page) => page.evaluate(() => (window as unknown as { __lab: { results: { shared?: SharedResult } } }).__lab.results.shared);

test('with deep capture on, a Shared Worker’s socket used by two tabs is listed in the inspected tab, named by the worker, with its close and messages', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const a = context.pages()[0] ?? (await context.newPage());
  await a.goto(`${lab.url}/`);
  const { devtools, panel } = await panelWithDeep(context, a);

  // Tab A starts the Shared Worker, which opens its socket at once, before it can be attached.
  await a.goto(`${lab.url}/workers/shared.html`);
  await until('tab A’s socket open', async () => (await sharedOf(a))?.opened === true);
  await until('the Shared Worker attached (counted by the switch)', async () => ((await workersCount(panel)) >= 1 ? true : undefined));

  // Tab B joins it and closes that first socket: both tabs see 4000.
  const b = await context.newPage();
  await b.goto(`${lab.url}/workers/shared.html`);
  await until('tab B joined', async () => (await sharedOf(b))?.tabs === 2);
  await b.evaluate(() => (window as unknown as { __lab: { shared: { close(): void } } }).__lab.shared.close());
  await until('the first socket closed in tab A', async () => (await sharedOf(a))?.code === 4000);

  // Tab B reloaded says hello again: the worker opens a new socket, now with the hook in place.
  await b.reload();
  await until('the second socket open', async () => (await sharedOf(b))?.opened === true);
  await b.evaluate(() => (window as unknown as { __lab: { shared: { send(t: string): void } } }).__lab.shared.send('from tab B'));
  await until('its echo', async () => (await sharedOf(b))?.messages.includes('from tab B'));
  await b.evaluate(() => (window as unknown as { __lab: { shared: { close(): void } } }).__lab.shared.close());
  await until('the second socket closed in tab A', async () => {
    const r = await sharedOf(a);
    return r?.code === 4000 && r.messages.includes('from tab B');
  });

  // In tab A's panel: the hook's row of the second socket, closed 4000, named by the worker. The
  // first socket is the hook's too when the worker was attached before its first message (a race
  // between the scan and the tab's hello): two sockets at most, each listed once.
  const hooked = await until('the Shared Worker’s hooked rows, closed 4000', async () => {
    const rows = (await workerRows(panel)).filter((r) => r.kind === 'shared' && !r.netOnly && r.code === '4000');
    return rows.length ? rows : undefined;
  });
  expect(hooked.length).toBeLessThanOrEqual(2);
  expect(new Set(hooked.map((r) => r.id)).size).toBe(hooked.length);
  // The second socket's row: the one whose messages carry tab B's line (the list's order is not the point).
  const hasB = (l: string[]) => l.some((x) => x.startsWith('out') && x.includes('from tab B')) && l.some((x) => x.startsWith('in') && x.includes('from tab B'));
  const found = await until('the row with tab B’s message', async () => {
    for (const r of hooked) {
      await panel.select(r.id);
      await panel.click('[data-testid="tab-messages"]');
      const l = await panel.eval<string[]>(`[...document.querySelectorAll('[data-testid="message-row"]')].map((m) => m.dataset.dir + ' ' + m.textContent)`);
      if (hasB(l)) return { row: r, lines: l };
    }
    return undefined;
  });
  const row = found.row;
  expect(row.title).toMatch(/^Opened in a shared worker: http:\/\/127\.0\.0\.1:\d+\/workers\/shared-worker\.js$/);
  expect(row.url).toContain('/ws/echo?tag=shared');
  const bar = await until('its timeline bar', () => panel.eval<string | undefined>(`document.querySelector('[data-testid="timeline-bar"][data-conn-id="${row.id}"]')?.dataset.worker`));
  expect(bar).toBe('shared');
  const lines = await messagesOf(panel, row.id, hasB);
  expect(lines.some((x) => x.startsWith('in') && x.includes('"hello":"echo"'))).toBe(true);
  await panel.click('[data-testid="tab-overview"]');
  const named = await until('the Overview’s worker', () => panel.eval<string | undefined>(`document.querySelector('[data-testid="overview-worker"]')?.textContent || undefined`));
  expect(named).toContain('/workers/shared-worker.js');
  const all = await workerRows(panel);
  test.info().annotations.push({ type: 'shared rows', description: JSON.stringify(all.map((r) => ({ code: r.code, netOnly: r.netOnly, kind: r.kind, url: r.url }))) });
  writeFileSync(artifactPath('deep-shared-worker-rows.png'), await settled(devtools));

  // Off: the Shared Worker (still alive: both tabs hold it) is detached too. Asked as deep-engine
  // asks of the tab: Chrome refuses to detach a target our extension is not attached to.
  await panel.click('[data-testid="deep-toggle"]');
  await until('off', async () => ((await panel.eval<string>(`document.querySelector('[data-testid="deep-state"]').dataset.state`)) === 'off' ? true : undefined));
  await new Promise((r) => setTimeout(r, 500));
  const detached = await panel.eval<string>(`(async () => {
    const t = (await chrome.debugger.getTargets()).find((x) => x.url.endsWith('/workers/shared-worker.js'));
    if (!t) return 'no target';
    try { await chrome.debugger.detach({ targetId: t.id }); return 'was attached'; } catch (e) { return /not attached/i.test(String(e && e.message)) ? 'not attached' : String(e && e.message); }
  })()`);
  expect(detached).toBe('not attached');
});

test('with deep capture on, a Service Worker’s socket is captured from its first start, named by the worker, with its close and messages', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const { devtools, panel } = await panelWithDeep(context, page);

  await page.goto(`${lab.url}/workers/service.html`);
  const result = await until('the service worker’s socket closed', () =>
    page.evaluate(() => (window as unknown as { __lab: { results: { service?: { code: number; echoes: string[] } } } }).__lab.results.service),
  );
  expect(result).toMatchObject({ code: 1000, echoes: ['one', 'two'] });

  const row = await until('the Service Worker’s hooked row, closed 1000', async () => (await workerRows(panel)).find((r) => r.kind === 'service' && !r.netOnly && r.code === '1000'));
  expect(row.title).toMatch(/^Opened in a service worker: http:\/\/127\.0\.0\.1:\d+\/workers\/sw\.js$/);
  expect(row.url).toContain('/ws/echo?tag=service-');
  // On the timeline too: measured only while our panel stays shown (a pause in the worker, which
  // DevTools shows, took it to Sources and left the timeline without a width).
  const bar = await until('its timeline bar', () => panel.eval<string | undefined>(`document.querySelector('[data-testid="timeline-bar"][data-conn-id="${row.id}"]')?.dataset.worker`));
  expect(bar).toBe('service');
  const lines = await messagesOf(panel, row.id, (l) => ['one', 'two'].every((m) => l.some((x) => x.startsWith('out') && x.includes(m)) && l.some((x) => x.startsWith('in') && x.includes(m))));
  expect(lines.filter((x) => x.startsWith('out'))).toHaveLength(2);
  await panel.click('[data-testid="tab-overview"]');
  const named = await until('the Overview’s worker', () => panel.eval<string | undefined>(`document.querySelector('[data-testid="overview-worker"]')?.textContent || undefined`));
  expect(named).toContain('/workers/sw.js');
  writeFileSync(artifactPath('deep-service-worker-row.png'), await settled(devtools));
});

test('with deep capture on, workers that close themselves at once leave deep capture on and the next worker’s socket captured', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const { panel } = await panelWithDeep(context, page);
  await page.goto(`${lab.url}/workers/closing.html`);
  await until('the echo worker’s socket closed', () =>
    page.evaluate(() => (window as unknown as { __lab: { results: { 'after-closing'?: { code: number } } } }).__lab.results['after-closing']?.code === 1000),
  );
  const row = await until('the echo worker’s hooked row', async () => (await workerRows(panel)).find((r) => r.kind === 'dedicated' && !r.netOnly && r.code === '1000'));
  expect(row.url).toContain('tag=after-closing-');
  // Still on: the closed workers' targets went away without failing the tab's deep capture.
  await page.waitForTimeout(1000);
  expect(await panel.eval<string>(`document.querySelector('[data-testid="deep-state"]').dataset.state`)).toBe('on');
});

test('with deep capture off, nothing is attached: a Service Worker’s socket is a network-only row, a Shared Worker’s is not in the tab’s list', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const devtools = await DevTools.forPage(context, page, { open: true });
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = () => panel.eval<Array<{ netOnly: boolean; url: string; worker?: string; hint?: string }>>(`[...document.querySelectorAll('[data-testid="connection-row"]')].map((r) => ({
    netOnly: r.dataset.netOnly !== undefined, url: r.dataset.url ?? '', worker: r.querySelector('[data-testid="worker-chip"]')?.dataset.worker,
    hint: r.querySelector('[data-testid="net-only"]')?.title }))`);

  await page.goto(`${lab.url}/workers/service.html`);
  await until('the service worker’s socket closed', () => page.evaluate(() => (window as unknown as { __lab: { results: { service?: { code: number } } } }).__lab.results.service?.code === 1000));
  // webRequest sees the service worker's handshake for this tab: listed from the network layer only.
  const sw = await until('the service worker socket’s network row', async () => (await rows()).find((r) => r.url.includes('tag=service-')));
  expect(sw.netOnly).toBe(true);
  expect(sw.worker).toBeUndefined();
  expect(sw.hint).toBe('in a worker or not visible to the page: Turn on Deep capture to see inside workers');

  // A Shared Worker belongs to no tab: its handshake is not the tab's (measured, Chromium 156), so
  // without deep capture this tab lists nothing of it.
  await page.goto(`${lab.url}/workers/shared.html`);
  await until('the shared socket open', async () => (await sharedOf(page))?.opened === true);
  await page.evaluate(() => (window as unknown as { __lab: { shared: { close(): void } } }).__lab.shared.close());
  await until('the shared socket closed', async () => (await sharedOf(page))?.code === 4000);
  await page.waitForTimeout(1500);
  expect((await rows()).filter((r) => r.url.includes('tag=shared'))).toEqual([]);
  expect(await panel.eval<string>(`document.querySelector('[data-testid="deep-state"]').dataset.state`)).toBe('off');
});

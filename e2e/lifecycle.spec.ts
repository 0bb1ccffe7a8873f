// Faults and page lifecycle: a stopped service worker, navigation with and without
// "preserve log", and sockets that end because their page went away.
import type { BrowserContext, Page } from 'playwright-core';
import { DevTools, until } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

type Result = { code: number };
const run = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as { __lab: { run(n: string): Promise<Result> } }).__lab.run(n), name);

/** Stops our extension's service worker the way DevTools' Application panel does (its "Stop" button:
 * ServiceWorker.stopWorker over CDP). */
async function stopExtensionWorker(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const versions = new Map<string, { scriptURL: string; runningStatus: string }>();
  const seen = new Map<string, string[]>();
  cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: Array<{ versionId: string; scriptURL: string; runningStatus: string }> }) => {
    for (const v of e.versions) {
      versions.set(v.versionId, v);
      seen.set(v.versionId, [...(seen.get(v.versionId) ?? []), v.runningStatus]);
    }
  });
  await cdp.send('ServiceWorker.enable');
  const ours = await until('our worker version', async () =>
    [...versions.entries()].find(([, v]) => v.scriptURL.startsWith('chrome-extension://') && v.runningStatus === 'running'),
  );
  await cdp.send('ServiceWorker.stopWorker', { versionId: ours[0] });
  // Our ports wake it again at once, so look for "stopped" in its history, not as its state.
  await until('the worker to stop', async () => seen.get(ours[0])?.includes('stopped'));
  await cdp.detach();
}

test('a stopped service worker loses nothing: relays replay, the panel resubscribes, no duplicates', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const devtools = await DevTools.forPage(context, page);
  await devtools.showPanel();
  const panel = await devtools.panel();
  expect((await run(page, 'server-error')).code).toBe(1011);
  expect((await run(page, 'echo')).code).toBe(1000);
  await panel.waitForRows('two sockets before the stop', (rs) => rs.length === 2 && rs.every((r) => r.code));

  await stopExtensionWorker(context, page);
  // Traffic right after the stop: the relay must wake the worker and replay.
  expect((await run(page, 'destroy')).code).toBe(1006);
  expect((await run(page, 'echo')).code).toBe(1000);

  const rows = await panel.waitForRows('all four sockets after the restart', (rs) => rs.length >= 4 && rs.every((r) => r.code));
  expect(rows.length).toBe(4);
  expect(new Set(rows.map((r) => r.id)).size).toBe(4);
  expect(rows.map((r) => r.code).sort()).toEqual(['1000', '1000', '1006', '1011']);
  // Each echo socket sent 2 and received 3 (hello + 2 echoes): exactly, not twice.
  for (const echo of rows.filter((r) => r.url.includes('/ws/echo'))) {
    await panel.select(echo.id);
    await panel.click('[data-testid="tab-messages"]');
    const n = await until('echo messages', async () => {
      const c = await panel.count('[data-testid="message-row"]');
      return c >= 5 ? c : undefined;
    });
    expect(n).toBe(5);
  }
  expect(await panel.count('[data-testid="disconnected"]')).toBe(0);
});

test('reload clears the list unless "preserve log" is on; sockets cut by navigation are marked', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/?run=server-error`);
  const devtools = await DevTools.forPage(context, page);
  await devtools.showPanel();
  const panel = await devtools.panel();
  await panel.waitForRows('first page socket', (rs) => rs.some((r) => r.code === '1011'));

  await page.goto(`${lab.url}/?run=destroy`);
  const afterReload = await panel.waitForRows('only the new page socket', (rs) => rs.length === 1 && rs[0]!.code === '1006');
  expect(afterReload[0]!.url).toContain('/ws/destroy');

  await panel.click('[data-testid="preserve-log"]');
  // A socket still open when the page goes away gets no close event in the page.
  await page.evaluate((base) => {
    (window as unknown as { keep: WebSocket }).keep = new WebSocket(`${base}/ws/idle`);
    return new Promise((r) => (window as unknown as { keep: WebSocket }).keep.addEventListener('open', r));
  }, lab.wsBase);
  await page.goto(`${lab.url}/?run=server-error`);
  const preserved = await panel.waitForRows('old and new sockets', (rs) => rs.length === 3 && rs.every((r) => r.code));
  const idle = preserved.find((r) => r.url.includes('/ws/idle'))!;
  expect(idle.outcome).toBe('navigated');
  expect(idle.code).toBe('1001');
  expect(preserved.find((r) => r.url.includes('/ws/destroy'))?.code).toBe('1006');
  expect(preserved.find((r) => r.url.includes('code=1011'))?.code).toBe('1011');
});

test('DevTools closed and opened again: the panel shows everything captured, including while it was closed', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/?run=server-error`);
  let devtools = await DevTools.forPage(context, page, { open: true });
  await devtools.showPanel();
  let panel = await devtools.panel();
  await panel.waitForRows('the first socket', (rs) => rs.length === 1 && rs[0]!.code === '1011');

  await devtools.browser.send('Target.closeTarget', { targetId: devtools.front.targetId });
  await until('DevTools to close', async () => !(await DevTools.targets(devtools.browser)).some((t) => t.targetId === devtools.front.targetId));
  expect((await run(page, 'destroy')).code).toBe(1006);

  // Another origin for the page, same tab: a navigation; without preserve log only it remains.
  devtools = await DevTools.forPage(context, page, { open: true });
  await devtools.showPanel();
  panel = await devtools.panel();
  const rows = await panel.waitForRows('both sockets', (rs) => rs.length === 2 && rs.every((r) => r.code));
  expect(rows.map((r) => r.code).sort()).toEqual(['1006', '1011']);

  await page.goto(`http://localhost:${lab.port}/?run=shutdown`);
  const after = await panel.waitForRows('only the new origin', (rs) => rs.length === 1 && rs[0]!.code === '1001');
  expect(after[0]!.url).toContain(`ws://localhost:${lab.port}/`);
});

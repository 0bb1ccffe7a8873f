// The capture pipeline end to end in real Chromium: lab server → page hook → relay → hub →
// the real panel inside real DevTools, read through its DOM.
import { writeFileSync } from 'node:fs';
import { artifactPath } from './support/browser.ts';
import { DevTools, until } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

type LabResults = Record<string, { code: number; opened: boolean } | undefined>;

async function labResults(page: import('playwright-core').Page, names: string[]): Promise<LabResults> {
  return until(`lab scenarios ${names.join(',')} to finish`, async () => {
    const r = await page.evaluate(() => (window as unknown as { __lab: { results: LabResults } }).__lab.results);
    return names.every((n) => r[n]?.code) ? r : undefined;
  });
}

test('1006 and 1011 appear live in the real DevTools panel, distinctly marked, with messages', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  const scenarios = ['server-error', 'destroy', 'echo', 'iframe', 'blank-iframe', 'refused'];
  await page.goto(`${lab.url}/?run=${scenarios.join(',')}`);
  const results = await labResults(page, scenarios);
  expect(results['server-error']?.code).toBe(1011);
  expect(results['destroy']?.code).toBe(1006);

  const devtools = await DevTools.forPage(context, page);
  // Undocked, the DevTools window gets the whole browser window: a readable screenshot.
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = await panel.waitForRows('six closed sockets in the panel', (rs) => rs.filter((r) => r.code).length >= 6);

  const serverError = rows.find((r) => r.url.includes('code=1011'));
  const destroyed = rows.find((r) => r.url.includes('/ws/destroy'));
  const refused = rows.find((r) => r.url.includes('/ws/refuse'));
  expect(serverError?.code).toBe('1011');
  expect(serverError?.outcome).toBe('server-error');
  expect(destroyed?.code).toBe('1006');
  expect(destroyed?.outcome).toBe('abnormal');
  // A refused handshake is also 1006 in the page, but it never opened: not a "drop".
  expect(refused?.code).toBe('1006');
  expect(refused?.outcome).toBe('handshake-failed');
  // Distinct markings: not colour alone — the badge words and icons differ.
  const badge = (id: string) => panel.text(`[data-conn-id="${id}"] .badge`);
  expect(await badge(serverError!.id)).not.toBe(await badge(destroyed!.id));

  // Sockets made inside iframes: a real same-origin iframe and an about:blank one whose
  // WebSocket was taken off its contentWindow.
  expect(rows.find((r) => r.url.includes('from+iframe') || (r.url.includes('code=1000') && r.url.includes('after=300')))).toBeTruthy();
  expect(rows.find((r) => r.code === '4002')).toBeTruthy();

  // Selecting the echo socket shows its messages both ways.
  const echo = rows.find((r) => r.url.includes('/ws/echo'))!;
  await panel.select(echo.id);
  await panel.click('[data-testid="tab-messages"]');
  const dirs = await until('echo messages in the detail view', async () => {
    const d = await panel.eval<string[]>(`[...document.querySelectorAll('[data-testid="message-row"]')].map(r => r.dataset.dir)`);
    return d.includes('out') && d.includes('in') ? d : undefined;
  });
  expect(dirs.length).toBeGreaterThanOrEqual(4);

  await panel.select(serverError!.id);
  await until('1011 detail', async () => (await panel.text('[data-testid="detail-code"]')) === '1011');
  // Worker sockets are out of a page hook's reach: the panel says so plainly.
  expect(await panel.text('[data-testid="worker-note"]')).toMatch(/Worker/);
  writeFileSync(artifactPath('panel-capture.png'), await devtools.screenshot());
});

test('sockets opened before DevTools was opened are listed', async ({ lab, browserPlain }) => {
  const { context } = browserPlain;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/?run=server-error,destroy,client-close`);
  await labResults(page, ['server-error', 'destroy', 'client-close']);

  const devtools = await DevTools.forPage(context, page, { open: true });
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = await panel.waitForRows('the earlier sockets', (rs) => rs.length >= 3);
  expect(rows.map((r) => r.code).sort()).toEqual(['1000', '1006', '1011']);
  writeFileSync(artifactPath('panel-opened-late.png'), await devtools.screenshot());
});

// Session logs end to end: export from the real panel after a lab run, Chrome's own importer
// reads it, the standalone viewer re-imports it with the same connections and diagnoses, a HAR
// written by DevTools itself (chrome.devtools.network.getHAR) imports too, and a broken file
// gets a clear error without touching the live session.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extensionId } from './support/panel-port.ts';
import { artifactPath } from './support/browser.ts';
import { DevTools, until } from './support/devtools.ts';
import { exportHarFromPanel } from './support/export.ts';
import { expect, test } from './support/fixtures.ts';

type Row = { url: string; code: string; category: string };


const rowsOf = `[...document.querySelectorAll('[data-testid="connection-row"]')].map(r => ({ url: r.dataset.url, code: r.dataset.code, category: r.dataset.category }))`;
const byUrl = (rows: Row[]) => [...rows].sort((a, b) => a.url.localeCompare(b.url) || a.code.localeCompare(b.code));

test('export → Chrome importer → viewer re-import; DevTools\' own HAR imports; bad files are refused clearly', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  const scenarios = ['server-error', 'destroy', 'echo', 'refused', 'app-4001'];
  const devtools = await DevTools.forPage(context, page);
  // DevTools' network log (what getHAR returns) fills once its Network panel has been shown.
  await devtools.showBuiltinPanel('network');
  await page.goto(`${lab.url}/?run=${scenarios.join(',')}`);
  await until('the scenarios', async () => {
    const r = await page.evaluate(() => (window as unknown as { __lab: { results: Record<string, { code?: number }> } }).__lab.results);
    return scenarios.every((n) => r[n]?.code) || undefined;
  });

  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  await panel.waitForRows('five closed sockets', (rs) => rs.length === 5 && rs.every((r) => r.code));
  const live = byUrl(await panel.eval<Row[]>(rowsOf));

  // Export through the UI.
  const { dir: downloads, path: exportedPath, text: harText } = await exportHarFromPanel(devtools, panel);
  const har = JSON.parse(harText);
  expect(har.log.creator.name).toBe('Socket Autopsy');
  expect(har.log.entries).toHaveLength(5);
  expect(har.log.entries.every((e: { _resourceType: string }) => e._resourceType === 'websocket')).toBe(true);
  expect(har.log.entries.find((e: { _webSocketClose?: { code: number } }) => e._webSocketClose?.code === 1011)._diagnosis.category).toBe('server-error');
  writeFileSync(artifactPath('exported.har'), harText);

  // Chrome's own importer (the code behind Network › Import HAR) accepts it.
  const imported = await devtools.front.evaluate<Array<{ type: string; frames: number; status: number }>>(`(async () => {
    const HAR = await import('./models/har/har.js');
    const log = new HAR.HARFormat.HARRoot(${harText}).log;
    return HAR.Importer.Importer.requestsFromHARLog(log).map(r => ({ type: r.resourceType().name(), frames: r.frames().length, status: r.statusCode }));
  })()`);
  expect(imported).toHaveLength(5);
  expect(imported.every((r) => r.type === 'websocket')).toBe(true);
  expect(imported.reduce((n, r) => n + r.frames, 0)).toBe(har.log.entries.reduce((n: number, e: { _webSocketMessages: unknown[] }) => n + e._webSocketMessages.length, 0));

  // DevTools' own HAR of the same run (the Network panel recorded it: DevTools was open).
  const chromeHar = await panel.eval<string>(`new Promise(r => chrome.devtools.network.getHAR(log => r(JSON.stringify({ log }))))`);
  const chromePath = join(downloads, 'chrome-devtools.har');
  writeFileSync(artifactPath('chrome-devtools.har'), chromeHar);
  writeFileSync(chromePath, chromeHar);

  // The standalone viewer, in a normal tab, without DevTools.
  const id = await extensionId(context);
  const viewer = await context.newPage();
  await viewer.goto(`chrome-extension://${id}/src/panel/panel.html`);
  await viewer.locator('[data-testid="import-input"]').setInputFiles(exportedPath);
  await viewer.locator('[data-testid="file-banner"]').waitFor();
  await until('the viewer rows', async () => ((await viewer.evaluate(rowsOf)) as Row[]).length === 5 || undefined);
  const reimported = byUrl((await viewer.evaluate(rowsOf)) as Row[]);
  expect(reimported).toEqual(live);
  await viewer.screenshot({ path: artifactPath('viewer-reimported.png') });

  await viewer.locator('[data-testid="import-input"]').setInputFiles(chromePath);
  await until('the Chrome HAR', async () => (await viewer.locator('[data-testid="file-banner"]').getAttribute('data-source')) === 'chrome' || undefined);
  const fromChrome = (await viewer.evaluate(rowsOf)) as Row[];
  const wsUrls = live.map((r) => r.url);
  // Every socket the Network panel recorded is there; it knows no close codes, so those that
  // opened are "close unknown", and the refused handshake is known from its HTTP status.
  expect(byUrl(fromChrome).map((r) => r.url)).toEqual(wsUrls);
  expect(fromChrome.find((r) => r.url.includes('/ws/refuse'))?.category).toBe('handshake-failed');
  expect(fromChrome.filter((r) => !r.url.includes('/ws/refuse')).every((r) => r.category === 'unknown-code')).toBe(true);

  // A broken file in the DevTools panel: a clear error, and the live session stays.
  const broken = join(downloads, 'broken.har');
  writeFileSync(broken, '{"log": {"entries": [{"startedDateTime": 12');
  await panel.setFile('[data-testid="import-input"]', broken);
  const error = await until('the import error', () => panel.text('[data-testid="import-error"]').then((t) => t ?? undefined));
  expect(error).toContain('broken.har');
  expect(error).toMatch(/not JSON/);
  expect(byUrl(await panel.eval<Row[]>(rowsOf))).toEqual(live);
  const notHar = join(downloads, 'not-har.har');
  const entry = JSON.parse(harText).log.entries[0];
  entry._webSocketMessages[0].time = 'soon';
  writeFileSync(notHar, JSON.stringify({ log: { ...JSON.parse(harText).log, entries: [entry] } }));
  await panel.setFile('[data-testid="import-input"]', notHar);
  const second = await until('the second error', () => panel.text('[data-testid="import-error"]').then((t) => (t?.includes('not-har.har') ? t : undefined)));
  expect(second).toContain('log.entries[0]._webSocketMessages[0].time is not a number');
  expect(byUrl(await panel.eval<Row[]>(rowsOf))).toEqual(live);

  // A good file in the panel, then back to live.
  await panel.setFile('[data-testid="import-input"]', exportedPath);
  await until('the file view', async () => (await panel.count('[data-testid="file-banner"]')) === 1 || undefined);
  await panel.click('[data-testid="back-to-live"]');
  await until('live again', async () => (await panel.count('[data-testid="file-banner"]')) === 0 || undefined);
  expect(byUrl(await panel.eval<Row[]>(rowsOf))).toEqual(live);
});

// The back/forward cache: a page left for another one and brought back by "Back" is the
// same document, restored frozen, with its JavaScript state; it fires `pageshow` with
// `persisted: true` instead of loading again. Capture must survive that: the extension's port
// of that document is closed while it sits in the cache (Chromium does this itself for extension
// message ports), so the relay has to come back on restore, and the page events that tell the
// story (pagehide/pageshow persisted) must reach the panel.
//
// What makes a page eligible, found with CDP Page.backForwardCacheNotUsed (its reasons are
// printed by this test when a restore does not happen):
// - Playwright launches Chromium with --disable-back-forward-cache
//   (BackForwardCacheDisabledByCommandLine): the fixture drops that default argument;
// - the lab serves `Cache-Control: no-store` (MainResourceHasCacheControlNoStore): `?bfcache=1`
//   asks it for a cacheable copy;
// - an open WebSocket does NOT block it in Chromium 156: the page is cached and the socket is
//   closed, and the page sees close code 1006 when it is shown again.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DevTools, until } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

type Win = {
  __bf: { marker: string; shown: boolean[]; heldClose?: number };
};

const open = (page: Page, url: string) =>
  page.evaluate((u) => new Promise<number>((r) => { const ws = new WebSocket(u); ws.onclose = (e) => r(e.code); }), url);

test('back/forward cache: earlier sockets stay, the held socket ends as 1006 "suspended", new sockets are captured, pageshow persisted reaches the panel', async ({ lab, browserBfcache }) => {
  const { context } = browserBfcache;
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.enable');
  const notRestored: unknown[] = [];
  cdp.on('Page.backForwardCacheNotUsed', (e: { notRestoredExplanations: unknown }) => notRestored.push(e.notRestoredExplanations));

  await page.goto(`${lab.url}/?bfcache=1`);
  const devtools = await DevTools.forPage(context, page);
  await devtools.showPanel();
  const panel = await devtools.panel();
  await panel.click('[data-testid="preserve-log"]');

  // Before leaving: two sockets opened and closed, one left open, and page state that only a
  // restore (not a reload) can bring back.
  await page.evaluate((base) => {
    const w = window as unknown as Win;
    w.__bf = { marker: 'set before leaving', shown: [] };
    addEventListener('pageshow', (e) => w.__bf.shown.push(e.persisted));
    const held = new WebSocket(`${base}/ws/idle?held=1`);
    held.onclose = (e) => (w.__bf.heldClose = e.code);
    return new Promise((r) => (held.onopen = r));
  }, lab.wsBase);
  expect(await open(page, `${lab.wsBase}/ws/close?code=4201&reason=before&after=20`)).toBe(4201);
  expect(await open(page, `${lab.wsBase}/ws/destroy?after=20`)).toBe(1006);
  await panel.waitForRows('the sockets before leaving', (rs) => rs.length === 3 && rs.filter((r) => r.code).length === 2);

  // Away to another origin (localhost is not 127.0.0.1: a real cross-origin navigation), whose
  // page opens a socket of its own, then back.
  await page.goto(`http://localhost:${lab.port}/iframe.html?bfcache=1`);
  await panel.waitForRows('the other page\'s socket', (rs) => rs.some((r) => r.url.startsWith(`ws://localhost:${lab.port}/`) && r.code === '1000'));
  // A bfcache restore fires no load event: wait for the commit only.
  await page.goBack({ waitUntil: 'commit' });
  const bf = await until('the page to be shown again', () =>
    page.evaluate(() => (window as unknown as Partial<Win>).__bf).then((b) => (b?.shown.length ? b : undefined)),
  );
  // Restored, not reloaded: the state survived and pageshow said so. On failure, say why.
  expect(notRestored, JSON.stringify(notRestored)).toEqual([]);
  expect(bf.marker).toBe('set before leaving');
  expect(bf.shown).toEqual([true]);
  // Chromium closed the held socket when the page entered the cache; the page learns it now.
  const heldClose = await until('the held socket\'s close', () => page.evaluate(() => (window as unknown as Win).__bf.heldClose));
  expect(heldClose).toBe(1006);

  // After the restore, capture goes on: the relay reconnected.
  expect(await open(page, `${lab.wsBase}/ws/close?code=4203&reason=after&after=20`)).toBe(4203);

  const rows = await panel.waitForRows('every socket, before, away and after', (rs) => rs.length === 5 && rs.every((r) => r.code));
  expect(rows.map((r) => r.code).sort()).toEqual(['1000', '1006', '1006', '4201', '4203']);
  expect(new Set(rows.map((r) => r.id)).size).toBe(5);
  // The held socket: its real close (1006) replaced the end synthesized at pagehide, and the
  // explanation rests on the page having been in the back/forward cache and shown again.
  const held = rows.find((r) => r.url.includes('held=1'))!;
  expect(held.code).toBe('1006');
  await panel.select(held.id);
  await panel.click('[data-testid="tab-explanation"]');
  const facts = await until('the bfcache evidence', async () => {
    const f = await panel.eval<string[]>(`[...document.querySelectorAll('[data-testid="evidence"] [data-fact]')].map(li => li.dataset.fact)`);
    return f.includes('bfcache') && f.includes('resume') ? f : undefined;
  });
  expect(facts).toEqual(expect.arrayContaining(['bfcache', 'resume']));
  expect(await panel.eval<string>(`document.querySelector('[data-testid="connection-row"][data-conn-id="${held.id}"]').dataset.category`)).toBe('suspended');
  expect(await panel.count('[data-testid="disconnected"]')).toBe(0);

  // The page events themselves, as the panel holds them: exported with the session.
  const downloads = mkdtempSync(join(tmpdir(), 'sa-downloads-'));
  await devtools.browser.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  await panel.click('[data-testid="export"]');
  await panel.click('[data-testid="export-save"]');
  const har = await until('the exported file', async () => {
    const file = readdirSync(downloads).find((f) => f.endsWith('.har'));
    try {
      return file ? (JSON.parse(readFileSync(join(downloads, file), 'utf8')) as { log: { _socketAutopsy: { context: Array<{ doc: string; what: string; persisted?: boolean }> } } }) : undefined;
    } catch {
      return undefined; // still being written
    }
  });
  const context0 = har.log._socketAutopsy.context;
  const hide = context0.find((e) => e.what === 'pagehide' && e.persisted === true);
  const show = context0.find((e) => e.what === 'pageshow' && e.persisted === true);
  expect(hide).toBeTruthy();
  expect(show).toBeTruthy();
  // Both belong to the restored document.
  expect(show!.doc).toBe(hide!.doc);

  // Without preserve log, coming back is a navigation like any other: the page we came back
  // from goes, the restored page's sockets (replayed by its relay) are what the list shows.
  await panel.click('[data-testid="preserve-log"]');
  await page.goto(`http://localhost:${lab.port}/iframe.html?bfcache=1`);
  await panel.waitForRows('only the other page, after a plain navigation', (rs) => rs.length > 0 && rs.every((r) => r.url.startsWith(`ws://localhost:${lab.port}/`)));
  await page.goBack({ waitUntil: 'commit' });
  await until('the second restore', () => page.evaluate(() => (window as unknown as Win).__bf.shown.length === 2 || undefined));
  const back = await panel.waitForRows('only the restored page\'s sockets', (rs) => rs.length === 4 && rs.every((r) => r.url.startsWith(`${lab.wsBase}/`)));
  expect(back.map((r) => r.code).sort()).toEqual(['1006', '1006', '4201', '4203']);
});

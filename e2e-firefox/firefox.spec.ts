// The add-on in real Firefox ESR: the MAIN-world hook captures the lab's 1011 and 1006 sockets,
// and the panel page, opened in a tab for that tab by the user's keyboard shortcut, shows both
// with the right codes and diagnoses. Firefox's DevTools panel itself cannot be driven from
// outside (no remote protocol reaches its toolbox), so the same panel page is tested as the standalone viewer.
import { expect, test } from '@playwright/test';
import type { Page } from 'puppeteer-core';
import {
  artifactPath,
  labResults,
  labAndFirefox,
  pressViewerShortcut,
  until,
  viewerPages,
  type LaunchedFirefox,
} from './support.ts';

interface Row {
  code: string;
  category: string;
  url: string;
  id: string;
}

const env = labAndFirefox();

async function rows(viewer: Page): Promise<Row[]> {
  return viewer.$$eval('[data-testid="connection-row"]', (els) =>
    els.map((el) => {
      const d = (el as HTMLElement).dataset;
      return { code: d.code ?? '', category: d.category ?? '', url: d.url ?? '', id: d.connId ?? '' };
    }),
  );
}

/** Presses the shortcut in `page` and returns the one viewer tab it opened. */
async function openViewer(browser: LaunchedFirefox, page: Page): Promise<Page> {
  await pressViewerShortcut(page);
  const found = await until('the viewer tab', async () => {
    const v = await viewerPages(browser.browser);
    return v.length ? v : undefined;
  });
  expect(found).toHaveLength(1);
  expect(found[0]!.href).toMatch(/\?tab=\d+$/);
  return found[0]!.page;
}

async function waitForCodes(viewer: Page, codes: string[]): Promise<Row[]> {
  return until(`rows ${codes.join(', ')} in the viewer`, async () => {
    const r = await rows(viewer);
    const have = r.map((x) => x.code).sort();
    return JSON.stringify(have) === JSON.stringify([...codes].sort()) ? r : undefined;
  });
}

test('captures 1011 and 1006 in Firefox and explains them in the viewer tab', async () => {
  const ff = await env.launch();
  const page = await ff.browser.newPage();
  await page.goto(`${env.lab.url}/?run=server-error,destroy`);
  const results = await labResults(page, ['server-error', 'destroy']);
  // What Firefox itself reported to the page (docs/firefox.md has the full table).
  expect(results['server-error']).toMatchObject({ code: 1011, wasClean: true, opened: true });
  expect(results['destroy']).toMatchObject({ code: 1006, wasClean: false, opened: true });

  // A page cannot fake the shortcut: a synthesized keydown is not trusted.
  await page.evaluate(() => {
    for (const target of [window, document, document.body]) {
      target.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyK', key: 'K', altKey: true, shiftKey: true, bubbles: true }));
    }
  });
  await new Promise((r) => setTimeout(r, 1000));
  expect(await viewerPages(ff.browser)).toEqual([]);

  // The user's key press opens the viewer for this tab.
  const viewer = await openViewer(ff, page);
  const found = await waitForCodes(viewer, ['1011', '1006']);
  for (const r of found) expect(r.url.startsWith(`${env.lab.wsBase}/ws/`)).toBe(true);
  const serverError = found.find((r) => r.code === '1011')!;
  const abnormal = found.find((r) => r.code === '1006')!;
  expect(serverError.category).toBe('server-error');
  expect(abnormal.category).toBe('abnormal');

  await viewer.click(`[data-testid="connection-row"][data-conn-id="${serverError.id}"]`);
  await viewer.waitForSelector('[data-testid="explanation-headline"][data-category="server-error"]', { timeout: 10_000 });

  // The tab the add-on opened keeps the window's size; give the artifact a fixed one.
  await viewer.setViewport({ width: 1280, height: 800 });
  await viewer.screenshot({ path: artifactPath('firefox-panel.png') });
});

test('captures on a plain-http page that is not a secure context', async () => {
  // 127.0.0.1 and localhost count as secure contexts; a dev server reached by name does not.
  // network.dns.localDomains resolves the name to this machine (the lab listens on 127.0.0.1).
  const ff = await env.launch({ prefs: { 'network.dns.localDomains': 'lab.test' } });
  const page = await ff.browser.newPage();
  await page.goto(`${env.lab.url.replace('127.0.0.1', 'lab.test')}/?run=server-error`);
  expect(await page.evaluate(() => isSecureContext)).toBe(false);
  await labResults(page, ['server-error']);
  const viewer = await openViewer(ff, page);
  const [row] = await waitForCodes(viewer, ['1011']);
  expect(row!.category).toBe('server-error');
});

test('the viewer keeps its data while Firefox unloads and wakes the event page', async () => {
  // Firefox unloads an idle event page after extensions.background.idle.timeout (30 s by
  // default), open ports or not; 1 s here makes it happen several times during the test.
  const ff = await env.launch({ prefs: { 'extensions.background.idle.timeout': 1000 } });
  const page = await ff.browser.newPage();
  await page.goto(`${env.lab.url}/?run=server-error,destroy`);
  await labResults(page, ['server-error', 'destroy']);
  const viewer = await openViewer(ff, page);
  await waitForCodes(viewer, ['1011', '1006']);

  const backgroundStart = () =>
    viewer.evaluate(async () => {
      const runtime = (globalThis as unknown as { browser: { runtime: { getBackgroundPage(): Promise<Window | null> } } }).browser.runtime;
      return (await runtime.getBackgroundPage())?.performance.timeOrigin ?? null;
    });
  const firstStart = await backgroundStart();

  // Sample the list through several unloads: it must never go empty (the hub holds a new
  // panel's snapshot until the relays have replayed), and a socket made meanwhile shows up.
  const end = Date.now() + 4000;
  let ranApp = false;
  while (Date.now() < end) {
    expect((await rows(viewer)).length).toBeGreaterThanOrEqual(2);
    if (!ranApp && Date.now() > end - 3000) {
      ranApp = true;
      await page.evaluate(() => void (window as unknown as { __lab: { run(n: string): Promise<unknown> } }).__lab.run('app-4001'));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await waitForCodes(viewer, ['1011', '1006', '4001']);
  expect(await backgroundStart()).not.toBe(firstStart);
});

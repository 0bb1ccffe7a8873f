// What the network said, in real Firefox: webRequest reports the status of a refused upgrade and
// names the network error (docs/network.md), so the viewer tab shows 401, 502 and DNS on their
// rows and explains them; a page whose CSP blocks its socket is explained as CSP. Without host
// access the panel says network details are unavailable and everything else still works.
import { expect, test } from '@playwright/test';
import type { Page } from 'puppeteer-core';
import { artifactPath, labResults, labAndFirefox, pressViewerShortcut, until, viewerPages, type LaunchedFirefox } from './support.ts';

const env = labAndFirefox();

interface NetRow {
  id: string;
  url: string;
  category: string;
  chip: string | null;
}

const netRows = (viewer: Page) =>
  viewer.$$eval('[data-testid="connection-row"]', (els) =>
    els.map((el) => {
      const d = (el as HTMLElement).dataset;
      return { id: d.connId ?? '', url: d.url ?? '', category: d.category ?? '', chip: el.querySelector('[data-testid="net-status"]')?.textContent ?? null };
    }),
  );

async function openViewer(browser: LaunchedFirefox, page: Page): Promise<Page> {
  await pressViewerShortcut(page);
  const found = await until('the viewer tab', async () => {
    const v = await viewerPages(browser.browser);
    return v.length ? v : undefined;
  });
  return found[0]!.page;
}

async function headlineNet(viewer: Page, connId: string): Promise<string> {
  await viewer.click(`[data-testid="connection-row"][data-conn-id="${connId}"]`);
  return until(`the explanation of ${connId}`, () =>
    viewer.evaluate((id) => {
      const row = document.querySelector(`[data-testid="connection-row"][data-conn-id="${id}"]`);
      const h = document.querySelector<HTMLElement>('[data-testid="explanation-headline"]');
      return row?.classList.contains('selected') && h ? (h.dataset.net ?? '') : undefined;
    }, connId),
  );
}

const EXPECTED: Record<string, { chip: string; cls: string }> = {
  'auth-401': { chip: '401', cls: 'unauthorized' },
  'bad-gateway-502': { chip: '502', cls: 'bad-gateway' },
  dns: { chip: 'DNS', cls: 'dns' },
};

test('401, 502, DNS and CSP are explained in the viewer tab', async () => {
  const ff = await env.launch();
  const page = await ff.browser.newPage();
  const names = Object.keys(EXPECTED);
  await page.goto(`${env.lab.url}/?run=${names.join(',')}`);
  const r = (await labResults(page, names)) as unknown as Record<string, { url: string }>;
  const viewer = await openViewer(ff, page);
  const rows = await until('a network chip on each row', async () => {
    const rs = await netRows(viewer);
    return names.every((n) => rs.find((x) => x.url === r[n]!.url)?.chip) ? rs : undefined;
  });
  const seen: Record<string, { chip: string | null; cls: string }> = {};
  for (const name of names) {
    const row = rows.find((x) => x.url === r[name]!.url)!;
    seen[name] = { chip: row.chip, cls: await headlineNet(viewer, row.id) };
  }
  expect(seen).toEqual(EXPECTED);
  await viewer.setViewport({ width: 1280, height: 800 });
  await viewer.screenshot({ path: artifactPath('firefox-network.png') });

  // Sockets inside a Worker: no page hook sees them, webRequest does; listed as "in a worker or
  // not visible to the page".
  await page.evaluate((base: string) => {
    const src = `new WebSocket(${JSON.stringify(`${base}/ws/echo`)}); new WebSocket(${JSON.stringify(`${base}/ws/forbidden-403`)});`;
    new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
  }, env.lab.wsBase);
  const fromWorker = await until('the Worker sockets', async () => {
    const rs = (await netRows(viewer)).filter((x) => x.url === `${env.lab.wsBase}/ws/echo` || x.url === `${env.lab.wsBase}/ws/forbidden-403`);
    return rs.length === 2 ? rs : undefined;
  });
  expect(fromWorker.map((x) => x.chip ?? 'none').sort()).toEqual(['403', 'none']);
  expect(await viewer.$$eval('[data-testid="net-only"]', (els) => els.length)).toBe(2);
  // Said as what it is, with Firefox's limit (no deep capture here: no switch either).
  const chipTitles = await viewer.$$eval('[data-testid="net-only"]', (els) => els.map((e) => `${e.textContent} | ${(e as HTMLElement).title}`));
  for (const t of chipTitles) expect(t).toBe('in a worker or not visible to the page | in a worker or not visible to the page: Not visible to an extension in Firefox');
  expect(await viewer.$$eval('[data-testid="deep-toggle"]', (els) => els.length)).toBe(0);

  // The CSP page, in the same tab: its blocked socket is explained as CSP.
  await page.goto(`${env.lab.url}/csp.html`);
  const csp = await until('the CSP-blocked socket', async () => (await netRows(viewer)).find((x) => x.chip === 'CSP'));
  expect(await headlineNet(viewer, csp.id)).toBe('csp');
});

test('without host access the panel says network details are unavailable; capture still works', async () => {
  const ff = await env.launch();
  const page = await ff.browser.newPage();
  await page.goto(`${env.lab.url}/?run=server-error`);
  await labResults(page, ['server-error']);
  const viewer = await openViewer(ff, page);
  await until('the 1011 row', async () => ((await netRows(viewer)).some((x) => x.category === 'server-error') ? true : undefined));
  expect(await viewer.$('[data-testid="net-access-banner"]')).toBeNull();
  // The user withdraws the add-on's access to websites (about:addons › Permissions does the same).
  const removed = await viewer.evaluate(() =>
    (globalThis as unknown as { browser: { permissions: { remove(p: { origins: string[] }): Promise<boolean> } } }).browser.permissions.remove({ origins: ['<all_urls>'] }),
  );
  expect(removed).toBe(true);
  // A viewer opened now (WebDriver BiDi cannot reload a moz-extension:// page) says so, offers to
  // ask, and still lists what was captured.
  await page.bringToFront();
  await pressViewerShortcut(page);
  const second = await until('a second viewer tab', async () => {
    const v = await viewerPages(ff.browser);
    return v.length === 2 ? v.find((x) => x.page !== viewer) : undefined;
  });
  await second.page.waitForSelector('[data-testid="net-access-banner"]', { timeout: 15_000 });
  expect(await second.page.$('[data-testid="net-access-grant"]')).not.toBeNull();
  await until('the 1011 row in the new viewer', async () => ((await netRows(second.page)).some((x) => x.category === 'server-error') ? true : undefined));
});

test('what webRequest saw survives Firefox unloading the event page', async () => {
  // Firefox unloads an idle event page after extensions.background.idle.timeout (30 s by
  // default), open ports or not; 1 s here makes it happen several times before anyone looks.
  const ff = await env.launch({ prefs: { 'extensions.background.idle.timeout': 1000 } });
  const page = await ff.browser.newPage();
  await page.goto(`${env.lab.url}/?run=auth-401`);
  const r = (await labResults(page, ['auth-401'])) as unknown as Record<string, { url: string }>;
  await new Promise((res) => setTimeout(res, 4000));
  const viewer = await openViewer(ff, page);
  const row = await until('the 401 row with its status', async () => (await netRows(viewer)).find((x) => x.url === r['auth-401']!.url && x.chip));
  expect(row.chip).toBe('401');
});

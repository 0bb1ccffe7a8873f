// What the network said, in the real DevTools panel: every handshake failure the lab can produce
// on this machine shows its status or error on its row, and its explanation names it (the
// headline's data-net), in English and, for some, in Japanese. Chromium gives the status of a
// refused upgrade only to DevTools' own network log (docs/network.md), which records while
// DevTools is open: the panel is opened first, then the page runs its sockets.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactPath, launchWithExtension } from './support/browser.ts';
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { exportHarFromPanel } from './support/export.ts';
import { expect, test } from './support/fixtures.ts';

type LabResult = { code: number | null; url: string; failed?: string; error?: boolean };
type LabConfig = { tls?: { pagePort: number; wssPort: number; pageSpki: string; mixedUrl: string; chromiumArgs: string[] }; proxy?: string };

/** Scenario → what the row's network chip says and the class the headline names. */
export const NETWORK_EXPECTED: Record<string, { chip: string; cls: string }> = {
  'auth-401': { chip: '401', cls: 'unauthorized' },
  'forbidden-403': { chip: '403', cls: 'forbidden' },
  'not-found-404': { chip: '404', cls: 'not-found' },
  'html-200': { chip: '200', cls: 'not-websocket' },
  'upgrade-426': { chip: '426', cls: 'upgrade-required' },
  'rate-429': { chip: '429', cls: 'rate-limited' },
  'unavailable-503': { chip: '503', cls: 'unavailable' },
  'server-500': { chip: '500', cls: 'server-error' },
  'bad-gateway-502': { chip: '502', cls: 'bad-gateway' },
  dns: { chip: 'DNS', cls: 'dns' },
  'closed-port': { chip: 'refused', cls: 'refused' },
  'tls-self-signed': { chip: 'TLS', cls: 'tls' },
  subprotocol: { chip: 'subprotocol', cls: 'subprotocol' },
};

const results = (page: Page) => page.evaluate(() => (window as unknown as { __lab: { results: Record<string, LabResult> } }).__lab.results);

interface NetRow {
  id: string;
  url: string;
  category: string;
  net: string;
  chip: string | null;
}

const netRows = (panel: PanelPage) =>
  panel.eval<NetRow[]>(`[...document.querySelectorAll('[data-testid="connection-row"]')].map(r => ({
    id: r.dataset.connId, url: r.dataset.url, category: r.dataset.category, net: r.dataset.net,
    chip: r.querySelector('[data-testid="net-status"]')?.textContent ?? null,
  }))`);

async function headline(panel: PanelPage, connId: string): Promise<{ net: string; text: string; category: string }> {
  await panel.select(connId);
  // The detail is rendered after the click's own task (and, in a narrow panel, replaces the list).
  await until('the detail of the selected row', async () => (await panel.count('[data-testid="tab-explanation"]')) > 0 || undefined);
  await panel.click('[data-testid="tab-explanation"]');
  return until(`the explanation of ${connId}`, () =>
    panel.eval<{ net: string; text: string; category: string } | undefined>(`(() => {
      const row = document.querySelector('[data-testid="connection-row"][data-conn-id="${connId}"]');
      const h = document.querySelector('[data-testid="explanation-headline"]');
      if (!row || !row.classList.contains('selected') || !h) return undefined;
      return { net: h.dataset.net ?? '', text: h.textContent, category: h.dataset.category };
    })()`),
  );
}

const setLang = (panel: PanelPage, lang: 'en' | 'ja') =>
  panel.eval(`(() => { const s = document.querySelector('[data-testid="language"]'); s.value = '${lang}'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);

test('every handshake failure names what the network said, on its row and in its explanation', async ({ lab }) => {
  const config = (await (await fetch(`${lab.url}/api/config`)).json()) as LabConfig;
  const tls = config.tls;
  expect(tls, 'the lab made its certificates (openssl)').toBeTruthy();
  // The mixed-content page is https on a name mapped to 127.0.0.1 (loopback is exempt from
  // mixed-content blocking); only that page's certificate is accepted, so the self-signed wss
  // scenario still fails.
  const b = await launchWithExtension({
    devtools: true,
    args: tls!.chromiumArgs,
  });
  try {
    const { context } = b;
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${lab.url}/`);
    const devtools = await DevTools.forPage(context, page);
    await devtools.dock('undocked');
    await devtools.showPanel();
    const panel = await devtools.panel();

    const names = [...Object.keys(NETWORK_EXPECTED), 'same-ms-pair'];
    await page.goto(`${lab.url}/?run=${names.join(',')}`);
    const r = await until('every network scenario to end', async () => {
      const got = await results(page);
      return names.every((n) => got[n] && (got[n]!.code || got[n]!.failed || got[n]!.error)) ? got : undefined;
    }, 30_000);

    let missing: string[] = [];
    const rows = await until('a network chip on every failed row', async () => {
      const rs = await netRows(panel);
      missing = Object.keys(NETWORK_EXPECTED).filter((n) => {
        const row = rs.find((x) => x.url === r[n]!.url);
        return !row?.chip || row.category === 'live';
      });
      return missing.length ? undefined : rs;
    }, 20_000).catch(async (err: Error) => {
      const rs = await netRows(panel);
      const net = await panel.eval<unknown>(`JSON.stringify(window.__saPanelStore ? [...window.__saPanelStore.session.net.values()] : 'no debug store')`);
      throw new Error(`${err.message}: ${missing.map((n) => `${n} → ${JSON.stringify(rs.filter((x) => x.url === r[n]!.url))}`).join('; ')}; observations ${String(net).slice(0, 3000)}`);
    });
    const seen: Record<string, { chip: string | null; cls: string }> = {};
    for (const [name, want] of Object.entries(NETWORK_EXPECTED)) {
      const row = rows.find((x) => x.url === r[name]!.url);
      expect(row, `a row for ${name}`).toBeTruthy();
      const h = await headline(panel, row!.id);
      seen[name] = { chip: row!.chip, cls: h.net };
      expect.soft(row!.category, name).toBe('handshake-failed');
      // The row's badge and the explanation are one verdict.
      expect.soft(h.category, `${name}: row and explanation`).toBe(row!.category);
    }
    expect(seen).toEqual(NETWORK_EXPECTED);

    // Two sockets to one URL made in one task: the first was refused 401, the second opened.
    const pair = rows.filter((x) => x.url === r['same-ms-pair']!.url);
    expect(pair).toHaveLength(2);
    expect(pair.map((x) => x.chip ?? 'none').sort()).toEqual(['401', 'none']);
    expect(pair.find((x) => x.chip === null)?.category).not.toBe('handshake-failed');

    // The Overview quotes the status line and the request's headers.
    const gw = rows.find((x) => x.url === r['bad-gateway-502']!.url)!;
    await panel.select(gw.id);
    await panel.click('[data-testid="tab-overview"]');
    await until('the handshake in the overview', async () => (await panel.text('[data-testid="overview-handshake"]'))?.includes('502') || undefined);
    writeFileSync(artifactPath('network-overview.png'), await devtools.screenshot());

    // In Japanese: the same classes, in Japanese words.
    await setLang(panel, 'ja');
    for (const name of ['auth-401', 'bad-gateway-502', 'dns', 'tls-self-signed']) {
      const row = rows.find((x) => x.url === r[name]!.url)!;
      const h = await until(`a Japanese headline for ${name}`, async () => {
        const got = await headline(panel, row.id);
        return /[\u3040-\u30ff\u4e00-\u9faf]/.test(got.text) ? got : undefined;
      });
      expect(h.net, name).toBe(NETWORK_EXPECTED[name]!.cls);
    }
    writeFileSync(artifactPath('network-ja.png'), await devtools.screenshot());
    await setLang(panel, 'en');

    // The session as a HAR: Chrome's own importer opens it and keeps each status and error, the
    // viewer re-imports it with the same explanations, and the CLI reports them.
    const { path: exportedPath, text: harText } = await exportHarFromPanel(devtools, panel);
    writeFileSync(artifactPath('network.har'), harText);
    const chromeView = await devtools.front.evaluate<Array<{ url: string; status: number; error: string | null; type: string }>>(`(async () => {
      const HAR = await import('./models/har/har.js');
      const log = new HAR.HARFormat.HARRoot(${harText}).log;
      return HAR.Importer.Importer.requestsFromHARLog(log).map(r => ({
        url: r.url(), status: r.statusCode, type: r.resourceType().name(),
        // Chrome keeps a socket's failure as an error frame, as its own HAR writes it.
        error: r.frames().filter(f => f.type === 'error').map(f => f.text).join(' ') || null,
      }));
    })()`);
    expect(chromeView.every((x) => x.type === 'websocket')).toBe(true);
    const chromeOf = (name: string) => chromeView.find((x) => x.url === r[name]!.url);
    for (const name of ['auth-401', 'forbidden-403', 'not-found-404', 'html-200', 'rate-429', 'unavailable-503', 'server-500', 'bad-gateway-502']) {
      expect.soft(chromeOf(name)?.status, name).toBe(Number(NETWORK_EXPECTED[name]!.chip));
    }
    expect(chromeOf('dns')?.error).toContain('ERR_NAME_NOT_RESOLVED');
    expect(chromeOf('closed-port')?.error).toContain('ERR_CONNECTION_REFUSED');

    const liveView = (await netRows(panel)).map(({ url, category, net, chip }) => ({ url, category, net, chip })).sort((a, b) => (a.url + a.chip).localeCompare(b.url + b.chip));
    const id = new URL((context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))).url()).host;
    const viewer = await context.newPage();
    await viewer.goto(`chrome-extension://${id}/src/panel/panel.html`);
    await viewer.locator('[data-testid="import-input"]').setInputFiles(exportedPath);
    await viewer.locator('[data-testid="file-banner"]').waitFor();
    const viewerRows = await until('the re-imported rows', async () => {
      const rs = (await viewer.evaluate(`[...document.querySelectorAll('[data-testid="connection-row"]')].map(r => ({
        url: r.dataset.url, category: r.dataset.category, net: r.dataset.net,
        chip: r.querySelector('[data-testid="net-status"]')?.textContent ?? null }))`)) as Array<{ url: string; category: string; net: string; chip: string | null }>;
      return rs.length === liveView.length ? rs : undefined;
    });
    expect(viewerRows.sort((a, b) => (a.url + a.chip).localeCompare(b.url + b.chip))).toEqual(liveView);
    await viewer.close();

    const cli = spawnSync(process.execPath, [join(import.meta.dirname, '../bin/socket-autopsy.mjs'), 'report', exportedPath], { encoding: 'utf8' });
    for (const word of ['401', '403', '502', '503', 'DNS', 'refused', 'TLS']) expect.soft(cli.stdout, `the CLI report names ${word}`).toContain(word);

    // CSP: a page whose policy blocks the socket. The socket never fires close in Chromium; the
    // panel ends it from its error and names the policy.
    await page.goto(`${lab.url}/csp.html`);
    const cspRow = await until('the CSP-blocked socket', async () => (await netRows(panel)).find((x) => x.chip === 'CSP'));
    expect((await headline(panel, cspRow.id)).net).toBe('csp');

    // Mixed content: an https page opening ws: to a non-loopback name.
    await page.goto(tls!.mixedUrl);
    const mixed = await until('the mixed-content socket', async () => (await netRows(panel)).find((x) => x.chip === 'mixed'));
    expect((await headline(panel, mixed.id)).net).toBe('mixed-content');
    writeFileSync(artifactPath('network-rows.png'), await devtools.screenshot());

    // A socket inside a Worker: no page hook sees it, DevTools' log does; listed as "in a worker or
    // not visible to the page", with Chrome's way to see more (deep capture) on the chip and in
    // the status bar.
    await page.goto(`${lab.url}/`);
    await page.evaluate((url) => {
      const src = `new WebSocket(${JSON.stringify(url)});`;
      new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
    }, `${lab.wsBase}/ws/forbidden-403`);
    const worker = await until('the Worker socket', async () => (await netRows(panel)).find((x) => x.url.endsWith('/ws/forbidden-403')));
    expect(worker.chip).toBe('403');
    expect(await panel.count(`[data-testid="connection-row"][data-conn-id="${worker.id}"] [data-testid="net-only"]`)).toBe(1);
    const chip = await panel.eval<{ text: string; title: string }>(`(() => {
      const c = document.querySelector('[data-testid="connection-row"][data-conn-id="${worker.id}"] [data-testid="net-only"]');
      return { text: c.textContent, title: c.title };
    })()`);
    expect(chip.text).toBe('in a worker or not visible to the page');
    expect(chip.title).toContain('Turn on Deep capture to see inside workers');
    expect(await panel.text('[data-testid="worker-note"]')).toContain('Turn on Deep capture to see inside workers');
    writeFileSync(artifactPath('network-worker-row.png'), await devtools.screenshot());
    // Its detail opens like any row's: the explanation names the class, the Overview says why no page socket.
    expect((await headline(panel, worker.id)).net).toBe('forbidden');
    await panel.click('[data-testid="tab-overview"]');
    await until('the network-only note', async () => ((await panel.count('[data-testid="synthetic-note"]')) === 1 ? true : undefined));
    expect(await panel.text('[data-testid="overview-status"]')).toContain('403');
  } finally {
    await b.close();
  }
});

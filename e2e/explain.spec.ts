// Every lab scenario, explained: the panel's headline category for each real closure, the
// reconnect chains on the timeline, offline via DevTools' network emulation, the language
// switch, copy as Markdown, and screenshots of the timeline and the card in both themes.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { artifactPath } from './support/browser.ts';
import type { DiagnosisCategory } from '../src/core/knowledge/categories.ts';
import { outcomeOfCategory } from '../src/panel/categories.ts';
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

type LabResult = { code: number; url: string; attempts?: number };
const results = (page: Page) => page.evaluate(() => (window as unknown as { __lab: { results: Record<string, LabResult> } }).__lab.results);
const run = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as { __lab: { run(n: string): Promise<LabResult> } }).__lab.run(n), name);

const EXPECTED: Record<string, string> = {
  echo: 'closed-by-page',
  'client-close': 'closed-by-page',
  'server-close': 'closed-by-server',
  shutdown: 'going-away',
  destroy: 'abnormal',
  refused: 'handshake-failed',
  'not-found': 'handshake-failed',
  policy: 'policy',
  'too-big': 'message-too-big',
  'server-error': 'server-error',
  restart: 'retry-later',
  'try-later': 'retry-later',
  'app-4001': 'app-code',
  // 3 s matches no known intermediary timeout: a cut after silence, not a confident idle cut.
  'idle-proxy': 'abnormal',
  crash: 'abnormal',
  'big-inbound': 'closed-by-page',
};

async function headlineOf(panel: PanelPage, connId: string): Promise<{ category: string; text: string }> {
  await panel.select(connId);
  await panel.click('[data-testid="tab-explanation"]');
  return until(`the explanation of ${connId}`, () =>
    panel.eval<{ category: string; text: string } | undefined>(`(() => {
      const row = document.querySelector('[data-testid="connection-row"][data-conn-id="${connId}"]');
      const h = document.querySelector('[data-testid="explanation-headline"]');
      if (!row || !row.classList.contains('selected') || !h) return undefined;
      return { category: h.dataset.category, text: h.textContent };
    })()`),
  );
}

test('each lab closure gets the right explanation; reconnect chains show on the timeline', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/?run=${Object.keys(EXPECTED).join(',')}`);
  await until('every scenario to end', async () => {
    const r = await results(page);
    return Object.keys(EXPECTED).every((n) => r[n]?.code) ? r : undefined;
  }, 30_000);
  await run(page, 'reconnect-backoff');
  await run(page, 'reconnect-storm');
  const r = await results(page);

  const devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  await devtools.showPanel();
  const panel = await devtools.panel();
  const rows = await panel.waitForRows('all sockets', (rs) => rs.length >= Object.keys(EXPECTED).length + 5 + 8 && rs.every((x) => x.code));

  const seen: Record<string, string> = {};
  for (const [name, category] of Object.entries(EXPECTED)) {
    const url = r[name]!.url;
    const row = rows.find((x) => x.url === url);
    expect(row, `a row for ${name} (${url})`).toBeTruthy();
    const h = await headlineOf(panel, row!.id);
    seen[name] = h.category;
    expect.soft(h.category, `${name}: ${h.text}`).toBe(category);
    // The row's outcome (badge, colour) and the explanation's category are one verdict.
    const rowLook = await panel.eval<{ category: string; outcome: string }>(
      `(() => { const r = document.querySelector('[data-testid="connection-row"][data-conn-id="${row!.id}"]'); return { category: r.dataset.category, outcome: r.dataset.outcome }; })()`,
    );
    expect.soft(rowLook, `${name}: row and explanation`).toEqual({ category: h.category, outcome: outcomeOfCategory(h.category as DiagnosisCategory) });
  }
  expect(seen).toEqual(EXPECTED);

  // The 1011's reason is shown prominently.
  const serverError = rows.find((x) => x.url === r['server-error']!.url)!;
  await headlineOf(panel, serverError.id);
  expect(await panel.text('[data-testid="explanation-reason"]')).toContain('boom');

  // Reconnect chains: the backoff client and the storm client each form one chain.
  const chains = await panel.eval<Array<{ attempts: number; backoff: string; storm: string }>>(
    `[...document.querySelectorAll('[data-testid="timeline-chain"]')].map(g => ({ attempts: Number(g.dataset.attempts), backoff: g.dataset.backoff, storm: g.dataset.storm }))`,
  );
  expect(chains.some((c) => c.attempts === 4 && c.backoff === 'exponential' && c.storm === 'false')).toBe(true);
  expect(chains.some((c) => c.attempts === 7 && c.storm === 'true')).toBe(true);
  expect(await panel.count('[data-testid="timeline-bar"]')).toBe(rows.length);

  // The summary strip counts outcomes.
  const summary = await panel.eval<Array<{ category: string; count: number }>>(
    `[...document.querySelectorAll('[data-testid="summary-item"]')].map(b => ({ category: b.dataset.category, count: Number(b.dataset.count) }))`,
  );
  // One 1011 from the server-error scenario and eight from the storm client.
  expect(summary.find((s) => s.category === 'server-error')?.count).toBe(9);
  expect(summary.find((s) => s.category === 'handshake-failed')?.count).toBe(2);

  await headlineOf(panel, serverError.id);
  writeFileSync(artifactPath('explain-light.png'), await devtools.screenshot());

  // Copy as Markdown.
  await panel.click('[data-testid="copy-markdown"]');
  await until('the copy to be acknowledged', async () => (await panel.text('[data-testid="copy-markdown"]'))?.match(/Copied|コピー/) ?? undefined);

  // Japanese, then DevTools' dark theme followed live.
  await panel.eval(`(() => { const s = document.querySelector('[data-testid="language"]'); s.value = 'ja'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);
  const ja = await until('a Japanese headline', async () => {
    const t = await panel.text('[data-testid="explanation-headline"]');
    return t && /[\u3040-\u30ff\u4e00-\u9faf]/.test(t) ? t : undefined;
  });
  expect(ja).toContain('boom');
  await devtools.front.evaluate(`(async () => { const C = await import('./core/common/common.js'); C.Settings.Settings.instance().moduleSetting('ui-theme').set('dark'); })()`);
  await until('the dark theme', () => panel.eval<boolean>(`document.documentElement.dataset.theme === 'dark'`));
  await panel.eval(`(() => { const s = document.querySelector('[data-testid="language"]'); s.value = 'en'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);
  const idle = rows.find((x) => x.url === r['idle-proxy']!.url)!;
  await headlineOf(panel, idle.id);
  writeFileSync(artifactPath('explain-dark.png'), await devtools.screenshot());
});

test('a socket cut while the browser is offline (DevTools network emulation) is explained as offline', async ({ lab, browserWithDevtools }) => {
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // Emulated offline fires the page's `offline` event but leaves open sockets alone, so the
  // server cuts this one (no close frame) while the browser believes it is offline.
  // Offline only once the socket is open (emulated offline would fail a pending handshake).
  await page.evaluate((base) => new Promise<void>((opened) => {
    const ws = new WebSocket(`${base}/ws/destroy?after=1500`);
    (window as unknown as { cut: Promise<number> }).cut = new Promise((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
    ws.addEventListener('open', () => opened());
  }), lab.wsBase);
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  expect(await page.evaluate(() => (window as unknown as { cut: Promise<number> }).cut)).toBe(1006);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  const devtools = await DevTools.forPage(context, page);
  await devtools.showPanel();
  const panel = await devtools.panel();
  const [row] = await panel.waitForRows('the cut socket', (rs) => rs.length === 1 && rs[0]!.code === '1006');
  const h = await headlineOf(panel, row!.id);
  expect(h.category).toBe('offline');
});

// Screenshots for the stores, made from the real panel in real Chromium DevTools against the
// real lab: the Chrome Web Store takes 1280×800 (or 640×400), addons.mozilla.org up to
// 2400×1800 and prefers 1.6:1, so 1280×800 serves both. Written to e2e/artifacts/store/:
//   1-idle-cut.png      the explanation of a 1006 cut by nginx after its 60 s idle timeout
//   2-reconnect.png     the timeline with a reconnect chain, backing off
//   3-protocol.png      a Socket.IO connection's decoded messages (the server kicked it)
//   4-dark.png          DevTools' dark theme: a server's 1011, explained
// The nginx-idle scenario is the slow part (a real 60 s timeout); everything else runs meanwhile.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactPath } from './support/browser.ts';
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

const WIDTH = 1280;
const HEIGHT = 800;

type LabResult = { code: number | null; url: string; failed?: string };
const results = (page: Page) => page.evaluate(() => (window as unknown as { __lab: { results: Record<string, LabResult> } }).__lab.results);

const SCENARIOS = ['nginx-idle', 'server-error', 'reconnect-backoff', 'socketio-kicked', 'stomp-error', 'echo'];

/** Width and height from a PNG's IHDR chunk (PNG spec §11.2.2: right after the 8-byte signature and the chunk's length and type). */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function shoot(devtools: DevTools, name: string): Promise<void> {
  // Let the panel finish painting after the last change (a selection, a tab, the theme).
  await devtools.front.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))');
  const png = await devtools.screenshot();
  expect(pngSize(png), name).toEqual({ width: WIDTH, height: HEIGHT });
  const path = artifactPath(`store/${name}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  expect(pngSize(readFileSync(path)), `${name} on disk`).toEqual({ width: WIDTH, height: HEIGHT });
}

async function explain(panel: PanelPage, connId: string): Promise<{ category: string; headline: string }> {
  await panel.select(connId);
  await panel.click('[data-testid="tab-explanation"]');
  return until(`the explanation of ${connId}`, () =>
    panel.eval<{ category: string; headline: string } | undefined>(`(() => {
      const row = document.querySelector('[data-testid="connection-row"][data-conn-id="${connId}"]');
      const h = document.querySelector('[data-testid="explanation-headline"]');
      if (!row || !row.classList.contains('selected') || !h) return undefined;
      // A closed row whose card still reads "live" is a card the panel has not re-derived yet.
      if (row.dataset.code && h.dataset.category === 'live') return undefined;
      return { category: h.dataset.category, headline: h.textContent };
    })()`),
  );
}

test('store screenshots: 1280×800, light and dark, of an idle cut, a reconnect chain and a protocol', async ({ lab, browserWithDevtools }) => {
  // nginx's 60 s proxy_read_timeout is real time.
  test.setTimeout(180_000);
  const { context } = browserWithDevtools;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${lab.url}/?run=${SCENARIOS.join(',')}`);

  const devtools = await DevTools.forPage(context, page);
  await devtools.dock('undocked');
  // The undocked DevTools window gets the store's size; its screenshot is its page's viewport.
  const { targetInfo } = await devtools.front.send<{ targetInfo: { targetId: string } }>('Target.getTargetInfo');
  const { windowId } = await devtools.browser.send('Browser.getWindowForTarget', { targetId: targetInfo.targetId });
  await devtools.browser.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'normal' } });
  await devtools.browser.send('Browser.setWindowBounds', { windowId, bounds: { width: WIDTH, height: HEIGHT } });
  // The window's size is only a request (headless gives its page 100 px less than asked, and a
  // frame takes its share elsewhere): the page's own metrics make the picture exact.
  await devtools.front.send('Emulation.setDeviceMetricsOverride', { width: WIDTH, height: HEIGHT, deviceScaleFactor: 1, mobile: false });
  await until('the DevTools window at the store size', async () => {
    const s = await devtools.front.evaluate<{ w: number; h: number; dpr: number }>('({ w: innerWidth, h: innerHeight, dpr: devicePixelRatio })');
    return s.w === WIDTH && s.h === HEIGHT && s.dpr === 1 ? s : undefined;
  });
  await devtools.showPanel();
  const panel = await devtools.panel();

  const r = await until('every scenario to end', async () => {
    const x = await results(page);
    return SCENARIOS.every((n) => x[n]?.code || x[n]?.failed) ? x : undefined;
  }, 120_000);
  for (const n of SCENARIOS) expect(r[n]?.failed, n).toBeUndefined();
  const rows = await panel.waitForRows('every scenario in the panel', (rs) => SCENARIOS.every((n) => rs.some((x) => x.url === r[n]!.url && x.code)));
  const row = (n: string) => rows.find((x) => x.url === r[n]!.url && x.code)!;

  // 1. The idle cut, named: nginx's 60 s.
  const idle = await explain(panel, row('nginx-idle').id);
  expect(idle.category).toBe('idle-timeout');
  expect(idle.headline).toMatch(/nginx/i);
  await shoot(devtools, '1-idle-cut.png');

  // 2. The reconnect chain on the timeline, one of its attempts selected.
  const chain = await panel.eval<number>(`Math.max(0, ...[...document.querySelectorAll('[data-testid="timeline-chain"]')].map(g => Number(g.dataset.attempts)))`);
  expect(chain, 'a reconnect chain on the timeline').toBeGreaterThanOrEqual(3);
  const backoff = rows.filter((x) => x.url === r['reconnect-backoff']!.url);
  await explain(panel, backoff[backoff.length - 1]!.id);
  // The 60 s socket sets the timeline's span; zoom on its first seconds, where the chain is, as a
  // user would with the wheel (each step 0.8×, anchored at the pointer; one step per frame, since
  // each reads the view the previous one set).
  for (let i = 0; i < 9; i++) {
    await panel.eval(`(() => {
      const plot = document.querySelector('.timeline-plot');
      const bars = [...plot.querySelectorAll('[data-testid="timeline-bar"]')].map((b) => b.getBoundingClientRect());
      const left = Math.min(...bars.map((b) => b.left));
      plot.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, clientX: left, clientY: bars[0].top, bubbles: true, cancelable: true }));
      return new Promise((r) => requestAnimationFrame(() => r(true)));
    })()`);
  }
  const span = await panel.text('.timeline-plot');
  expect(span, 'the timeline zoomed to seconds').not.toContain('1 min');
  await shoot(devtools, '2-reconnect.png');

  // 3. A protocol's message list: Socket.IO frames decoded, heartbeats marked.
  await panel.select(row('socketio-kicked').id);
  await panel.click('[data-testid="tab-messages"]');
  await until('the decoded Socket.IO messages', async () => {
    const m = await panel.eval<{ all: number; protocol: string | null }>(`({
      all: document.querySelectorAll('[data-testid="message-row"]').length,
      protocol: document.querySelector('[data-testid="msg-protocol"]')?.dataset.protocol ?? null,
    })`);
    return m.all >= 3 && m.protocol ? m : undefined;
  });
  await panel.click('[data-testid="message-row"]');
  await shoot(devtools, '3-protocol.png');

  // 4. Dark: DevTools' own theme setting, which the panel follows.
  await devtools.front.evaluate(`(async () => { const C = await import('./core/common/common.js'); C.Settings.Settings.instance().moduleSetting('ui-theme').set('dark'); })()`);
  await until('the dark theme', () => panel.eval<boolean>(`document.documentElement.dataset.theme === 'dark'`));
  const err = await explain(panel, row('server-error').id);
  expect(err.category).toBe('server-error');
  await shoot(devtools, '4-dark.png');
});

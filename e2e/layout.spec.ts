// The panel at every size: docked right at 400 px, docked bottom at 400 px high, undocked
// wide. At each, measured in the real DevTools window: the toolbar is one row (no button
// wrapped, nothing pushed out), no toolbar text is clipped (the filter's placeholder included),
// and a closed connection's explanation can be opened and is in the viewport.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { artifactPath } from './support/browser.ts';
import { DevTools, until, type PanelPage } from './support/devtools.ts';
import { expect, test } from './support/fixtures.ts';

interface ToolbarReport {
  toolbar: { top: number; bottom: number; left: number; right: number; scrollWidth: number; clientWidth: number };
  children: { what: string; top: number; bottom: number; left: number; right: number }[];
  clipped: { what: string; scrollWidth: number; clientWidth: number }[];
  buttons: { what: string; height: number; lineHeight: number; lines: number }[];
  placeholder: { text: string; need: number; room: number };
}

/** What the toolbar looks like, measured in the panel: rows, clipping, line counts. */
function measureToolbar(panel: PanelPage, selector = '[data-testid="toolbar"]'): Promise<ToolbarReport> {
  return panel.eval<ToolbarReport>(`(() => {
    const bar = document.querySelector(${JSON.stringify(selector)});
    const shown = (el) => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el); return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden' && !el.closest('.sr-only') && cs.clip === 'auto'; };
    const name = (el) => el.dataset.testid || el.getAttribute('aria-label') || el.className || el.tagName;
    const box = (el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
    const children = [...bar.children].filter(shown).map((el) => ({ what: name(el), ...box(el) }));
    // Every shown element holding text of its own: its text must fit its box.
    const clipped = [...bar.querySelectorAll('*')].filter((el) => shown(el) && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
      .filter((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight + 1)
      .map((el) => ({ what: name(el) + ': ' + el.textContent.trim(), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    // A wrapped button's text lays out on more than one line: its text's line boxes have
    // more than one distinct top.
    const buttons = [...bar.querySelectorAll('button, label, [role="tab"]')].filter(shown).map((el) => {
      const tops = new Set();
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (!n.textContent.trim() || n.parentElement.closest('select, .sr-only') || !shown(n.parentElement)) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) tops.add(Math.round(r.top + r.height / 2));
      }
      const cs = getComputedStyle(el);
      return { what: name(el), height: el.getBoundingClientRect().height, lineHeight: parseFloat(cs.lineHeight) || 0, lines: tops.size };
    });
    const input = bar.querySelector('[data-testid="filter"]') ?? document.querySelector('[data-testid="filter"]');
    const cs = getComputedStyle(input);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = cs.font;
    const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const r = bar.getBoundingClientRect();
    return {
      toolbar: { top: r.top, bottom: r.bottom, left: r.left, right: r.right, scrollWidth: bar.scrollWidth, clientWidth: bar.clientWidth },
      children, clipped, buttons,
      placeholder: { text: input.placeholder, need: ctx.measureText(input.placeholder).width, room },
    };
  })()`);
}

function checkToolbar(t: ToolbarReport, where: string): void {
  // One row: every child's box inside the toolbar's, all on the same line.
  const tops = t.children.map((c) => Math.round(c.top + (c.bottom - c.top) / 2));
  expect(Math.max(...tops) - Math.min(...tops), `${where}: toolbar children centred on one row ${JSON.stringify(t.children)}`).toBeLessThanOrEqual(1);
  for (const c of t.children) {
    expect(c.top, `${where}: ${c.what} top`).toBeGreaterThanOrEqual(t.toolbar.top - 0.5);
    expect(c.bottom, `${where}: ${c.what} bottom`).toBeLessThanOrEqual(t.toolbar.bottom + 0.5);
    expect(c.right, `${where}: ${c.what} pushed past the toolbar's end`).toBeLessThanOrEqual(t.toolbar.right + 0.5);
  }
  expect(t.toolbar.scrollWidth, `${where}: toolbar overflows`).toBeLessThanOrEqual(t.toolbar.clientWidth);
  for (const b of t.buttons) expect(b.lines, `${where}: ${b.what} is ${b.lines} lines high`).toBeLessThanOrEqual(1);
  expect(t.clipped, `${where}: clipped toolbar text`).toEqual([]);
  expect(t.placeholder.need, `${where}: placeholder "${t.placeholder.text}" cut`).toBeLessThanOrEqual(t.placeholder.room);
}

async function pageTarget(page: Page): Promise<string> {
  const s = await page.context().newCDPSession(page);
  const { targetInfo } = await s.send('Target.getTargetInfo');
  await s.detach();
  return targetInfo.targetId;
}

/** Selects the closed row, opens its explanation and says where it is against the viewport. */
async function openExplanation(panel: PanelPage, id: string) {
  await panel.select(id);
  await until('the detail', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="tab-explanation"]')`));
  await panel.click('[data-testid="tab-explanation"]');
  await until('the explanation', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="explanation-headline"]')`));
  return panel.eval<{ inView: boolean; hit: boolean; width: number; box: string; layout: string }>(`(() => {
    const h = document.querySelector('[data-testid="explanation-headline"]');
    const r = h.getBoundingClientRect();
    const hitEl = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
    return { inView: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.width > 0,
      hit: !!hitEl && h.contains(hitEl), width: document.querySelector('[data-testid="explanation"]').getBoundingClientRect().width,
      box: JSON.stringify(r), layout: document.querySelector('[data-testid="app"]').dataset.layout };
  })()`);
}

const CASES = [
  { side: 'right', width: 400, height: 700, layout: 'narrow' },
  { side: 'bottom', width: 800, height: 400, layout: 'wide' },
  { side: 'undocked', width: 1600, height: 900, layout: 'wide' },
] as const;

for (const c of CASES) {
  test(`${c.width}×${c.height} docked ${c.side}: one toolbar row, nothing clipped, the explanation reachable`, async ({ lab, browserWithDevtools }) => {
    const { context } = browserWithDevtools;
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${lab.url}/`);
    await page.evaluate((base) => new Promise((r) => { const w = new WebSocket(`${base}/ws/close?code=1011&reason=boom&after=20`); w.onclose = r; }), lab.wsBase);
    await page.evaluate((base) => { (window as unknown as { keep: WebSocket }).keep = new WebSocket(`${base}/ws/echo`); }, lab.wsBase);

    const devtools = await DevTools.forPage(context, page);
    await devtools.showPanel();
    const panel = await devtools.panel();
    const rows = await panel.waitForRows('the closed and the open socket', (rs) => rs.length === 2 && rs.some((r) => r.code === '1011'));
    const size = await devtools.sizePanel(panel, await pageTarget(page), c.side, c);
    expect(size).toEqual({ width: c.width, height: c.height });
    await until(`the ${c.layout} layout`, async () => (await panel.eval<string>(`document.querySelector('[data-testid="app"]').dataset.layout`)) === c.layout || undefined);

    checkToolbar(await measureToolbar(panel), `${c.width}×${c.height} ${c.side}`);
    // The toolbar's buttons keep a name and a tooltip when only their icon shows.
    const names = await panel.eval<{ id: string; label: string | null; title: string | null }[]>(
      `[...document.querySelectorAll('[data-testid="toolbar"] button')].map((b) => ({ id: b.dataset.testid ?? b.outerHTML.slice(0, 200), label: b.getAttribute('aria-label'), title: b.title }))`,
    );
    for (const n of names) {
      expect(n.label, `${n.id} aria-label`).toBeTruthy();
      expect(n.title, `${n.id} title`).toBeTruthy();
    }

    checkToolbar(await measureToolbar(panel, '.timeline-tools'), `${c.width}×${c.height} ${c.side} timeline tools`);
    const closed = rows.find((r) => r.code === '1011')!;
    const expl = await openExplanation(panel, closed.id);
    checkToolbar(await measureToolbar(panel, '[data-testid="detail"] .detail-head'), `${c.width}×${c.height} ${c.side} detail header`);
    expect(expl, JSON.stringify(expl)).toMatchObject({ inView: true, hit: true, layout: c.layout });
    // Beside or instead of the list, the explanation has room to be read.
    expect(expl.width).toBeGreaterThanOrEqual(Math.min(c.width - 2, 380));
    if (c.layout === 'narrow') {
      // It replaced the list; Escape goes back to the list, focus on the same row.
      const listShown = () => panel.eval<boolean>(`document.querySelector('[data-testid="connection-table"]').getBoundingClientRect().width > 0`);
      expect(await listShown()).toBe(false);
      await until('the back control focused', async () => (await panel.eval<string | null>(`document.activeElement?.dataset?.testid ?? null`)) === 'detail-back' || undefined);
      writeFileSync(artifactPath(`layout-${c.width}x${c.height}-${c.side}-detail.png`), await settled(devtools));
      await panel.eval(`document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))`);
      await until('the list again', async () => (await listShown()) && !(await panel.count('[data-testid="detail"]')));
      await until('focus on the list', async () => (await panel.eval<string | null>(`document.activeElement?.dataset?.testid ?? null`)) === 'connection-table' || undefined);
      expect(await panel.eval<string | null>(`document.querySelector('[data-testid="connection-row"].selected')?.dataset.connId ?? null`)).toBe(closed.id);
      // Enter opens it again from the keyboard.
      await panel.eval(`document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))`);
      await until('the detail from Enter', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="explanation-headline"]')`));
    } else {
      expect(await panel.eval<boolean>(`document.querySelector('[data-testid="connection-table"]').getBoundingClientRect().width > 0`)).toBe(true);
    }
    writeFileSync(artifactPath(`layout-${c.width}x${c.height}-${c.side}.png`), await settled(devtools));
    // In Japanese too: other words, other widths.
    await panel.eval(`(() => { const s = document.querySelector('[data-testid="language"]'); s.value = 'ja'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);
    await until('the Japanese texts', () => panel.eval<boolean>(`document.querySelector('[data-testid="app"]').lang === 'ja'`));
    checkToolbar(await measureToolbar(panel), `${c.width}×${c.height} ${c.side} ja`);
    checkToolbar(await measureToolbar(panel, '.timeline-tools'), `${c.width}×${c.height} ${c.side} ja timeline tools`);
    checkToolbar(await measureToolbar(panel, '[data-testid="detail"] .detail-head'), `${c.width}×${c.height} ${c.side} ja detail header`);
  });
}

/** A screenshot once the window has painted what the panel's DOM already holds. */
async function settled(devtools: DevTools): Promise<Buffer> {
  await new Promise((r) => setTimeout(r, 400));
  return devtools.screenshot();
}

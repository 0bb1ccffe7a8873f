// Fault injection in Firefox, from the viewer tab (Firefox's own DevTools panel cannot be driven
// from outside; the viewer is the same panel page): "Drop the link" shows the page a cut (close
// 1006, not clean, readyState 3) and "Server closes with 1011" a clean 1011, on live lab sockets,
// and the viewer explains both as injected.
import { expect, test } from '@playwright/test';
import type { Page } from 'puppeteer-core';
import { labAndFirefox, pressViewerShortcut, until, viewerPages } from './support.ts';

const env = labAndFirefox();

/** Opens a socket the page watches: what it saw goes to window.__seen[name]. */
function open(page: Page, name: string, url: string): Promise<void> {
  return page.evaluate((n, u) => new Promise<void>((opened) => {
    const w = window as unknown as { __seen: Record<string, string[]>; __socks: Record<string, WebSocket> };
    w.__seen ??= {};
    w.__socks ??= {};
    const seen: string[] = (w.__seen[n] = []);
    const ws = (w.__socks[n] = new WebSocket(u));
    ws.addEventListener('open', () => opened());
    ws.addEventListener('error', () => seen.push('error'));
    ws.addEventListener('close', (e) => seen.push(`close ${e.code} ${e.wasClean} "${e.reason}" rs=${ws.readyState}`));
  }), name, url);
}

async function inject(viewer: Page, connId: string, action: string, fill?: () => Promise<void>): Promise<void> {
  await viewer.click(`[data-testid="connection-row"][data-conn-id="${connId}"]`);
  await viewer.waitForSelector('[data-testid="inject-menu"]:not([disabled])');
  await viewer.click('[data-testid="inject-menu"]');
  await viewer.waitForSelector(`[data-testid="inject-${action}"]`);
  await viewer.click(`[data-testid="inject-${action}"]`);
  const confirm = await viewer.$('[data-testid="fault-confirm-ok"]');
  if (confirm) await confirm.click();
  if (fill) {
    await viewer.waitForSelector('[data-testid="fault-dialog"]');
    await fill();
    await viewer.click('[data-testid="fault-apply"]');
  }
}

test('drop the link and a server close 1011, injected from the viewer tab', async () => {
  const ff = await env.launch();
  const page = await ff.browser.newPage();
  await page.goto(`${env.lab.url}/`);
  await open(page, 'drop', `${env.lab.wsBase}/ws/echo?interval=100&tag=drop`);
  await open(page, 'close', `${env.lab.wsBase}/ws/echo?tag=close`);
  await pressViewerShortcut(page);
  const [viewer] = await until('the viewer tab', async () => {
    const v = await viewerPages(ff.browser);
    return v.length ? v : undefined;
  });
  const v = viewer!.page;
  const rows = await until('both sockets in the viewer', async () => {
    const r = await v.$$eval('[data-testid="connection-row"]', (els) => els.map((el) => ({ id: (el as HTMLElement).dataset.connId ?? '', url: (el as HTMLElement).dataset.url ?? '' })));
    return r.some((x) => x.url.includes('tag=drop')) && r.some((x) => x.url.includes('tag=close')) ? r : undefined;
  });
  const id = (t: string) => rows.find((r) => r.url.includes(t))!.id;

  await inject(v, id('tag=drop'), 'drop');
  await inject(v, id('tag=close'), 'close', async () => {
    await v.click('[data-testid="code-preset-1011"]');
    await v.type('[data-testid="fault-reason"]', 'boom');
  });
  const seen = await until('the page to see both ends', async () => {
    const s = await page.evaluate(() => (window as unknown as { __seen: Record<string, string[]> }).__seen);
    return s['drop']!.length && s['close']!.length ? s : undefined;
  }, 10_000);
  // Firefox, like Chromium, fires no error before the 1006 of a socket that had opened (docs/firefox.md).
  expect(seen['drop']).toEqual(['close 1006 false "" rs=3']);
  expect(seen['close']).toEqual(['close 1011 true "boom" rs=3']);

  for (const [t, code] of [['tag=drop', '1006'], ['tag=close', '1011']] as const) {
    await v.click(`[data-testid="connection-row"][data-conn-id="${id(t)}"]`);
    const h = await until(`the explanation of ${t}`, async () => {
      const x = await v.$eval('[data-testid="explanation-headline"]', (el) => ({ category: (el as HTMLElement).dataset.category, text: el.textContent ?? '' })).catch(() => undefined);
      return x?.category === 'injected' ? x : undefined;
    });
    expect(h.text).toContain(code === '1006' ? 'You dropped this link from the panel' : '1011');
  }
});

// The package's own Playwright suite, run in a fresh project against the lab by
// scripts/package-test.ts, which then checks Playwright's JSON report. Three of these tests fail
// on purpose; the script knows which and why.
import { expect, test } from 'socket-autopsy/playwright';

const LAB = process.env.LAB_URL!;

type Outcome = { code?: number | null; opened?: boolean };

/** Runs one of the lab page's scenarios (lab/public/lab.js) and returns what the page saw. */
async function scenario(page: import('@playwright/test').Page, name: string): Promise<Outcome> {
  await page.goto(`${LAB}/`);
  await page.waitForFunction(() => typeof (window as unknown as { __lab?: unknown }).__lab === 'object');
  return page.evaluate((n) => (window as unknown as { __lab: { run(n: string): Promise<Outcome> } }).__lab.run(n), name);
}

test.describe('with failOn abnormal and server-error', () => {
  test.use({ socketAutopsy: { failOn: ['abnormal', 'server-error'] } });

  test('clean sockets pass', async ({ page }) => {
    const r = await scenario(page, 'client-close');
    expect(r.code).toBe(1000);
    await expect(page).toHaveNoAbnormalSockets();
  });
});

test('a failing test carries the diagnosis', async ({ page }) => {
  const error = await scenario(page, 'server-error');
  const cut = await scenario(page, 'destroy');
  expect([error.code, cut.code]).toEqual([1011, 1006]);
  // Fails on purpose: the report must then hold sockets.md and sockets.har.
  await expect(page).toHaveNoAbnormalSockets();
});

test.describe('with failOn server-error', () => {
  test.use({ socketAutopsy: { failOn: 'server-error' } });

  test('failOn fails a test that passed', async ({ page }) => {
    const r = await scenario(page, 'server-error');
    expect(r.code).toBe(1011);
  });
});

test.describe('always attached', () => {
  test.use({ socketAutopsy: { attach: 'always' } });

  test('a thousand sockets, and the page closed at once', async ({ page }) => {
    await page.goto(`${LAB}/`);
    const wsBase = LAB.replace(/^http/, 'ws');
    // In rounds of 200: Chromium refuses a renderer's sockets past 255 at a time.
    const opened = await page.evaluate(async (base) => {
      let n = 0;
      for (let round = 0; round < 5; round++) {
        const all = await Promise.all(
          Array.from({ length: 200 }, () => new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(`${base}/ws/echo`);
            ws.onopen = () => resolve(ws);
            ws.onerror = () => reject(new Error('socket failed'));
          })),
        );
        n += all.length;
        await Promise.all(all.map((ws) => new Promise((closed) => {
          ws.onclose = closed;
          ws.close(1000, 'done');
        })));
      }
      return n;
    }, wsBase);
    expect(opened).toBe(1000);
    // Closed before the hook's last batches are answered: what left the page must still count.
    await page.close();
  });
});

test('a test that throws mid-capture keeps its own error', async ({ page }) => {
  await page.goto(`${LAB}/`);
  await page.evaluate((base) => {
    (window as unknown as { held: WebSocket }).held = new WebSocket(`${base}/ws/echo`);
  }, LAB.replace(/^http/, 'ws'));
  await page.waitForFunction(() => (window as unknown as { held: WebSocket }).held.readyState === 1);
  throw new Error('the app crashed');
});

// withSocketAutopsy() on a suite's own `test` (with a fixture of its own), as a team that already
// extends Playwright's test would use it.
import { test as base } from '@playwright/test';
import { expect, withSocketAutopsy } from 'socket-autopsy/playwright';

const test = withSocketAutopsy(base.extend<{ labUrl: string }>({ labUrl: process.env.LAB_URL! }), { failOn: ['abnormal'], attach: 'always' });

test('own fixtures keep working beside the capture', async ({ page, labUrl }) => {
  await page.goto(`${labUrl}/`);
  const code = await page.evaluate((url) => new Promise<number>((done) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/echo`);
    ws.onopen = () => ws.close(1000, 'bye');
    ws.onclose = (e) => done(e.code);
  }), labUrl);
  expect(code).toBe(1000);
  await expect(page).toHaveNoAbnormalSockets();
});

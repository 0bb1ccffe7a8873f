// The hook must be invisible: the same probe script runs in a browser without the extension
// and in one with it, and every observation must match.
import { expect, test } from './support/fixtures.ts';
import { launchWithExtension } from './support/browser.ts';

async function runProbe(url: string, extension: boolean): Promise<{ report: Record<string, unknown>; hooked: boolean }> {
  const b = await launchWithExtension({ extension });
  try {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    await page.goto(url);
    const report = await page.evaluate(() => (window as unknown as { __probe: Promise<Record<string, unknown>> }).__probe);
    // Proof that the hook really ran in the extension run (so equality is not vacuous).
    const hooked = await page.evaluate(() => Object.getOwnPropertySymbols(window).some((s) => String(s).includes(':installed')));
    return { report, hooked };
  } finally {
    await b.close();
  }
}

test('page code cannot tell the hook is there', async ({ lab }) => {
  const url = `${lab.url}/probe/transparency.html`;
  const without = await runProbe(url, false);
  const withExt = await runProbe(url, true);
  expect(without.report.failed).toBeUndefined();
  expect(without.hooked).toBe(false);
  expect(withExt.hooked).toBe(true);
  // Field by field first, for a readable failure, then the whole report.
  for (const key of Object.keys(without.report)) {
    expect.soft(withExt.report[key], key).toEqual(without.report[key]);
  }
  expect(withExt.report).toEqual(without.report);
  // Sanity of the probe itself: it did observe the things it claims to compare.
  expect(without.report.instanceOf).toBe(true);
  expect(without.report.closeBadCode1005).toMatch(/^InvalidAccessError/);
  expect(without.report.closeLongReason).toMatch(/^SyntaxError/);
  expect(without.report.windowMessages).toBe(0);
});

// Launches the system Chromium for a benchmark: with a given extension build (or none), and
// with DevTools opened for each tab when asked. Same flags as the e2e launcher
// (e2e/support/browser.ts), whose extension folder is fixed to dist/chrome.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { chromiumPath } from '../../e2e/support/browser.ts';

export interface Bench {
  context: BrowserContext;
  page: Page;
  /** A browser-level CDP session (targets, SystemInfo). */
  cdp: CDPSession;
  close(): Promise<void>;
}

export async function launch(opts: { extension?: string; devtools?: boolean }): Promise<Bench> {
  const profile = mkdtempSync(join(tmpdir(), 'sa-bench-profile-'));
  const args = [
    '--no-sandbox',
    '--no-first-run',
    '--disable-sync',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-gpu',
    '--window-size=1280,900',
  ];
  if (opts.extension) args.push(`--disable-extensions-except=${opts.extension}`, `--load-extension=${opts.extension}`);
  if (opts.devtools) args.push('--auto-open-devtools-for-tabs');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.browser()!.newBrowserCDPSession();
    return {
      context,
      page,
      cdp,
      async close() {
        await context.close().catch(() => undefined);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

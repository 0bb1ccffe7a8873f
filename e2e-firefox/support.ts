// Launches the system Firefox ESR with our Firefox build installed, through puppeteer-core
// (WebDriver BiDi). Playwright's Firefox needs its own patched build, which cannot be installed
// from the machines we test on (CONTRIBUTING.md, Set-up); puppeteer drives a stock Firefox.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from '@playwright/test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startLab, type Lab, type LabOptions } from '../lab/server.ts';
import { GECKO_ID } from '../scripts/manifest-for.ts';
import { systemBinary, until } from '../e2e/support/wait.ts';

export const FIREFOX_EXTENSION_DIR = resolve(import.meta.dirname, '../dist/firefox');
export const ARTIFACTS = resolve(import.meta.dirname, '../e2e/artifacts');

/**
 * A moz-extension:// origin is a random UUID per profile. The `extensions.webextensions.uuids`
 * pref (a JSON map from add-on id to UUID) fixes it, so the test knows the viewer's address.
 */
export const EXTENSION_UUID = '5a0c7e2d-4b1f-4e8a-9c3d-2f6b8a1e7d40';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
export const VIEWER_PREFIX = `${EXTENSION_ORIGIN}/src/panel/panel.html?tab=`;

export function firefoxPath(): string {
  return systemBinary('FIREFOX_PATH', ['firefox-esr', 'firefox'], 'apt-get install -y firefox-esr');
}

export interface LaunchedFirefox {
  browser: Browser;
  extensionId: string;
  close(): Promise<void>;
}

export async function launchFirefox(opts: { prefs?: Record<string, unknown> } = {}): Promise<LaunchedFirefox> {
  if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No build at ${FIREFOX_EXTENSION_DIR}: run npm run build first.`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    enableExtensions: true,
    // SA_DUMPIO=1 shows Firefox's own output: content-script errors appear there, not in the page.
    dumpio: process.env.SA_DUMPIO === '1',
    defaultViewport: { width: 1280, height: 900 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      ...opts.prefs,
    },
  });
  try {
    // Installed over BiDi as a temporary add-on; the id is the manifest's gecko id.
    const extensionId = await browser.installExtension(FIREFOX_EXTENSION_DIR);
    if (extensionId !== GECKO_ID) throw new Error(`installed as ${extensionId}, expected ${GECKO_ID}: the UUID pref would not apply`);
    return {
      browser,
      extensionId,
      async close() {
        await browser.close().catch(() => undefined);
      },
    };
  } catch (err) {
    await browser.close().catch(() => undefined);
    throw err;
  }
}

export { until };

export interface LabResult {
  code: number | null;
  reason: string;
  wasClean: boolean;
  opened: boolean;
  error: boolean;
  failed?: string;
}

/** Waits until the lab page has an outcome for each named scenario. */
export async function labResults(page: Page, names: string[], timeoutMs = 20_000): Promise<Record<string, LabResult>> {
  return until(
    `lab results for ${names.join(', ')}`,
    async () => {
      const r = await page.evaluate(() => (window as unknown as { __lab?: { results: Record<string, unknown> } }).__lab?.results ?? {});
      return names.every((n) => n in r) ? (r as Record<string, LabResult>) : undefined;
    },
    timeoutMs,
  );
}

/**
 * Tabs showing the viewer. Found by each page's own `location.href`: puppeteer's `page.url()`
 * (from WebDriver BiDi's navigation events) stays "about:blank" for a tab that the add-on opened
 * on a moz-extension:// page (seen with Firefox ESR 153 and puppeteer-core 25.16).
 */
export async function viewerPages(browser: Browser): Promise<Array<{ page: Page; href: string }>> {
  const found: Array<{ page: Page; href: string }> = [];
  for (const page of await browser.pages()) {
    const href = await page.evaluate(() => location.href).catch(() => '');
    if (href.startsWith(VIEWER_PREFIX)) found.push({ page, href });
  }
  return found;
}

/** The user's own key press (BiDi input actions are trusted events, unlike dispatchEvent). */
export async function pressViewerShortcut(page: Page): Promise<void> {
  await page.keyboard.down('Alt');
  await page.keyboard.down('Shift');
  await page.keyboard.press('KeyK');
  await page.keyboard.up('Shift');
  await page.keyboard.up('Alt');
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/**
 * One lab for the spec's tests (cut idle sockets after 2.5 s, as the Chromium specs' lab) and one
 * Firefox per test, always closed after it, even when the test failed.
 */
export function labAndFirefox(labOpts: LabOptions = { idleMs: 2500 }): {
  readonly lab: Lab;
  launch(opts?: Parameters<typeof launchFirefox>[0]): Promise<LaunchedFirefox>;
} {
  let lab: Lab | undefined;
  let ff: LaunchedFirefox | undefined;
  test.beforeAll(async () => {
    lab = await startLab(labOpts);
  });
  test.afterAll(async () => {
    await lab?.close();
  });
  test.afterEach(async () => {
    await ff?.close();
    ff = undefined;
  });
  return {
    get lab(): Lab {
      if (!lab) throw new Error('the lab starts in beforeAll');
      return lab;
    },
    async launch(opts) {
      ff = await launchFirefox(opts);
      return ff;
    },
  };
}

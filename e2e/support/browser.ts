// Launches the system Chromium with our unpacked build loaded. Playwright's own browser
// downloads cannot work here (no network but the package registries): CHROMIUM_PATH or `which chromium` is used instead,
// and a missing browser fails loudly rather than skipping.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { systemBinary } from './wait.ts';

export const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist/chrome');
export const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');

export function chromiumPath(): string {
  return systemBinary('CHROMIUM_PATH', ['chromium', 'chromium-browser', 'google-chrome'], 'apt-get install -y chromium');
}

export interface Launched {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchWithExtension(
  opts: { devtools?: boolean; extension?: boolean; headless?: boolean; bfcache?: boolean; args?: string[] } = {},
): Promise<Launched> {
  if (opts.extension !== false && !existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No build at ${EXTENSION_DIR}: run npm run build first.`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'sa-profile-'));
  const args = [
    '--no-sandbox',
    '--no-first-run',
    '--disable-sync',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-gpu',
    '--window-size=1280,900',
  ];
  if (opts.extension !== false) args.push(`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`);
  if (opts.devtools) args.push('--auto-open-devtools-for-tabs');
  if (opts.args) args.push(...opts.args);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: opts.headless ?? true,
    args,
    // Playwright switches the back/forward cache off by default (--disable-back-forward-cache,
    // "Avoids surprises like main request not being intercepted during page.goBack()"); a
    // bfcache test needs the browser's normal behaviour (NotRestoredReason
    // BackForwardCacheDisabledByCommandLine otherwise).
    ...(opts.bfcache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

// The page hook's bundle for the fixture: the extension's own hook (src/page-hook/hook.iife.ts),
// built by scripts/build-lib.mjs into lib/page-hook.iife.js with a placeholder for its channel
// name. Each context gets a fresh random name in its place, as each extension build does
// (vite.config.ts), so a page cannot guess it from the package.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What scripts/build-lib.mjs defines __SA_CHANNEL__ as; replaced here before injection. */
export const CHANNEL_PLACEHOLDER = 'sa-fixture-channel-placeholder';

const CANDIDATES = [
  // lib/playwright/hook-source.js → lib/page-hook.iife.js (the package)
  new URL('../page-hook.iife.js', import.meta.url),
  // src/playwright/hook-source.ts → lib/page-hook.iife.js (the repository, after npm run build:lib)
  new URL('../../lib/page-hook.iife.js', import.meta.url),
];

let cached: string | undefined;

function bundle(): string {
  if (cached !== undefined) return cached;
  for (const url of CANDIDATES) {
    let text: string;
    try {
      text = readFileSync(url, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes(CHANNEL_PLACEHOLDER)) throw new Error(`socket-autopsy: ${url.pathname} has no channel placeholder; rebuild it with npm run build:lib`);
    cached = text;
    return text;
  }
  throw new Error(`socket-autopsy: the page hook bundle is missing (looked for ${CANDIDATES.map((u) => u.pathname).join(', ')}); in the repository, run npm run build:lib`);
}

/** The hook's source for one context, on a channel of its own, and that channel's name. */
export function hookSource(): { source: string; channel: string } {
  const channel = `sa-${randomBytes(6).toString('hex')}`;
  return { source: bundle().replaceAll(CHANNEL_PLACEHOLDER, channel), channel };
}

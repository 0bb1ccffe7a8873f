// The private event name of the current build, read from the built hook: a test plays a
// hostile page that somehow learned it (the worst case for forged events).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_DIR } from './browser.ts';

export function buildChannel(): string {
  const hook = readFileSync(join(EXTENSION_DIR, 'src/page-hook/hook.iife.js'), 'utf8');
  const m = /sa-[0-9a-f]{12}/.exec(hook);
  if (!m) throw new Error('channel name not found in the built hook');
  return m[0];
}

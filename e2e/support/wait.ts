// Polling helpers shared by the Chromium and Firefox e2e suites (no browser imports here).
import { execFileSync } from 'node:child_process';

/** Polls `fn` until it returns something other than undefined/false, or fails with `what`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The system binary to test with: `$envVar` if set, else the first of `names` on PATH. A
 * missing browser fails loudly (tests must not skip under CI). */
export function systemBinary(envVar: string, names: readonly string[], install: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) return fromEnv;
  for (const name of names) {
    try {
      const p = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (p) return p;
    } catch {
      // try the next name
    }
  }
  throw new Error(`No ${names[0]} found: install it (${install}) or set ${envVar}.`);
}

// The extension builds the benchmarks load. `npm run bench` builds its own copies (never
// dist/, which the e2e tests of a concurrent run may be loading): the normal build, on which
// every overhead figure is measured, and a debug build (SA_DEBUG=1) that only adds
// `window.__saPanelStore` / `globalThis.__saStore`, which the panel benchmarks read to know
// when a message reached the panel's store; and the floor build (SA_FLOOR=1), whose hook sees
// each message and returns at once, which the page benchmark measures beside the normal one.
// Built once per process.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const outRoot = join(tmpdir(), `socket-autopsy-bench-${process.pid}`);
const builds = new Map<string, Promise<string>>();

export type Flavour = 'normal' | 'debug' | 'unminified' | 'floor' | 'firefox' | 'firefox-hook-traps';

/**
 * Builds the extension (once per flavour and process) and returns its folder: Chrome's, or for
 * the two Firefox flavours Firefox's, the second with its traps left in the hook's world
 * (SA_HOOK_TRAPS=1), which the Firefox page benchmark measures beside the shipped one.
 */
export function extensionBuild(flavour: Flavour): Promise<string> {
  let p = builds.get(flavour);
  if (!p) {
    const outDir = join(outRoot, flavour);
    p = promisify(execFile)(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: root,
      env: {
        ...process.env,
        SA_TARGET: flavour.startsWith('firefox') ? 'firefox' : 'chrome',
        SA_DEBUG: flavour === 'debug' ? '1' : '0',
        SA_MINIFY: flavour === 'unminified' ? '0' : '1',
        SA_FLOOR: flavour === 'floor' ? '1' : '0',
        SA_HOOK_TRAPS: flavour === 'firefox-hook-traps' ? '1' : '0',
      },
      maxBuffer: 16 << 20,
    }).then(() => {
      if (!existsSync(join(outDir, 'manifest.json'))) throw new Error(`bench: no build in ${outDir}`);
      return outDir;
    });
    builds.set(flavour, p);
  }
  return p;
}

export const buildRoot = outRoot;

import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };
import { manifestFor, type Target } from './scripts/manifest-for.ts';
import { noInnerHtmlSink } from './scripts/no-inner-html-sink.ts';
import { workerHook } from './scripts/worker-hook.ts';

// One manifest source for every browser; the target only changes the output folder and the
// manifest keys a browser needs (scripts/manifest-for.ts), never the code.
const target: Target = process.env.SA_TARGET === 'firefox' ? 'firefox' : 'chrome';

// The page hook and the relay talk through a CustomEvent on the page's window. A name that
// changes with every build cannot be guessed from our public source, which makes forging our
// traffic harder (the relay still validates everything, so this is depth, not the defence).
const channel = process.env.SA_CHANNEL ?? `sa-${randomBytes(6).toString('hex')}`;

const define = {
  __SA_CHANNEL__: JSON.stringify(channel),
  __SA_VERSION__: JSON.stringify(pkg.version),
  __SA_DEBUG__: JSON.stringify(process.env.SA_DEBUG === '1'),
  __SA_WEB__: 'false',
  // The page benchmark's floor build (bench/support/build.ts): the hook sees each message and
  // returns at once. False in every shipped build, where the minifier drops the branch.
  __SA_FLOOR__: JSON.stringify(process.env.SA_FLOOR === '1'),
  // The Firefox page benchmark's comparison build (bench/firefox-page.bench.ts): the relay does not
  // offer its isolated-world traps, so they run in the hook's world, as in Chromium. False in
  // every shipped build.
  __SA_HOOK_TRAPS__: JSON.stringify(process.env.SA_HOOK_TRAPS === '1'),
};
const minify = process.env.SA_MINIFY !== '0';

export default defineConfig({
  define,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // crxjs' `browser: 'firefox'` keeps `background.scripts` (it would otherwise write a
  // service_worker entry) and drops Chrome's `use_dynamic_url` from web-accessible resources.
  plugins: [noInnerHtmlSink(), workerHook(define, minify), crx({ manifest: manifestFor(manifest, target, pkg.version) as ManifestV3Export, browser: target })],
  build: {
    outDir: `dist/${target}`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Readable function names in CPU profiles (bench/profile-page.ts); shipped builds are minified.
    minify,
    rollupOptions: {
      input: {
        panel: resolve(import.meta.dirname, 'src/panel/panel.html'),
      },
    },
  },
});

import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import manifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };
import { manifestFor, type Target } from './scripts/manifest-for.ts';

// One manifest source for every browser; the target only changes the output folder and the
// manifest keys a browser needs (scripts/manifest-for.ts), never the code.
const target: Target = process.env.SA_TARGET === 'firefox' ? 'firefox' : 'chrome';

// The page hook and the relay talk through a CustomEvent on the page's window. A name that
// changes with every build cannot be guessed from our public source, which makes forging our
// traffic harder (the relay still validates everything, so this is depth, not the defence).
const channel = process.env.SA_CHANNEL ?? `sa-${randomBytes(6).toString('hex')}`;

/**
 * Removes the one `innerHTML` sink in the bundle: Preact's handling of
 * `dangerouslySetInnerHTML`. We never use that prop (scripts/lint.mjs forbids it: captured data
 * is rendered as text only), yet the setter ships inside Preact, and addons-linter (web-ext lint,
 * AMO review) flags every `x.innerHTML = <variable>` with UNSAFE_VAR_ASSIGNMENT whether it is
 * reachable or not. Replacing it with a throw keeps the rule true at run time too. Both browsers
 * get the same bundle. A Preact upgrade that changes the shape fails the build here, loudly.
 */
function noInnerHtmlSink(): Plugin {
  const file = /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs$/;
  const sink = /\((\w+)\.innerHTML=(\w+)\.__html\)/g;
  return {
    name: 'socket-autopsy:no-inner-html-sink',
    enforce: 'pre',
    transform(code, id) {
      if (!file.test(id.split('?')[0] ?? id)) return null;
      const found = code.match(sink)?.length ?? 0;
      if (found !== 1) this.error(`expected 1 innerHTML sink in ${id}, found ${found}: update noInnerHtmlSink`);
      return {
        code: code.replace(sink, '(()=>{throw new TypeError("dangerouslySetInnerHTML is not allowed in Socket Autopsy")})()'),
        map: null,
      };
    },
  };
}

export default defineConfig({
  define: {
    __SA_CHANNEL__: JSON.stringify(channel),
    __SA_VERSION__: JSON.stringify(pkg.version),
    __SA_DEBUG__: JSON.stringify(process.env.SA_DEBUG === '1'),
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // crxjs' `browser: 'firefox'` keeps `background.scripts` (it would otherwise write a
  // service_worker entry) and drops Chrome's `use_dynamic_url` from web-accessible resources.
  plugins: [noInnerHtmlSink(), crx({ manifest: manifestFor(manifest, target, pkg.version) as ManifestV3Export, browser: target })],
  build: {
    outDir: `dist/${target}`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Readable function names in CPU profiles (bench/profile-page.ts); shipped builds are minified.
    minify: process.env.SA_MINIFY !== '0',
    rollupOptions: {
      input: {
        panel: resolve(import.meta.dirname, 'src/panel/panel.html'),
      },
    },
  },
});

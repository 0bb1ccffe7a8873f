import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };

// One manifest source for every browser; the target only changes the output folder and the
// keys a browser needs at build time (the Firefox variant comes with its own issue).
const target = process.env.SA_TARGET === 'firefox' ? 'firefox' : 'chrome';

// The page hook and the relay talk through a CustomEvent on the page's window. A name that
// changes with every build cannot be guessed from our public source, which makes forging our
// traffic harder (the relay still validates everything, so this is depth, not the defence).
const channel = process.env.SA_CHANNEL ?? `sa-${randomBytes(6).toString('hex')}`;

export default defineConfig({
  define: {
    __SA_CHANNEL__: JSON.stringify(channel),
    __SA_VERSION__: JSON.stringify(pkg.version),
    __SA_DEBUG__: JSON.stringify(process.env.SA_DEBUG === '1'),
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [crx({ manifest: { ...manifest, version: pkg.version } as ManifestV3Export, browser: target })],
  build: {
    outDir: `dist/${target}`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: {
      input: {
        panel: resolve(import.meta.dirname, 'src/panel/panel.html'),
      },
    },
  },
});

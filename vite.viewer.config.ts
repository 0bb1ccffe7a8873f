import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { noInnerHtmlSink } from './scripts/no-inner-html-sink.ts';

// The standalone viewer as a plain web page (dist/viewer/): the panel without the extension.
// host.ts finds no DevTools and no tab, so the page shows files only (picker, drag and drop,
// or ?har=<url>). Relative asset paths (`base: './'`) let it be served from any folder, as
// `socket-autopsy view` does and as a published copy would be.

/**
 * The page is the panel's panel.html; a web server looks for index.html. A browser tab also
 * asks for an icon (a DevTools panel does not): the extension's, linked so it is not a 404.
 */
function asIndexHtml(): Plugin {
  return {
    name: 'socket-autopsy:viewer-index',
    transformIndexHtml: (html) => html.replace('</head>', '  <link rel="icon" href="./icon-32.png" />\n  </head>'),
    // After Vite's own HTML plugin, which emits the page in its generateBundle.
    enforce: 'post',
    generateBundle(_options, bundle) {
      const page = bundle['panel.html'];
      if (!page) this.error('panel.html was not emitted: update asIndexHtml');
      page.fileName = 'index.html';
      this.emitFile({ type: 'asset', fileName: 'icon-32.png', source: readFileSync(resolve(import.meta.dirname, 'public/icons/icon-32.png')) });
    },
  };
}

export default defineConfig({
  root: resolve(import.meta.dirname, 'src/panel'),
  base: './',
  publicDir: false,
  define: {
    // No page hook in a web page: the channel name is never used there.
    __SA_CHANNEL__: JSON.stringify('sa-viewer'),
    __SA_VERSION__: JSON.stringify(pkg.version),
    __SA_DEBUG__: 'false',
    __SA_WEB__: 'true',
    __SA_FLOOR__: 'false',
    __SA_HOOK_TRAPS__: 'false',
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [noInnerHtmlSink(), asIndexHtml()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/viewer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: { input: { panel: resolve(import.meta.dirname, 'src/panel/panel.html') } },
  },
});

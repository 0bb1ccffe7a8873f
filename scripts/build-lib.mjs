// npm run build:lib: the npm package's contents in lib/ (git-ignored).
// 1. tsc -p tsconfig.lib.json: src/core, src/cli, the Playwright fixture and the package entry as
//    ESM JavaScript with declarations. TypeScript rewrites `.ts` import specifiers in the
//    JavaScript (rewriteRelativeImportExtensions) but leaves them in the .d.ts files, where a
//    consumer's TypeScript would look for .ts sources the package does not ship: they are
//    rewritten to `.js` here, which TypeScript maps to the .d.ts beside it.
// 2. The page hook (src/page-hook/hook.iife.ts, what the extension injects) as one
//    self-contained IIFE for the fixture, its channel name a placeholder that the fixture replaces
//    per browser context (src/playwright/hook-source.ts).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const lib = join(root, 'lib');
// Keep in step with CHANNEL_PLACEHOLDER in src/playwright/hook-source.ts.
const PLACEHOLDER = 'sa-fixture-channel-placeholder';

rmSync(lib, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.lib.json')], { stdio: 'inherit' });

const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
const SPEC = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g;
let rewritten = 0;
for (const f of walk(lib)) {
  if (!f.endsWith('.d.ts')) continue;
  const text = readFileSync(f, 'utf8');
  const out = text.replace(SPEC, (_, a, p, b) => `${a}${p}.js${b}`);
  if (out !== text) {
    writeFileSync(f, out);
    rewritten++;
  }
}
for (const f of walk(lib)) {
  if (!f.endsWith('.js')) continue;
  // A `.ts` specifier left in the JavaScript would fail at run time in the user's Node.
  if (/from\s*['"]\.{1,2}\/[^'"]+\.ts['"]/.test(readFileSync(f, 'utf8'))) throw new Error(`${f}: a .ts import survived the build`);
}

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  define: {
    __SA_CHANNEL__: JSON.stringify(PLACEHOLDER),
    __SA_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
    __SA_DEBUG__: 'false',
    __SA_FLOOR__: 'false',
    __SA_HOOK_TRAPS__: 'false',
  },
  build: {
    outDir: lib,
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: join(root, 'src/page-hook/hook.iife.ts'),
      formats: ['iife'],
      name: 'socketAutopsyHook',
      fileName: () => 'page-hook.iife.js',
    },
  },
});

// 3. The standalone viewer as a plain web page, for `socket-autopsy view` from the package
//    (src/cli/package-root.ts looks for lib/viewer/).
await build({ configFile: join(root, 'vite.viewer.config.ts'), logLevel: 'warn', build: { outDir: join(lib, 'viewer'), emptyOutDir: true } });

const hook = readFileSync(join(lib, 'page-hook.iife.js'), 'utf8');
// The hook must leave no global behind (README, Architecture: invisible to the page) and must
// carry the placeholder the fixture replaces.
if (/^\s*var\s/.test(hook)) throw new Error('lib/page-hook.iife.js declares a global');
if (!hook.includes(PLACEHOLDER)) throw new Error('lib/page-hook.iife.js lacks the channel placeholder');
console.log(`lib/: ${walk(lib).length} files (${rewritten} declaration files rewritten), page hook ${(hook.length / 1024).toFixed(1)} KiB`);

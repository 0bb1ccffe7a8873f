// A Vite plugin for the extension's build (vite.config.ts): `virtual:worker-hook` is the worker
// build of the page hook (src/page-hook/worker.iife.ts), bundled as one self-contained IIFE and
// exported as a string. Deep capture (src/background/deep.ts) evaluates it in each worker through
// Chrome's debugger; shipping it inside the background's own bundle needs no web-accessible file
// and no fetch of one.
import { resolve } from 'node:path';
import { build, type Plugin, type Rollup } from 'vite';

const ID = 'virtual:worker-hook';
const RESOLVED = `\0${ID}`;

export function workerHook(define: Record<string, string>, minify: boolean): Plugin {
  const root = resolve(import.meta.dirname, '..');
  return {
    name: 'socket-autopsy:worker-hook',
    resolveId(id) {
      return id === ID ? RESOLVED : null;
    },
    async load(id) {
      if (id !== RESOLVED) return null;
      const entry = resolve(root, 'src/page-hook/worker.iife.ts');
      const out = (await build({
        configFile: false,
        root,
        logLevel: 'warn',
        define,
        build: {
          write: false,
          target: 'es2022',
          minify,
          sourcemap: false,
          copyPublicDir: false,
          lib: { entry, formats: ['iife'], name: 'socketAutopsyWorkerHook', fileName: () => 'worker-hook.js' },
        },
      })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
      const chunk = (Array.isArray(out) ? out[0] : out)?.output.find((o): o is Rollup.OutputChunk => o.type === 'chunk');
      if (!chunk) throw new Error('worker hook: no bundle');
      // The hook must leave no global behind in the worker (as the page hook, scripts/build-lib.mjs).
      const code = chunk.code.replace(/^\s*var\s+socketAutopsyWorkerHook\s*=\s*/, '');
      if (/^\s*var\s/.test(code)) throw new Error('worker hook declares a global');
      this.addWatchFile(entry);
      return `export default ${JSON.stringify(code)};`;
    },
  };
}

// The import graph of src/, from the files' own import and export-from statements, held to:
// - no cycles (type-only imports count: a cycle of types still means two modules that cannot
//   be read, tested or moved one without the other);
// - core and CLI code never import the extension's contexts (panel, background, content, page
//   hook, devtools page) nor the port adapter over chrome.runtime (src/messaging): core is shared
//   by all of them and the CLI runs in Node without them. The same holds for the npm package's
//   other Node code, the Playwright fixture (src/playwright/) and the package entry
//   (src/index.ts), which are compiled into the package without the extension (tsconfig.lib.json);
// - core and the CLI never import the fixture: it loads @playwright/test, a peer dependency
//   that a user of the CLI alone does not have;
// - the page hook's bundle (what it imports for values, followed through) never reaches valibot:
//   the hook runs in every page, and its size and start-up cost are paid by every page.
// Exported as a function for scripts/lint.mjs; runnable alone: node scripts/check-imports.mjs.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });

const IMPORT = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Every import of every file under src/: { file, spec, target (repo-relative or bare), typeOnly }. */
export function importGraph() {
  const edges = new Map();
  for (const abs of walk(join(root, 'src'))) {
    const file = relative(root, abs);
    const text = readFileSync(abs, 'utf8');
    const out = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[4] ?? m[5];
      const clause = m[3] ?? '';
      // `import type {…}` or `import { type A, type B }`: erased, no runtime edge.
      const typeOnly = Boolean(m[2]) || (/^\{[^}]*\}$/.test(clause.trim()) && clause.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type')));
      const target = spec.startsWith('.') ? relative(root, resolve(dirname(abs), spec)) : spec;
      out.push({ spec, target, typeOnly });
    }
    edges.set(file, out);
  }
  return edges;
}

const CONTEXTS = ['src/panel/', 'src/background/', 'src/content/', 'src/page-hook/', 'src/devtools/', 'src/messaging/'];
const HOOK = 'src/page-hook/hook.iife.ts';
/** What tsconfig.lib.json compiles into the npm package. */
const PACKAGED = ['src/core/', 'src/cli/', 'src/playwright/', 'src/index.ts'];

export function checkImports() {
  const graph = importGraph();
  const problems = [];

  for (const [file, imports] of graph) {
    for (const { spec, target } of imports) {
      if (spec.startsWith('.') && !existsSync(join(root, target))) problems.push(`${file}: imports ${spec}, which does not exist`);
      if (PACKAGED.some((p) => file.startsWith(p)) && CONTEXTS.some((c) => target.startsWith(c))) {
        problems.push(`${file}: imports ${target}; core, the CLI and the Playwright fixture must not depend on an extension context`);
      }
      if ((file.startsWith('src/core/') || file.startsWith('src/cli/')) && (target.startsWith('src/playwright/') || target.startsWith('@playwright/'))) {
        problems.push(`${file}: imports ${target}; core and the CLI must not load Playwright (an optional peer dependency)`);
      }
    }
  }

  // Cycles: depth-first search, each cycle reported once by its smallest rotation.
  const seen = new Set();
  const state = new Map(); // 1 on the stack, 2 done
  const stack = [];
  const visit = (f) => {
    state.set(f, 1);
    stack.push(f);
    for (const { target } of graph.get(f) ?? []) {
      if (!graph.has(target)) continue;
      if (state.get(target) === 1) {
        const cycle = stack.slice(stack.indexOf(target));
        const k = cycle.indexOf([...cycle].sort()[0]);
        const key = [...cycle.slice(k), ...cycle.slice(0, k)].join(' → ');
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(`import cycle: ${key} → ${cycle[k]}`);
        }
      } else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);

  // The hook's runtime closure.
  const reached = new Set([HOOK]);
  const queue = [HOOK];
  while (queue.length) {
    const f = queue.shift();
    for (const { target, typeOnly } of graph.get(f) ?? []) {
      if (typeOnly || reached.has(target)) continue;
      if (target === 'valibot') problems.push(`${f}: imports valibot, and the page hook (${HOOK}) bundles it`);
      reached.add(target);
      if (graph.has(target)) queue.push(target);
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkImports();
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log('imports: no cycles, no core or CLI import of an extension context, no valibot in the page hook');
}

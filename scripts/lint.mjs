// Architecture and safety rules that a type checker does not see. Each rule names why.
// (The purity of src/core is checked by the type checker itself: tsconfig.core.json.)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkImports } from './check-imports.mjs';

const root = new URL('..', import.meta.url).pathname;
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });

const rules = [
  {
    why: 'only the panel host and the devtools page touch chrome.devtools',
    applies: (f) => f.startsWith('src/') && !['src/panel/host.ts', 'src/devtools/devtools.ts'].includes(f),
    bad: /chrome\.devtools/,
  },
  {
    why: 'no eval or new Function anywhere in the extension (strict CSP, hostile data)',
    applies: (f) => f.startsWith('src/'),
    bad: /\beval\s*\(|new\s+Function\s*\(/,
  },
  {
    why: 'captured data is rendered as text only: no innerHTML / dangerouslySetInnerHTML',
    applies: (f) => f.startsWith('src/'),
    bad: /innerHTML|dangerouslySetInnerHTML|insertAdjacentHTML|document\.write/,
  },
  {
    why: 'the page hook must not post to the page (window.postMessage is visible to page listeners)',
    applies: (f) => f.startsWith('src/page-hook/'),
    bad: /postMessage\s*\(/,
  },
  {
    why: 'focused tests hide the rest of the suite',
    applies: (f) => f.startsWith('test/') || f.startsWith('e2e'),
    bad: /\b(it|test|describe)\.only\s*\(/,
  },
];

let failures = 0;
for (const abs of [...files(join(root, 'src')), ...files(join(root, 'test')), ...files(join(root, 'e2e')), ...files(join(root, 'e2e-firefox'))]) {
  const f = relative(root, abs);
  const lines = readFileSync(abs, 'utf8').split('\n');
  for (const rule of rules) {
    if (!rule.applies(f)) continue;
    lines.forEach((line, i) => {
      if (/^\s*(\*|\/\*)/.test(line)) return; // comment lines
      const code = line.replace(/\/\/.*$/, '');
      if (rule.bad.test(code)) {
        console.error(`${f}:${i + 1}: ${rule.why}\n    ${line.trim()}`);
        failures++;
      }
    });
  }
}
// Import graph: no cycles, core and CLI independent of the extension's contexts, no valibot in
// the page hook (scripts/check-imports.mjs says why).
for (const p of checkImports()) {
  console.error(`${p}`);
  failures++;
}

// A file past this many lines is read in parts by everyone; split it by what its parts are.
const MAX_LINES = 400;
// Files still over the bound while they are being split; empty when nothing is in flight: a file listed here that fits is reported too, so the list cannot rot.
const OVERSIZED_FOR_NOW = new Set([]);
for (const abs of files(join(root, 'src'))) {
  const f = relative(root, abs);
  const n = readFileSync(abs, 'utf8').split('\n').length - 1;
  if (n > MAX_LINES && !OVERSIZED_FOR_NOW.has(f)) {
    console.error(`${f}: ${n} lines; at most ${MAX_LINES} per file in src/ (split it by what its parts are)`);
    failures++;
  } else if (n <= MAX_LINES && OVERSIZED_FOR_NOW.has(f)) {
    console.error(`${f}: fits in ${MAX_LINES} lines now; remove it from OVERSIZED_FOR_NOW`);
    failures++;
  }
}

// Every committed text says things by what they are: a path outside the repository means
// nothing to a reader with a clone, and an issue or session number means nothing without the
// tracker or the chat it came from.
const textRules = [
  { why: 'a path outside the repository', bad: /\/work\/|\.\.\/shared\b|\/home\/\w|\/Users\/\w/ },
  { why: 'a document that is not in the repository (docs/facts.md, docs/architecture.md, CONTRIBUTING.md are)', bad: /\b(FACTS|DESIGN|TESTING|NOTES|TODO)\.md\b/ },
  { why: 'an issue, ticket or session number instead of what it is about', bad: /\b(issue|ticket|session|PR|pull request)\s+#?\d+\b/i },
];
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
for (const f of tracked) {
  if (f === 'scripts/lint.mjs' || f === 'package-lock.json') continue;
  let text;
  try {
    const buf = readFileSync(join(root, f));
    if (buf.includes(0)) continue; // binary
    text = buf.toString('utf8');
  } catch {
    continue; // deleted in the work tree
  }
  text.split('\n').forEach((line, i) => {
    for (const rule of textRules) {
      if (rule.bad.test(line)) {
        console.error(`${f}:${i + 1}: ${rule.why}\n    ${line.trim().slice(0, 160)}`);
        failures++;
      }
    }
  });
}

if (failures) {
  console.error(`\nlint: ${failures} problem(s)`);
  process.exit(1);
}
console.log('lint: architecture, import, size and wording rules hold');

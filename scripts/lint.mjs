// Architecture and safety rules that a type checker does not see. Each rule names why.
// (The purity of src/core is checked by the type checker itself: tsconfig.core.json.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

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
if (failures) {
  console.error(`\nlint: ${failures} problem(s)`);
  process.exit(1);
}
console.log('lint: architecture and safety rules hold');

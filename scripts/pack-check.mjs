// What the npm tarball holds, checked before it is made: `npm pack --dry-run --json` lists the
// files the `files` whitelist of package.json lets in (npm adds package.json, README and
// LICENSE itself); this fails when one is missing or something else got in (sources, tests, the
// extension's zips, the lab), and prints the size.
//
//   node scripts/pack-check.mjs             the whole check (after npm run build:lib)
//   node scripts/pack-check.mjs --lib-only  only that lib/ is built (the prepack hook: a bare
//                                           `npm pack` without a build fails with a clear message)
//
// Messages go to stderr: npm runs prepack inside `npm pack --json`, whose stdout must stay JSON.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'bin/socket-autopsy.mjs',
  'lib/index.js',
  'lib/index.d.ts',
  'lib/cli/report.js',
  'lib/playwright/index.js',
  'lib/playwright/index.d.ts',
  'lib/page-hook.iife.js',
];
// lib/ may also hold built web assets (a static viewer served by the CLI, say); never sources.
const ALLOWED = [/^lib\/.+\.(js|d\.ts|html|css|svg|png|json)$/, /^bin\/socket-autopsy\.mjs$/, /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/];
const FORBIDDEN = [/^src\//, /^test\//, /^dist\//, /^e2e/, /^lab\//, /^bench\//, /^scripts\//, /\.zip$/, /(^|\/)node_modules\//, /\.ts$/];
/** Far above today's size (~0.3 MB): a tarball past this has taken in something it should not. */
const MAX_PACKED = 2 * 1024 * 1024;

const fail = (why) => {
  console.error(`pack-check: ${why}`);
  process.exit(1);
};

const missingLib = REQUIRED.filter((f) => f.startsWith('lib/')).filter((f) => !existsSync(join(root, f)));
if (missingLib.length) fail(`lib/ is not built (missing ${missingLib.join(', ')}): run npm run build:lib`);
if (process.argv.includes('--lib-only')) process.exit(0);

const raw = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
let info;
try {
  info = JSON.parse(raw)[0];
} catch {
  fail(`npm pack --json printed no JSON:\n${raw.slice(0, 500)}`);
}
const files = info.files.map((f) => f.path);
const problems = [];
for (const f of REQUIRED) if (!files.includes(f)) problems.push(`missing: ${f}`);
for (const f of files) {
  if (FORBIDDEN.some((r) => r.test(f)) && !f.endsWith('.d.ts')) problems.push(`must not be packed: ${f}`);
  else if (!ALLOWED.some((r) => r.test(f))) problems.push(`not on the list of what the package holds: ${f}`);
}
if (info.size > MAX_PACKED) problems.push(`tarball of ${info.size} bytes exceeds ${MAX_PACKED}`);
if (problems.length) fail(`${info.filename}:\n  ${problems.join('\n  ')}`);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.error(`pack-check: ${info.filename}: ${files.length} files, ${kib(info.size)} packed, ${kib(info.unpackedSize)} unpacked`);

// Builds the Firefox zip twice from the same commit with the same channel name, each time in a
// fresh folder of its own (as a reviewer's machine would be), and compares the bytes. Exits 0
// when both zips are identical, 1 when they differ (and says which files), 2 on a usage error.
//
//   node scripts/reproduce-check.mjs [--commit REF] [--channel sa-…] [--expect SHA256] [--against ZIP]
//
// The source is `git archive` of the commit, so uncommitted changes are not built. The two
// builds share this checkout's node_modules (a symlink): what `npm ci` installed from
// package-lock.json. With a released zip's channel (its .build-info.json), --expect compares the
// rebuilt zip's sha256 with the released one's, and --against compares it file by file with a
// released package (a signed XPI's META-INF/ is ignored: the signature is added by AMO).
// docs/store/amo-review.md explains the rest.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readZip } from './zip.mjs';

const root = resolve(import.meta.dirname, '..');
let args;
try {
  ({ values: args } = parseArgs({
    options: { commit: { type: 'string', default: 'HEAD' }, channel: { type: 'string' }, expect: { type: 'string' }, against: { type: 'string' }, keep: { type: 'boolean' } },
  }));
} catch (err) {
  console.error(String(err instanceof Error ? err.message : err));
  process.exit(2);
}
const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
const commit = git('rev-parse', '--verify', `${args.commit}^{commit}`);
const channel = args.channel ?? `sa-${randomBytes(6).toString('hex')}`;
const { version } = JSON.parse(git('show', `${commit}:package.json`));
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function build(label) {
  const dir = mkdtempSync(join(tmpdir(), `sa-reproduce-${label}-`));
  execFileSync('sh', ['-c', `git -C "${root}" archive --format=tar "${commit}" | tar -x -C "${dir}"`]);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Only what the build reads from the environment is set; everything else is inherited as a
  // reviewer's shell would have it.
  const env = { ...process.env, SA_TARGET: 'firefox', SA_CHANNEL: channel, SA_COMMIT: commit };
  delete env.SA_DEBUG;
  delete env.SA_MINIFY;
  execFileSync(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: dir, env, stdio: 'inherit' });
  execFileSync(process.execPath, [join(dir, 'scripts/package.mjs'), 'firefox'], { cwd: dir, env, stdio: 'inherit' });
  const zip = readFileSync(join(dir, 'dist', `socket-autopsy-firefox-${version}.zip`));
  return { dir, zip, hash: sha256(zip) };
}

function fileHashes(dir) {
  const out = new Map();
  const walk = (d, prefix) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out.set(`${prefix}${e.name}`, sha256(readFileSync(join(d, e.name))));
    }
  };
  walk(join(dir, 'dist/firefox'), '');
  return out;
}

console.log(`commit ${commit}, channel ${channel}, Node ${process.versions.node}`);
const a = build('a');
const b = build('b');
console.log(`a: ${a.hash}  ${a.dir}`);
console.log(`b: ${b.hash}  ${b.dir}`);
let ok = a.hash === b.hash;
if (!ok) {
  const ha = fileHashes(a.dir);
  const hb = fileHashes(b.dir);
  for (const name of new Set([...ha.keys(), ...hb.keys()])) {
    if (ha.get(name) !== hb.get(name)) console.log(`differs: ${name}`);
  }
  console.log('the zips differ');
} else {
  console.log(`identical: socket-autopsy-firefox-${version}.zip, ${a.zip.length} bytes`);
}
if (args.expect) {
  const match = args.expect.toLowerCase() === a.hash;
  console.log(match ? 'matches the expected sha256' : `does not match the expected sha256 ${args.expect}`);
  ok &&= match;
}
if (args.against) {
  const theirs = readZip(readFileSync(resolve(args.against)));
  const ours = readZip(a.zip);
  for (const name of [...theirs.keys()]) if (name.startsWith('META-INF/')) theirs.delete(name);
  let same = theirs.size === ours.size;
  for (const name of new Set([...theirs.keys(), ...ours.keys()])) {
    const t = theirs.get(name);
    const o = ours.get(name);
    if (!t || !o || !t.equals(o)) {
      same = false;
      console.log(`${!t ? 'only in the rebuild' : !o ? `only in ${args.against}` : 'differs'}: ${name}`);
    }
  }
  console.log(same ? `every file is the same as in ${args.against} (${ours.size} files)` : `the files differ from ${args.against}`);
  ok &&= same;
}
if (!args.keep) for (const d of [a.dir, b.dir]) rmSync(d, { recursive: true, force: true });
process.exit(ok ? 0 : 1);

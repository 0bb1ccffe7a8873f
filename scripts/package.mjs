// Zips the builds for the stores, from what `npm run build` wrote:
//   dist/socket-autopsy-chrome-<version>.zip   (Chrome Web Store: manifest.json at the root)
//   dist/socket-autopsy-firefox-<version>.zip  (addons.mozilla.org)
// and beside each zip a <zip name>.build-info.json: the commit, the Node version and the build's
// private channel name, which a reviewer needs to rebuild the same bytes
// (docs/store/amo-review.md), and the zip's sha256.
//
// `node scripts/package.mjs firefox` packs one browser only.
//
// The zips are deterministic (scripts/zip.mjs): sorted entries, a fixed time, no file modes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { listFiles, zipFolder } from './zip.mjs';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const TARGETS = ['chrome', 'firefox'];

const asked = process.argv.slice(2);
for (const t of asked) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}: chrome or firefox`);
const targets = asked.length > 0 ? asked : TARGETS;

/**
 * The private event name between the page hook and the relay (vite.config.ts: SA_CHANNEL, or
 * random per build). It is in the shipped hook anyway, so recording it reveals nothing a user of
 * the add-on cannot read; without it nobody can rebuild the same bytes.
 */
function channelOf(sourceDir) {
  const hook = readFileSync(join(sourceDir, 'src/page-hook/hook.iife.js'), 'utf8');
  const fromEnv = process.env.SA_CHANNEL;
  if (fromEnv) {
    if (!hook.includes(fromEnv)) throw new Error(`SA_CHANNEL=${fromEnv} is not the channel of ${relative(root, sourceDir)}: rebuild with it`);
    return fromEnv;
  }
  const found = new Set(hook.match(/sa-[0-9a-f]{12}/g) ?? []);
  if (found.size !== 1) throw new Error(`cannot tell the channel of ${relative(root, sourceDir)}: set SA_CHANNEL to the value it was built with`);
  return [...found][0];
}

/**
 * PRIVACY.md: no network requests of our own. test/no-network.test.ts checks the sources; this
 * checks what ships, libraries included. The one `fetch` allowed is Vite's modulepreload
 * polyfill, which fetches only the `<link rel="modulepreload">` files of the extension's own
 * pages, and only in a browser without native modulepreload (none that the manifests allow).
 */
function checkNoNetwork(sourceDir) {
  const sending = /\bfetch\(|XMLHttpRequest|sendBeacon|\bEventSource\b|WebTransport|RTCPeerConnection|connectNative|sendNativeMessage|importScripts/g;
  for (const name of listFiles(sourceDir).filter((f) => f.endsWith('.js'))) {
    const found = readFileSync(join(sourceDir, name), 'utf8').match(sending) ?? [];
    const allowed = /(^|\/)modulepreload-polyfill-[\w-]+\.js$/.test(name) && found.every((f) => f === 'fetch(');
    if (found.length > 0 && !allowed) throw new Error(`${relative(root, join(sourceDir, name))} uses ${[...new Set(found)].join(', ')}: PRIVACY.md says the extension sends nothing`);
  }
}

/** The commit the build came from; SA_COMMIT for a source tree that is not a git checkout. */
function commitOf() {
  if (process.env.SA_COMMIT) return { commit: process.env.SA_COMMIT, clean: null };
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' });
    return { commit, clean: status.trim() === '' };
  } catch {
    return { commit: null, clean: null };
  }
}

for (const target of targets) {
  const sourceDir = join(dist, target);
  const manifestPath = join(sourceDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`No build at ${relative(root, sourceDir)}: run npm run build first.`);
  // A stale build would ship under the new version's name.
  const built = JSON.parse(readFileSync(manifestPath, 'utf8')).version;
  if (built !== version) throw new Error(`${relative(root, manifestPath)} says ${built}, package.json ${version}: rebuild first.`);
  checkNoNetwork(sourceDir);
  const filename = `socket-autopsy-${target}-${version}.zip`;
  const zip = zipFolder(sourceDir);
  const zipPath = join(dist, filename);
  writeFileSync(zipPath, zip);
  const info = {
    name: filename,
    target,
    version,
    ...commitOf(),
    channel: channelOf(sourceDir),
    node: process.versions.node,
    files: listFiles(sourceDir).length,
    bytes: zip.length,
    sha256: createHash('sha256').update(zip).digest('hex'),
  };
  writeFileSync(`${zipPath}.build-info.json`, `${JSON.stringify(info, null, 2)}\n`);
  console.log(`package: ${relative(root, zipPath)} (${zip.length} bytes, sha256 ${info.sha256.slice(0, 16)}…, channel ${info.channel})`);
}

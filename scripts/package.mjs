// Zips the two builds for the stores, from what `npm run build` wrote:
//   dist/socket-autopsy-chrome-<version>.zip   (Chrome Web Store: manifest.json at the root)
//   dist/socket-autopsy-firefox-<version>.zip  (addons.mozilla.org)
// web-ext's own packer does the zipping for both (it is what AMO's docs use, and it skips
// dot-files and stray archives); a Chrome package is the same kind of zip.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import webExt from 'web-ext';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

for (const target of ['chrome', 'firefox']) {
  const sourceDir = join(dist, target);
  const manifestPath = join(sourceDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`No build at ${relative(root, sourceDir)}: run npm run build first.`);
  // A stale build would ship under the new version's name.
  const built = JSON.parse(readFileSync(manifestPath, 'utf8')).version;
  if (built !== version) throw new Error(`${relative(root, manifestPath)} says ${built}, package.json ${version}: rebuild first.`);
  const filename = `socket-autopsy-${target}-${version}.zip`;
  const result = await webExt.cmd.build(
    { sourceDir, artifactsDir: dist, filename, overwriteDest: true },
    { showReadyMessage: false, shouldExitProgram: false },
  );
  console.log(`package: ${relative(root, result.extensionPath)}`);
}

// Where this package lives, found from this module's own file: the same walk works in the
// repository (src/cli/) and in the published package (its compiled JavaScript, wherever the
// build puts it), so neither layout is assumed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'socket-autopsy';

/** The nearest folder above this module whose package.json is ours. */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === NAME) return dir;
      } catch {
        // an unreadable package.json is not ours: keep walking
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${NAME} package.json above ${from}`);
  }
}

export function packageVersion(root = packageRoot()): string {
  return String((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
}

/**
 * The built viewer: the repository builds it into `dist/viewer/` (npm run build:viewer), the
 * package carries it in `lib/viewer/` (npm run build:lib). The repository's own build first, so
 * a lib/ left from an older build is never served there. The first that has an index.html wins.
 */
export function viewerCandidates(root = packageRoot()): string[] {
  return [join(root, 'dist', 'viewer'), join(root, 'lib', 'viewer')];
}

export function findViewer(root = packageRoot()): { ok: true; dir: string } | { ok: false; error: string } {
  const dirs = viewerCandidates(root);
  const dir = dirs.find((d) => existsSync(join(d, 'index.html')));
  if (dir) return { ok: true, dir };
  return { ok: false, error: `the viewer is not built (looked for index.html in ${dirs.join(' and ')}): run npm run build:viewer` };
}

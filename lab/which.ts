import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * The executable `name` on PATH, then in the sbin directories: Debian installs nginx in
 * /usr/sbin, which a non-root user's PATH usually lacks, and the lab must not fall back to its
 * stand-in just because of who runs it. undefined when there is none.
 */
export function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

#!/usr/bin/env node
// The `socket-autopsy` command, for the npm package and for this repository alike.
// - Installed from the package: there is no src/, and the CLI is the compiled JavaScript in lib/
//   (npm run build:lib), run by plain Node.
// - In the repository: the TypeScript source, through tsx's scoped loader (tsImport registers for
//   this import only; the rest of the process is untouched), so `npx socket-autopsy` always runs
//   the code as it is now, never a lib/ left over from an older build.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/report.ts', import.meta.url);
let cli;
if (existsSync(source)) {
  const { tsImport } = await import('tsx/esm/api');
  cli = await tsImport(source.href, import.meta.url);
} else {
  cli = await import('../lib/cli/report.js');
}
// await: a command may finish asynchronously (one that serves files, say); a number passes as is.
process.exitCode = await cli.main(process.argv.slice(2));

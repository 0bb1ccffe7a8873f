#!/usr/bin/env node
// The `socket-autopsy` command. The CLI is TypeScript that shares src/core with the extension,
// so this shim loads it through tsx's scoped loader (tsImport: registers for this import only,
// the rest of the process is untouched). tsx is a devDependency: fine inside this repository
// (`npx socket-autopsy …`, CI); a published package would ship compiled JS instead.
// main() gives a number, or a promise of one for `view`, which serves until Ctrl+C.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/cli/report.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));

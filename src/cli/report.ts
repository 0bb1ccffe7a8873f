// socket-autopsy report <file.har> | view <file.har> (usage: args.ts)
//
// `report` prints each WebSocket connection of a HAR (ours, Chrome DevTools' own, Playwright's
// recordHar) with its outcome and diagnosis, as text, JSON, Markdown or JUnit XML, and exits 1
// when one matches --fail-on, so that a CI job that saved a HAR from a Playwright/Cypress run
// fails with an explanation. `view` serves the standalone viewer on 127.0.0.1 (view.ts).
// Exit 2: usage or file errors. Node-only (reads the file); everything it knows comes from src/core.
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { DEFAULT_MAX_BYTES, importHar } from '../core/har/har.ts';
import { parseCommandLine, type ReportArgs } from './args.ts';
import { parseFailOn } from './fail-on.ts';
import { defaultIo, type Io } from './io.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { packageVersion } from './package-root.ts';
import { buildReport, renderText, type Report } from './render.ts';
import { runView } from './view.ts';

export { REPORT_USAGE, USAGE, VIEW_USAGE } from './args.ts';
export type { Io } from './io.ts';

function readText(file: string): { ok: true; text: string } | { ok: false; error: string } {
  try {
    const st = statSync(file);
    if (!st.isFile()) return { ok: false, error: `cannot read ${file}: not a file` };
    // Refuse before reading: the importer checks the size too, but only after the read.
    if (st.size > DEFAULT_MAX_BYTES) return { ok: false, error: `${file}: file too large: ${st.size} bytes (limit ${DEFAULT_MAX_BYTES} bytes)` };
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message : String(e);
    return { ok: false, error: `cannot read ${file}: ${why}` };
  }
}

/**
 * Runs the CLI and gives its exit status (never calls process.exit, so tests can call it).
 * `report` answers at once; `view` gives a promise that settles when the server stops (Ctrl+C).
 */
export function main(argv: readonly string[], io: Io = defaultIo): number | Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.ok === 'help') {
    io.stdout(parsed.text);
    return 0;
  }
  if (parsed.ok === 'version') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (!parsed.ok) {
    io.stderr(`socket-autopsy: ${parsed.error}\n\n${parsed.usage}`);
    return 2;
  }
  if (parsed.args.command === 'view') return runView(parsed.args, io, readText);
  return report(parsed.args, io);
}

function report(args: ReportArgs, io: Io): number {
  const { file, format, lang, redact } = args;
  const failOn = parseFailOn(args.failOn);
  if (!failOn.ok) {
    io.stderr(`socket-autopsy: ${failOn.error}\n`);
    return 2;
  }
  const read = readText(file);
  if (!read.ok) {
    io.stderr(`socket-autopsy: ${read.error}\n`);
    return 2;
  }
  const imported = importHar(read.text);
  if (!imported.ok) {
    io.stderr(`socket-autopsy: ${file}: ${imported.error}\n`);
    return 2;
  }
  const r = buildReport(imported.session, { file, source: imported.source, warnings: imported.warnings }, lang, failOn.value, { redact });
  if (args.summary !== undefined) {
    // Appended, never replaced: GitHub gathers every step's summary in the one file it names.
    try {
      appendFileSync(args.summary, renderMarkdown(r, lang) + '\n');
    } catch (e) {
      io.stderr(`socket-autopsy: cannot append the summary to ${args.summary}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  }
  io.stdout(render(r, args));
  return r.exitCode;
}

function render(r: Report, args: ReportArgs): string {
  switch (args.format) {
    case 'json':
      return JSON.stringify(r, null, 2) + '\n';
    case 'markdown':
      return renderMarkdown(r, args.lang);
    case 'junit':
      return renderJunit(r, args.lang);
    case 'text':
      return renderText(r, args.lang);
  }
}

// Run directly (`tsx src/cli/report.ts report x.har`) as well as through bin/socket-autopsy.mjs.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

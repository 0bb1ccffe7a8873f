// socket-autopsy report <file.har> [--json] [--lang en|ja] [--fail-on <list>] [--no-redact]
//
// Prints each WebSocket connection of a HAR (ours or Chrome DevTools' own) with its outcome
// and diagnosis, and exits 1 when one matches --fail-on, so that a CI job that saved a HAR
// from a Playwright/Cypress run fails with an explanation. Exit 2: usage or file errors.
// Node-only (reads the file); everything it knows comes from src/core.
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { DEFAULT_MAX_BYTES, importHar } from '../core/har/har.ts';
import type { Lang } from '../core/knowledge/i18n/text.ts';
import { parseFailOn } from './fail-on.ts';
import { buildReport, renderText } from './render.ts';

export const USAGE = `Usage: socket-autopsy report <file.har> [--json] [--lang en|ja] [--fail-on <list>] [--no-redact]

Prints every WebSocket connection in the HAR (a Socket Autopsy export or Chrome DevTools'
"Save all as HAR"), its outcome and why it closed.

Options:
  --json              machine-readable report on stdout
  --lang en|ja        language of the report (default en)
  --fail-on <list>    exit 1 when a connection matches; comma-separated groups or categories:
                        abnormal      every cut without a close frame (1006): abnormal, idle-timeout,
                                      offline, suspended, handshake-failed
                        server-error  server-error (1011), protocol-error (1002/1010)
                        any           anything but live, closed by page/server, going away, navigated
                      or diagnosis categories such as handshake-failed,idle-timeout,policy
                      Connections whose close the HAR does not record never match.
  --no-redact         print URLs, close reasons and texts as the file has them; by default
                      secrets in them are replaced by [redacted] (tokens in URLs, secret-named
                      fields, JWTs and long tokens), as the extension's exports do

Exit status: 0 ok, 1 --fail-on matched, 2 usage or file error.
`;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

interface Args {
  file: string;
  json: boolean;
  lang: Lang;
  failOn: string[];
  redact: boolean;
}

function parseArgs(argv: readonly string[]): { ok: true; args: Args } | { ok: false; error: string } | { ok: 'help' } {
  const rest = [...argv];
  const cmd = rest.shift();
  if (cmd === undefined) return { ok: false, error: 'missing the command' };
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') return { ok: 'help' };
  if (cmd !== 'report') return { ok: false, error: `unknown command ${JSON.stringify(cmd)}` };
  let file: string | undefined;
  let json = false;
  let redact = true;
  let lang: Lang = 'en';
  const failOn: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : rest[++i]);
    if (name === '--help' || name === '-h') return { ok: 'help' };
    else if (name === '--json') json = true;
    else if (name === '--no-redact') redact = false;
    else if (name === '--lang') {
      const l = value();
      if (l !== 'en' && l !== 'ja') return { ok: false, error: `--lang takes en or ja${l === undefined ? '' : `, not ${JSON.stringify(l)}`}` };
      lang = l;
    } else if (name === '--fail-on') {
      const f = value();
      if (f === undefined || f === '') return { ok: false, error: '--fail-on needs a list, e.g. --fail-on abnormal,server-error' };
      failOn.push(f);
    } else if (a.startsWith('-') && a !== '-') return { ok: false, error: `unknown option ${JSON.stringify(a)}` };
    else if (file === undefined) file = a;
    else return { ok: false, error: `one file only (got ${JSON.stringify(file)} and ${JSON.stringify(a)})` };
  }
  if (file === undefined) return { ok: false, error: 'missing the HAR file' };
  return { ok: true, args: { file, json, lang, failOn, redact } };
}

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

/** Runs the CLI; returns the exit status (never calls process.exit, so tests can call it). */
export function main(argv: readonly string[], io: Io = defaultIo): number {
  const parsed = parseArgs(argv);
  if (parsed.ok === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (!parsed.ok) {
    io.stderr(`socket-autopsy: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const { file, json, lang, redact } = parsed.args;
  const failOn = parseFailOn(parsed.args.failOn);
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
  const report = buildReport(imported.session, { file, source: imported.source, warnings: imported.warnings }, lang, failOn.value, { redact });
  io.stdout(json ? JSON.stringify(report, null, 2) + '\n' : renderText(report, lang));
  return report.exitCode;
}

// Run directly (`tsx src/cli/report.ts report x.har`) as well as through bin/socket-autopsy.mjs.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}

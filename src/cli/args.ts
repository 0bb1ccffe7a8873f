// The command line: which command, which options, and the usage texts. Parsed by node:util's
// parseArgs (strict: an unknown option is an error, never silently ignored), then checked here
// for what parseArgs cannot know (allowed values, how many files).
import { parseArgs, type ParseArgsConfig } from 'node:util';

import type { Lang } from '../core/knowledge/i18n/text.ts';
import { DEFAULT_MAX_BYTES } from '../core/har/har.ts';

export const FORMATS = ['text', 'json', 'markdown', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportArgs {
  command: 'report';
  file: string;
  format: Format;
  lang: Lang;
  failOn: string[];
  redact: boolean;
  /** Append the Markdown report to this file (GitHub's job summary: $GITHUB_STEP_SUMMARY). */
  summary?: string;
}

export interface ViewArgs {
  command: 'view';
  file: string;
  /** 0: any free port. */
  port: number;
  open: boolean;
}

export type Parsed =
  | { ok: true; args: ReportArgs | ViewArgs }
  | { ok: 'help'; text: string }
  | { ok: 'version' }
  | { ok: false; error: string; usage: string };

const MIB = DEFAULT_MAX_BYTES / (1024 * 1024);

export const USAGE = `Usage: socket-autopsy <command> [options]

Commands:
  report <file.har>   print every WebSocket connection of a HAR, its outcome and why it closed
  view <file.har>     open the HAR in the Socket Autopsy viewer, served on 127.0.0.1

Options:
  --help, -h          this help; \`socket-autopsy <command> --help\` for a command's
  --version, -v       the version

Reads Socket Autopsy's exports, Chrome DevTools' "Save all as HAR" and Playwright's recordHar.
`;

export const REPORT_USAGE = `Usage: socket-autopsy report <file.har> [--format text|json|markdown|junit] [--lang en|ja]
                             [--fail-on <list>] [--no-redact] [--summary <file>]

Prints every WebSocket connection in the HAR (a Socket Autopsy export, Chrome DevTools'
"Save all as HAR" or Playwright's recordHar), its outcome and why it closed.

Options:
  --format <f>        text (default), json, markdown (GitHub-flavoured: a table of the
                      connections, then the explanation of each failing one) or junit (JUnit
                      XML: one test case per connection, failed when it matches --fail-on)
  --json              the same as --format json
  --lang en|ja        language of the report (default en)
  --fail-on <list>    exit 1 when a connection matches; comma-separated groups or categories:
                        abnormal      every cut without a close frame (1006): abnormal, idle-timeout,
                                      offline, suspended, handshake-failed
                        server-error  server-error (1011), protocol-error (1002/1010)
                        any           anything but live, closed by page/server, going away, navigated
                      or diagnosis categories such as handshake-failed,idle-timeout,policy
                      Connections whose close the HAR does not record never match.
  --summary <file>    also append the Markdown report to <file>, whatever --format says; on
                      GitHub Actions: --summary "$GITHUB_STEP_SUMMARY" (the job summary)
  --no-redact         print URLs, close reasons and texts as the file has them; by default
                      secrets in them are replaced by [redacted] (tokens in URLs, secret-named
                      fields, JWTs and long tokens), as the extension's exports do

Files above ${MIB} MiB are refused (exit 2) before they are read.
Exit status: 0 ok, 1 --fail-on matched, 2 usage or file error.
`;

export const VIEW_USAGE = `Usage: socket-autopsy view <file.har> [--port <n>] [--no-open]

Serves the Socket Autopsy viewer and the HAR on http://127.0.0.1 (this machine only), prints
the address, and opens it in the browser when there is a display. Stops with Ctrl+C.

Options:
  --port <n>          port to listen on (default: any free port)
  --no-open           print the address only, do not start a browser

Files above ${MIB} MiB are refused (exit 2), as the viewer itself refuses them.
`;

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

const REPORT_OPTIONS = {
  ...COMMON,
  format: { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  'fail-on': { type: 'string', multiple: true },
  'no-redact': { type: 'boolean' },
  summary: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const VIEW_OPTIONS = {
  ...COMMON,
  port: { type: 'string' },
  'no-open': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** parseArgs' own messages name Node's error codes and suggest `--`: said plainly instead. */
function parseError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const unknown = /Unknown option '([^']+)'/.exec(msg);
  if (unknown) return `unknown option ${JSON.stringify(unknown[1])}`;
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(msg);
  if (missing) return `${missing[1]} needs a value`;
  const noValue = /Option '(--[\w-]+)' does not take an argument/.exec(msg);
  if (noValue) return `${noValue[1]} takes no value`;
  return msg.split('\n')[0] ?? msg;
}

function oneFile(positionals: string[]): { ok: true; file: string } | { ok: false; error: string } {
  if (positionals.length === 0) return { ok: false, error: 'missing the HAR file' };
  if (positionals.length > 1) return { ok: false, error: `one file only (got ${positionals.map((p) => JSON.stringify(p)).join(' and ')})` };
  return { ok: true, file: positionals[0]! };
}

export function parseCommandLine(argv: readonly string[]): Parsed {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) return { ok: false, error: 'missing the command', usage: USAGE };
  if (cmd === '--help' || cmd === '-h') return { ok: 'help', text: USAGE };
  if (cmd === 'help') return { ok: 'help', text: rest[0] === 'report' ? REPORT_USAGE : rest[0] === 'view' ? VIEW_USAGE : USAGE };
  if (cmd === '--version' || cmd === '-v') return { ok: 'version' };
  if (cmd === 'report') return parseReport(rest);
  if (cmd === 'view') return parseView(rest);
  return { ok: false, error: `unknown command ${JSON.stringify(cmd)}`, usage: USAGE };
}

function parseReport(argv: string[]): Parsed {
  const fail = (error: string): Parsed => ({ ok: false, error, usage: REPORT_USAGE });
  let r;
  try {
    r = parseArgs({ args: argv, options: REPORT_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return fail(parseError(e));
  }
  const v = r.values;
  if (v.help) return { ok: 'help', text: REPORT_USAGE };
  if (v.version) return { ok: 'version' };
  const format = v.format ?? (v.json ? 'json' : 'text');
  if (!(FORMATS as readonly string[]).includes(format)) return fail(`--format takes ${FORMATS.join(', ')}, not ${JSON.stringify(format)}`);
  if (v.json && format !== 'json') return fail(`--json and --format ${format} disagree: give one`);
  const lang = v.lang ?? 'en';
  if (lang !== 'en' && lang !== 'ja') return fail(`--lang takes en or ja, not ${JSON.stringify(lang)}`);
  const failOn = v['fail-on'] ?? [];
  if (failOn.some((f) => f.trim() === '')) return fail('--fail-on needs a list, e.g. --fail-on abnormal,server-error');
  if (v.summary === '') return fail('--summary needs a file name (on GitHub Actions: --summary "$GITHUB_STEP_SUMMARY")');
  const file = oneFile(r.positionals);
  if (!file.ok) return fail(file.error);
  const args: ReportArgs = { command: 'report', file: file.file, format: format as Format, lang, failOn, redact: !v['no-redact'] };
  if (v.summary !== undefined) args.summary = v.summary;
  return { ok: true, args };
}

function parseView(argv: string[]): Parsed {
  const fail = (error: string): Parsed => ({ ok: false, error, usage: VIEW_USAGE });
  let r;
  try {
    r = parseArgs({ args: argv, options: VIEW_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return fail(parseError(e));
  }
  const v = r.values;
  if (v.help) return { ok: 'help', text: VIEW_USAGE };
  if (v.version) return { ok: 'version' };
  let port = 0;
  if (v.port !== undefined) {
    port = /^\d{1,5}$/.test(v.port) ? Number(v.port) : NaN;
    if (!(port >= 0 && port <= 65535)) return fail(`--port takes a number from 0 to 65535, not ${JSON.stringify(v.port)}`);
  }
  const file = oneFile(r.positionals);
  if (!file.ok) return fail(file.error);
  return { ok: true, args: { command: 'view', file: file.file, port, open: !v['no-open'] } };
}

// The CLI for CI: --format markdown|junit, --summary, --version, argument errors, a 500 MB
// file, Playwright's own recordHar, and `view`'s server (in process; the browser side is
// e2e/viewer-cli.spec.ts). JUnit output is parsed by a real XML parser (xml2js over sax, strict).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync, closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { main } from '../src/cli/report.ts';
import type { Report, ReportRow } from '../src/cli/render.ts';
import { renderJunit } from '../src/cli/junit.ts';
import { mdText, renderMarkdown } from '../src/cli/markdown.ts';
import { canOpenBrowser, startView } from '../src/cli/view.ts';
import { DEFAULT_MAX_BYTES } from '../src/core/har/har.ts';

type XmlNode = { $?: Record<string, string>; _?: string } & Record<string, unknown>;
const xml2js = createRequire(import.meta.url)('xml2js') as { parseStringPromise(xml: string, opts?: object): Promise<Record<string, XmlNode>> };
const parseXml = (xml: string) => xml2js.parseStringPromise(xml, { strict: true });

const root = fileURLToPath(new URL('..', import.meta.url));
const OURS = 'test/fixtures/session.har';
const PLAYWRIGHT = 'test/fixtures/playwright-recorded.har';
/** XML 1.0 §2.2: what may not appear in a document at all, escaped or not. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  if (typeof code !== 'number') throw new Error('main gave a promise for report');
  return { code, stdout, stderr };
}

function bin(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/socket-autopsy.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cases = (doc: Record<string, XmlNode>) => {
  const suites = doc.testsuites!;
  const suite = (suites.testsuite as XmlNode[])[0]!;
  return { suites, suite, testcases: (suite.testcase as XmlNode[] | undefined) ?? [] };
};

describe('--format junit', () => {
  it('one testcase per connection, a failure with the explanation for each that matches --fail-on', async () => {
    const json = JSON.parse(run('report', OURS, '--json', '--fail-on', 'abnormal,server-error').stdout) as Report;
    const r = run('report', OURS, '--format', 'junit', '--fail-on', 'abnormal,server-error');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    const { suites, suite, testcases } = cases(await parseXml(r.stdout));
    const failed = json.connections.filter((c) => c.failed);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(json.connections.length);
    expect(suites.$).toMatchObject({ name: 'socket-autopsy', tests: String(json.connections.length), failures: String(failed.length) });
    expect(suite.$).toMatchObject({ name: 'socket-autopsy', tests: String(json.connections.length), failures: String(failed.length), errors: '0' });
    expect(testcases).toHaveLength(json.connections.length);
    json.connections.forEach((c, i) => {
      const tc = testcases[i]!;
      expect(tc.$).toEqual({ classname: new URL(c.url).host, name: `#${c.index} ${c.url}` });
      const failures = (tc.failure as XmlNode[] | undefined) ?? [];
      expect(failures).toHaveLength(c.failed ? 1 : 0);
      if (c.failed) {
        expect(failures[0]!.$).toEqual({ message: c.headline, type: c.outcome });
        expect(failures[0]!._).toContain(c.headline);
        if (c.topFix) expect(failures[0]!._).toContain(c.topFix);
      }
    });
    // Redacted as the text report is: the fixture's tokens never reach the XML.
    expect(r.stdout).toContain('[redacted]');
    expect(r.stdout).not.toMatch(/token=(?!\[redacted\])/);
  });

  it('without --fail-on nothing fails (the XML agrees with exit status 0); a close the file lacks is skipped', async () => {
    const r = run('report', OURS, '--format', 'junit');
    expect(r.code).toBe(0);
    const { suite, testcases } = cases(await parseXml(r.stdout));
    expect(suite.$!.failures).toBe('0');
    expect(testcases.every((t) => t.failure === undefined)).toBe(true);
    const pw = cases(await parseXml(run('report', PLAYWRIGHT, '--format', 'junit', '--fail-on', 'abnormal').stdout));
    expect(pw.suite.$).toMatchObject({ tests: '4', failures: '2', skipped: '2' });
    expect(pw.testcases.filter((t) => t.skipped)).toHaveLength(2);
  });

  it('hostile text (quotes, <, &, ]]>, control characters, lone surrogates, 10 KB) stays well-formed and readable', async () => {
    const hostile = `a "quoted" 'x' <script>&amp; ]]> \u0000\u0001\u0008\u000b\u000c\u001f\u007f \ud800 end`;
    const long = 'x<&"'.repeat(2560);
    const row: ReportRow = {
      index: 1,
      id: 'd:1',
      url: `wss://evil.example/"><x a='1'>&${hostile}`,
      outcome: 'server-error',
      outcomeLabel: hostile,
      severity: 'error',
      code: 1011,
      codeName: hostile,
      reason: long,
      durationMs: 5,
      sent: 0,
      received: 0,
      headline: `${hostile}${long}`,
      topCause: hostile,
      topFix: long,
      evidence: [hostile],
      failed: true,
    };
    const report: Report = {
      file: `f${hostile}.har`,
      source: 'other',
      creator: { name: hostile, version: '' },
      warnings: [hostile],
      failOn: ['any'],
      connections: [row, { ...row, index: 2, id: 'd:2', failed: false }],
      matched: ['d:1'],
      exitCode: 1,
    };
    const xml = renderJunit(report, 'en');
    expect(xml).not.toMatch(NOT_XML_CHAR);
    // sax (strict) lets `<` in an attribute and a bare control character through: checked here.
    for (const [, value] of xml.matchAll(/\s[\w-]+="([^"]*)"/g)) expect(value).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;|apos;|#\d+;)/);
    expect(xml.replace(/<[^>]*>/g, '')).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#\d+;)|</);
    const { suite, testcases } = cases(await parseXml(xml));
    expect(suite.$).toMatchObject({ tests: '2', failures: '1' });
    const failure = (testcases[0]!.failure as XmlNode[])[0]!;
    const clean = hostile.replace(new RegExp(NOT_XML_CHAR.source, 'gu'), '');
    expect(failure.$!.message).toBe(`${clean}${long}`);
    expect(failure._).toContain(long);
    expect(testcases[0]!.$!.name).toBe(`#1 wss://evil.example/"><x a='1'>&${clean}`);
    expect(testcases[1]!.failure).toBeUndefined();
  });
});

describe('--format markdown and --summary', () => {
  it('a table of every connection, then the explanation of each failing one', () => {
    const json = JSON.parse(run('report', OURS, '--json', '--fail-on', 'server-error').stdout) as Report;
    const r = run('report', OURS, '--format', 'markdown', '--fail-on', 'server-error');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('## Socket Autopsy report: test/fixtures/session.har');
    const head = lines.indexOf('| # | URL | Outcome | Code | Headline |');
    expect(lines[head + 1]).toBe('|---:|---|---|---|---|');
    const rows = lines.slice(head + 2, head + 2 + json.connections.length);
    expect(rows.every((l) => l.startsWith('| ') && l.endsWith(' |'))).toBe(true);
    expect(lines[head + 2 + json.connections.length]).toBe('');
    const failed = json.connections.filter((c) => c.failed);
    expect(failed.length).toBe(1);
    expect(rows[failed[0]!.index - 1]).toContain('❌');
    expect(r.stdout).toContain('### Failing connections');
    expect(r.stdout).toContain(`#### \\#${failed[0]!.index} `);
    expect(r.stdout).toContain(mdText(failed[0]!.topFix!));
    expect(run('report', OURS, '--format', 'markdown', '--lang', 'ja').stdout).toContain('| # | URL | 結果 | コード | 概要 |');
  });

  it('escapes what would break the table or become a link, HTML or emphasis', () => {
    expect(mdText('a|b [x](javascript:y) <img src=x> *b* `c`\nd')).toBe('a\\|b \\[x\\](javascript:y) &lt;img src=x&gt; \\*b\\* \\`c\\` d');
    const md = renderMarkdown(
      {
        file: 'x.har',
        source: 'other',
        creator: { name: '', version: '' },
        warnings: [],
        failOn: [],
        connections: [],
        matched: [],
        exitCode: 0,
      },
      'en',
    );
    expect(md).toContain('No WebSocket connection in this file.');
  });

  it('--summary appends the Markdown to a file, whatever --format prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-summary-'));
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# before\n');
    const r = run('report', OURS, '--summary', summary);
    expect(r.stdout).toMatch(/^Socket Autopsy report: /);
    run('report', PLAYWRIGHT, '--format', 'json', `--summary=${summary}`);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# before\n## Socket Autopsy report: test/fixtures/session.har')).toBe(true);
    expect(text).toContain('## Socket Autopsy report: test/fixtures/playwright-recorded.har');
    expect(run('report', OURS, '--summary', join(dir, 'no/such/dir.md'))).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot append the summary') });
  });
});

describe('arguments (node:util parseArgs)', () => {
  it('--version prints the package version', () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    expect(run('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(run('report', '-v').stdout).toBe(`${version}\n`);
  });

  it('an unknown format or option, or a disagreement, is exit 2 with the message and the usage', () => {
    const bad = run('report', OURS, '--format', 'yaml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('socket-autopsy: --format takes text, json, markdown, junit, not "yaml"');
    expect(bad.stderr).toContain('Usage: socket-autopsy report <file.har>');
    expect(run('report', OURS, '--json', '--format', 'junit')).toMatchObject({ code: 2, stderr: expect.stringContaining('--json and --format junit disagree') });
    expect(run('report', OURS, '--format')).toMatchObject({ code: 2, stderr: expect.stringContaining('--format needs a value') });
    expect(run('report', OURS, '--json=yes')).toMatchObject({ code: 2, stderr: expect.stringContaining('--json takes no value') });
    expect(run('report', OURS, OURS)).toMatchObject({ code: 2, stderr: expect.stringContaining('one file only') });
    expect(run('view', OURS, '--port', 'http')).toMatchObject({ code: 2, stderr: expect.stringContaining('--port takes a number from 0 to 65535, not "http"') });
    expect(run('view', OURS, '--bogus')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown option "--bogus"') });
    expect(run('view', OURS, '--bogus').stderr).toContain('Usage: socket-autopsy view <file.har>');
    // --json and repeated --fail-on keep working as before.
    expect(run('report', OURS, '--json', '--fail-on', 'server-error', '--fail-on', 'abnormal').code).toBe(1);
  });
});

describe('large and foreign files', () => {
  it(`refuses a 500 MB file before reading it (limit ${DEFAULT_MAX_BYTES} bytes): exit 2, no out-of-memory`, () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sa-big-')), 'big.har');
    // Sparse: the size is real to stat(), the disk holds nothing.
    closeSync(openSync(file, 'w'));
    truncateSync(file, 500 * 1024 * 1024);
    const r = bin('report', file, '--format', 'junit');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`socket-autopsy: ${file}: file too large: ${500 * 1024 * 1024} bytes (limit ${DEFAULT_MAX_BYTES} bytes)\n`);
    expect(r.stdout).toBe('');
    expect(bin('view', file, '--no-open')).toMatchObject({ code: 2, stderr: expect.stringContaining('file too large') });
  });

  it("reads Playwright's recordHar (1.65): frame times in epoch ms, the failure text, no close codes", () => {
    const r = JSON.parse(run('report', PLAYWRIGHT, '--json').stdout) as Report;
    expect(r.creator.name).toBe('Playwright');
    expect(r.source).toBe('other');
    expect(r.warnings).toContain('this HAR comes from Playwright: it has messages but no close codes');
    expect(r.connections.map((c) => [new URL(c.url).pathname, c.outcome])).toEqual([
      ['/chat', 'close-unknown'],
      ['/feed', 'close-unknown'],
      ['/forbidden', 'handshake-failed'],
      ['/refused', 'handshake-failed'],
    ]);
    expect(r.connections.map((c) => [c.sent, c.received])).toEqual([[2, 1], [1, 1], [0, 0], [0, 0]]);
    // Read as seconds, the ms times put the frames 50,000 years away.
    expect(r.connections.every((c) => c.durationMs >= 0 && c.durationMs < 60_000)).toBe(true);
    expect(r.connections[2]!.network).toMatchObject({ status: 403 });
    expect(r.connections[3]!.network).toMatchObject({ label: 'refused', error: expect.stringContaining('net::ERR_CONNECTION_REFUSED') });
    expect(r.connections[0]!.url).toContain('token=[redacted]');
  });
});

describe('view (in process)', () => {
  const read = (file: string) => ({ ok: true as const, text: readFileSync(file, 'utf8') });
  // Unit tests run before the build: a stand-in for dist/viewer/ (the real one is served in
  // e2e/viewer-cli.spec.ts and from the installed package in scripts/package-test.ts).
  const viewerDir = mkdtempSync(join(tmpdir(), 'sa-viewer-'));
  writeFileSync(join(viewerDir, 'index.html'), '<!doctype html><div id="app"></div>');

  it('serves the viewer and the HAR on 127.0.0.1 only, and refuses other hosts', async () => {
    const started = await startView({ file: join(root, OURS), port: 0 }, read, viewerDir);
    if (!started.ok) throw new Error(started.error);
    const { viewing } = started;
    try {
      const url = new URL(viewing.url);
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.searchParams.get('har')).toBe('/har/session.har');
      const page = await fetch(new URL('/', url));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await page.text()).toContain('<div id="app">');
      const har = await fetch(new URL('/har/session.har', url));
      expect(await har.text()).toBe(readFileSync(join(root, OURS), 'utf8'));
      expect((await fetch(new URL('/../package.json', url))).status).toBe(404);
      expect((await fetch(new URL('/%2e%2e/%2e%2e/package.json', url))).status).toBe(404);
      expect((await fetch(url, { method: 'POST' })).status).toBe(405);
      // DNS rebinding: another name that resolves to 127.0.0.1 gets nothing.
      const { request } = await import('node:http');
      const status = await new Promise<number | undefined>((r) =>
        request({ host: '127.0.0.1', port: url.port, path: '/har/session.har', headers: { host: `evil.example:${url.port}` } }, (res) => r(res.statusCode)).end(),
      );
      expect(status).toBe(421);
    } finally {
      await viewing.close();
    }
  });

  it('a file that is not a HAR, or a port in use, is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-view-'));
    writeFileSync(join(dir, 'x.har'), '{}');
    expect(await startView({ file: join(dir, 'x.har'), port: 0 }, read, viewerDir)).toMatchObject({ ok: false, error: expect.stringContaining('not a HAR') });
    const first = await startView({ file: join(root, OURS), port: 0 }, read, viewerDir);
    if (!first.ok) throw new Error(first.error);
    try {
      const port = Number(new URL(first.viewing.url).port);
      expect(await startView({ file: join(root, OURS), port }, read, viewerDir)).toEqual({ ok: false, error: `port ${port} is in use: choose another with --port, or omit it` });
    } finally {
      await first.viewing.close();
    }
  });

  it('opens a browser only where one can be shown', () => {
    expect(canOpenBrowser('linux', {})).toBe(false);
    expect(canOpenBrowser('linux', { DISPLAY: ':0' })).toBe(true);
    expect(canOpenBrowser('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(canOpenBrowser('darwin', {})).toBe(true);
    expect(canOpenBrowser('win32', {})).toBe(true);
  });
});

// The `socket-autopsy report` command: the real bin shim run by node on the committed
// fixtures (exit codes, text, --json, --lang ja), and the error paths through main().
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it, vi } from 'vitest';

import { main } from '../src/cli/report.ts';
import type { Report } from '../src/cli/render.ts';
import type { DiagnoseContext } from '../src/core/diagnosis/diagnose.ts';
import { exportHar } from '../src/core/har/har.ts';
import type { Connection } from '../src/core/session/session.ts';

// What the report hands the diagnosis engine (in-process runs only): the real engine, watched.
const seen = vi.hoisted(() => ({ contexts: [] as DiagnoseContext[] }));
vi.mock('../src/core/diagnosis/diagnose.ts', async (importActual) => {
  const actual = await importActual<typeof import('../src/core/diagnosis/diagnose.ts')>();
  return {
    ...actual,
    diagnoseAll: (ctx: DiagnoseContext) => {
      seen.contexts.push(ctx);
      return actual.diagnoseAll(ctx);
    },
  };
});

const root = fileURLToPath(new URL('..', import.meta.url));
const OURS = 'test/fixtures/session.har';
const CHROME = 'test/fixtures/chrome-devtools.har';
/** Chrome's HAR of failed handshakes: status 0 and the failure in an error frame (docs/har-network.md). */
const FAILURES = 'test/fixtures/chrome-handshake-failures.har';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/socket-autopsy.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inProcess(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  // `report` answers at once (only `view` gives a promise: it serves until stopped).
  if (typeof code !== 'number') throw new Error('main gave a promise for report');
  return { code, stdout, stderr };
}

describe('socket-autopsy report (node bin/socket-autopsy.mjs)', () => {
  it('says how sure a diagnosis is and what else it could be, with what tells them apart', () => {
    const r = inProcess('report', OURS);
    expect(r.code).toBe(0);
    // The idle cut matches nginx's 60 s: likely, with the crash and the network beside it.
    expect(r.stdout).toMatch(/Cut after 60 s of silence[^\n]*\n {4}How sure: likely\n {4}Could also be: The server process crashed or restarted \(tells them apart: The server's logs at /);
    const ja = inProcess('report', OURS, '--lang', 'ja');
    expect(ja.stdout).toContain('確度: 可能性が高い');
    const json = JSON.parse(inProcess('report', OURS, '--json').stdout) as { connections: { confidence?: string; competitors?: unknown[] }[] };
    expect(json.connections[0]!.confidence).toBe('likely');
    expect(json.connections[0]!.competitors?.length).toBeGreaterThan(0);
  });

  it('prints each connection with its outcome, code, reason, duration, traffic and diagnosis', () => {
    const r = cli('report', OURS);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^Socket Autopsy report: test\/fixtures\/session\.har\nwritten by Socket Autopsy 0\.1\.0 · 4 WebSocket connections\n/);
    expect(out).toContain('#1  wss://chat.example/live?room=lobby&token=[redacted]\n    idle cut · 1006 Abnormal Closure · 62 s · 2 sent, 2 received\n');
    expect(out).toContain('    Cut after 60 s of silence — matches the 60 s idle timeout of nginx proxy_read_timeout');
    expect(out).toContain('#2  wss://feed.example/ticker?apikey=[redacted]&symbols=ABC,XYZ\n    closed by page · 1000 Normal Closure "bye"');
    expect(out).toContain('    server error · 1011 Internal Error "internal error: db pool exhausted" · 6.6 s · 3 sent, 3 received · reconnect of #1\n');
    expect(out).toContain('    handshake failed · 1006 Abnormal Closure · 50 ms · 0 sent, 0 received · reconnect of #3\n');
    expect(out).toMatch(/\n {4}cause: .+\n {4}fix: .+\n/);
    expect(out).toContain('Summary: 1 idle cut, 1 closed by page, 1 server error, 1 handshake failed\n');
  });

  it('exits 1 when a connection matches --fail-on, naming which', () => {
    const abnormal = cli('report', OURS, '--fail-on', 'abnormal');
    expect(abnormal.code).toBe(1);
    expect(abnormal.stdout).toContain('--fail-on abnormal: 2 of 4 connections match (#1, #4) → exit 1\n');
    const both = cli('report', OURS, '--fail-on=abnormal,server-error');
    expect(both.code).toBe(1);
    expect(both.stdout).toContain('(#1, #3, #4)');
    const cats = cli('report', OURS, '--fail-on', 'policy,message-too-big');
    expect(cats.code).toBe(0);
    expect(cats.stdout).toContain('--fail-on policy,message-too-big: no connection matches\n');
  });

  it('--json prints a parseable report', () => {
    const r = cli('report', OURS, '--json', '--fail-on', 'any');
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.source).toBe('socket-autopsy');
    expect(rep.connections.map((c) => [c.outcome, c.code, c.failed])).toEqual([
      ['idle-timeout', 1006, true],
      ['closed-by-page', 1000, false],
      ['server-error', 1011, true],
      ['handshake-failed', 1006, true],
    ]);
    expect(rep.connections[2]).toMatchObject({ reason: 'internal error: db pool exhausted', reconnectOf: 'doc-fixture01:1', sent: 3, received: 3 });
    expect(rep.connections[2]!.topCause).toEqual(expect.any(String));
    expect(rep.matched).toEqual(['doc-fixture01:1', 'doc-fixture01:2', 'doc-fixture01:3']);
    expect(rep.exitCode).toBe(1);
  });

  it('--lang ja prints Japanese', () => {
    const r = cli('report', OURS, '--lang', 'ja', '--fail-on', 'server-error');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Socket Autopsy レポート');
    expect(r.stdout).toContain('アイドル切断 · 1006 異常切断 · 62 秒 · 送信 2 件、受信 2 件');
    expect(r.stdout).toContain('サーバーエラー · 1011');
    expect(r.stdout).toContain('原因: ');
    expect(r.stdout).toContain('--fail-on server-error：4 件中 1 件が該当（#3）→ 終了コード 1');
  });

  it("reads Chrome DevTools' own HAR: says the close codes are missing and diagnoses what it can", () => {
    const r = cli('report', CHROME, '--fail-on', 'handshake-failed');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('note: this HAR comes from Chrome DevTools: it has messages but no close codes\n');
    // Chrome's file has the token in the clear; the report redacts it unless told not to.
    expect(r.stdout).toContain('#1  wss://chat.example/live?room=lobby&token=[redacted]\n    close unknown · HTTP 101 Switching Protocols · 62 s · 2 sent, 2 received\n');
    expect(r.stdout).not.toContain('abc123secret');
    expect(cli('report', CHROME, '--no-redact').stdout).toContain('#1  wss://chat.example/live?room=lobby&token=abc123secret\n');
    expect(r.stdout).toContain('matches the 60 s timeout of nginx proxy_read_timeout');
    expect(r.stdout).toContain('handshake failed · HTTP 403 Forbidden · 1006 Abnormal Closure');
    expect(r.stdout).toContain('(#2) → exit 1');
    // An unknown close never matches, not even "any".
    expect(cli('report', CHROME, '--fail-on', 'abnormal').stdout).toContain('1 of 3 connections match (#2)');
  });

  it('exits 2 on a file error, with the importer message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-cli-'));
    const bad = join(dir, 'bad.har');
    writeFileSync(bad, '{"log": {"entries": [1 2]}}');
    const r = cli('report', bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^socket-autopsy: .*bad\.har: not JSON: .+ at line 1, column 24 \(position 23\)\n$/);
  });
});

describe('socket-autopsy report: what the network said about each handshake', () => {
  it("prints the network's status or error beside the outcome", () => {
    const r = cli('report', FAILURES, '--fail-on', 'handshake-failed');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('#1  ws://127.0.0.1:8080/ws/echo\n    close unknown · HTTP 101 Switching Protocols · 1.2 s');
    expect(r.stdout).toContain('#2  ws://127.0.0.1:8080/ws/refuse?status=403\n    handshake failed · HTTP 403 · 1006 Abnormal Closure');
    expect(r.stdout).toContain('#3  ws://no-such-host.invalid/ws\n    handshake failed · DNS (net::ERR_NAME_NOT_RESOLVED) · 1006 Abnormal Closure');
    expect(r.stdout).toContain('#4  ws://127.0.0.1:8080/ws/refuse?status=401\n    handshake failed · HTTP 401 · 1006');
    expect(r.stdout).toContain('#5  ws://127.0.0.1:1/ws\n    handshake failed · refused (net::ERR_CONNECTION_REFUSED) · 1006');
    expect(r.stdout).toContain('--fail-on handshake-failed: 4 of 5 connections match (#2, #3, #4, #5) → exit 1\n');
  });

  it('--json gives network: { status, statusLine, error, label } per connection', () => {
    const r = inProcess('report', FAILURES, '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.connections.map((c) => c.network)).toEqual([
      { status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols', error: null, label: '101' },
      { status: 403, statusLine: null, error: 'Error during WebSocket handshake: Unexpected response code: 403', label: '403' },
      { status: null, statusLine: null, error: 'net::ERR_NAME_NOT_RESOLVED', label: 'DNS' },
      { status: 401, statusLine: null, error: 'HTTP Authentication failed; no valid credentials available', label: '401' },
      { status: null, statusLine: null, error: 'net::ERR_CONNECTION_REFUSED', label: 'refused' },
    ]);
  });

  it('diagnoses with the network facts matched to the connections', () => {
    seen.contexts.length = 0;
    expect(inProcess('report', FAILURES).code).toBe(0);
    const network = seen.contexts.at(-1)?.network;
    expect(network?.size).toBe(5);
    expect(network?.get('har-page_1:1')).toMatchObject({ status: 403, sources: ['har'] });
    expect(network?.get('har-page_1:2')).toMatchObject({ error: 'net::ERR_NAME_NOT_RESOLVED' });
  });

  it('marks a handshake seen on the network only', () => {
    const c: Connection = {
      id: 'net:webrequest:9',
      doc: 'net',
      sid: 0,
      url: 'wss://worker.example/feed',
      protocols: [],
      netOnly: true,
      createdAt: 1_700_000_000_000,
      state: 'closed',
      close: { at: 1_700_000_000_020, code: 1006, reason: '', wasClean: false, synthetic: 'network-only' },
      closeCalls: [],
      messages: [],
      stats: { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, evicted: 0, missed: 0, maxSentSize: 0, maxReceivedSize: 0 },
    };
    const view = { url: c.url, at: c.createdAt, error: 'net::ERR_CONNECTION_REFUSED', sources: ['webrequest' as const], ids: ['webrequest:9'] };
    const har = exportHar({ connections: [c], context: [], network: new Map([[c.id, view]]) }, { creatorVersion: '0.1.0' });
    const file = join(mkdtempSync(join(tmpdir(), 'sa-cli-')), 'net-only.har');
    writeFileSync(file, JSON.stringify(har));
    // The outcome word is the diagnosis engine's; what the file says sits beside it.
    expect(inProcess('report', file).stdout).toMatch(/#1 {2}wss:\/\/worker\.example\/feed\n {4}[^·\n]+ · network only · refused \(net::ERR_CONNECTION_REFUSED\) · /);
    expect((JSON.parse(inProcess('report', file, '--json').stdout) as Report).connections[0]).toMatchObject({ networkOnly: true, network: { label: 'refused' } });
  });

  it('a file without network facts prints and reports none', () => {
    const r = inProcess('report', OURS, '--json');
    expect((JSON.parse(r.stdout) as Report).connections.every((c) => c.network === undefined)).toBe(true);
  });
});

describe('socket-autopsy report: usage and errors (main)', () => {
  it('exits 2 on usage errors', () => {
    expect(inProcess()).toMatchObject({ code: 2, stderr: expect.stringContaining('socket-autopsy: missing the command') });
    expect(inProcess('report')).toMatchObject({ code: 2, stderr: expect.stringContaining('socket-autopsy: missing the HAR file') });
    expect(inProcess('report', OURS, '--lang', 'fr')).toMatchObject({ code: 2, stderr: expect.stringContaining('--lang takes en or ja, not "fr"') });
    expect(inProcess('report', OURS, '--fail-on', 'bogus')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown --fail-on value "bogus"') });
    expect(inProcess('report', OURS, '--frobnicate')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown option "--frobnicate"') });
    expect(inProcess('explain', OURS)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "explain"') });
  });

  it("--help prints the usage and exits 0: the commands, and each command's own", () => {
    const r = inProcess('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: socket-autopsy <command>/);
    expect(r.stdout).toContain('report <file.har>');
    expect(r.stdout).toContain('view <file.har>');
    for (const args of [['report', '--help'], ['report', OURS, '-h'], ['help', 'report']]) {
      expect(inProcess(...args)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: socket-autopsy report <file\.har>/) });
    }
    for (const args of [['view', '--help'], ['help', 'view']]) {
      expect(inProcess(...args)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: socket-autopsy view <file\.har>/) });
    }
  });

  it('exits 2 when the file cannot be read or is not a HAR', () => {
    expect(inProcess('report', 'test/fixtures/nope.har')).toMatchObject({ code: 2, stderr: 'socket-autopsy: cannot read test/fixtures/nope.har: no such file\n' });
    expect(inProcess('report', 'test/fixtures')).toMatchObject({ code: 2, stderr: 'socket-autopsy: cannot read test/fixtures: not a file\n' });
    const dir = mkdtempSync(join(tmpdir(), 'sa-cli-'));
    const notHar = join(dir, 'x.har');
    writeFileSync(notHar, '{"entries": []}');
    expect(inProcess('report', notHar)).toMatchObject({ code: 2, stderr: `socket-autopsy: ${notHar}: not a HAR: there is no "log" object at the top level\n` });
  });
});

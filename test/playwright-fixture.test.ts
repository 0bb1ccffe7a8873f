// The Playwright fixture's Node side without a browser: batches as the hook sends them, folded
// and diagnosed (collector.ts), and the end of a test (capture.ts conclude): attachments, the
// failOn verdict, and the cases that must never fail a passing test. The fixture in a real
// Playwright run, installed from the tarball: scripts/package-test.ts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

import { PROTOCOL_VERSION } from '../src/core/wire/limits.ts';
import { Collector } from '../src/playwright/collector.ts';
import { conclude, resolveOptions, SocketAutopsyError, type FinishInfo } from '../src/playwright/capture.ts';
import { sessionMarkdown, TABLE_ROWS_MAX } from '../src/playwright/report.ts';
import { Recorder } from './helpers/events.ts';

const DOC = 'a'.repeat(32);
const DOC2 = 'b'.repeat(32);

/** The hook's batch text for the recorder's events (objects only; columns are page-batch.ts's own tests). */
const batchOf = (r: Recorder, from = 0, to = r.events.length): string => JSON.stringify({ v: PROTOCOL_VERSION, events: r.events.slice(from, to).map((e) => e.ev) });

function twoSockets(): Recorder {
  return new Recorder(DOC)
    .create(1, 10, 'wss://api.example/live?token=s3cr3t-t0ken-value')
    .open(1, 50)
    .close(1, 300, 1011, 'boom')
    .create(2, 400, 'wss://api.example/chat')
    .open(2, 450)
    .closeCall(2, 600, { code: 1000 })
    .close(2, 610, 1000);
}

interface Attached {
  name: string;
  contentType?: string;
  path?: string;
  body?: string | Buffer;
}

function fakeInfo(status: FinishInfo['status'], opts: { dir?: string; attach?: () => Promise<void> } = {}): FinishInfo & { attached: Attached[] } {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'sa-fixture-'));
  const attached: Attached[] = [];
  return {
    status,
    expectedStatus: 'passed',
    title: 'a test',
    annotations: [],
    attached,
    outputPath: (...parts: string[]) => join(dir, ...parts),
    attach: async (name: string, o: { path?: string; body?: string | Buffer; contentType?: string } = {}) => {
      if (opts.attach) await opts.attach();
      attached.push({ name, ...o });
    },
  } as FinishInfo & { attached: Attached[] };
}

const textOf = (a: Attached | undefined): string => (a?.path ? readFileSync(a.path, 'utf8') : String(a?.body ?? ''));

describe('Collector', () => {
  it('folds the hook batches of one document, in any number of batches, and diagnoses them', () => {
    const r = twoSockets();
    const c = new Collector();
    c.add(DOC, batchOf(r, 0, 4), 'page-1');
    c.add(DOC, batchOf(r, 4), 'page-1');
    const a = c.analyse(Date.now());
    expect(a.connections.map((x) => x.close?.code)).toEqual([1011, 1000]);
    expect(a.connections.map((x) => a.diagnoses.get(x.id)?.category)).toEqual(['server-error', 'closed-by-page']);
    expect(c.drops).toEqual({ malformed: 0, evicted: 0, hook: 0 });
  });

  it('refuses what the in-page relay never sends, and counts it', () => {
    const c = new Collector();
    c.add('not-a-doc', batchOf(twoSockets()));
    c.add(DOC, 'not json');
    c.add(DOC, JSON.stringify({ v: PROTOCOL_VERSION + 1, events: [] }));
    c.add(DOC, 42);
    expect(c.drops.malformed).toBe(4);
    expect(c.analyse(Date.now()).connections).toEqual([]);
  });

  it('drops a bad event alone and keeps the rest of its batch', () => {
    const r = twoSockets();
    const events: unknown[] = r.events.map((e) => e.ev);
    events.splice(2, 0, { k: 'open', sid: 'one', t: 'never' });
    const c = new Collector();
    c.add(DOC, JSON.stringify({ v: PROTOCOL_VERSION, events }));
    expect(c.drops.malformed).toBe(1);
    expect(c.analyse(Date.now()).connections).toHaveLength(2);
  });

  it('tells pages apart by the documents they sent', () => {
    const c = new Collector<string>();
    c.add(DOC, batchOf(twoSockets()), 'page-1');
    c.add(DOC2, batchOf(new Recorder(DOC2).create(1, 0).open(1, 5)), 'page-2');
    expect([...c.docsOf('page-2')]).toEqual([DOC2]);
    expect(c.analyse(Date.now(), c.docsOf('page-2')).connections).toHaveLength(1);
    expect(c.analyse(Date.now()).connections).toHaveLength(3);
  });
});

describe('the end of a test', () => {
  const collected = (): Collector => {
    const c = new Collector();
    c.add(DOC, batchOf(twoSockets()));
    return c;
  };

  it('fails a passing test that failOn matches, with the explanation as its message, and attaches both files', async () => {
    const info = fakeInfo('passed');
    const err = await conclude(collected(), resolveOptions({ failOn: ['server-error'] }), info, undefined, '0.0.0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SocketAutopsyError);
    const message = (err as Error).message;
    expect(message.split('\n')[0]).toBe('Socket Autopsy: 1 WebSocket connection matches failOn server-error');
    expect(message).toMatch(/^1011 · wss:\/\/api\.example\/live\?token=\[redacted\]$/m);
    expect(message).toMatch(/^  Server error: "boom" \(1011\)$/m);
    expect(message).toMatch(/^  - 22:13:20\.300 UTC Close event: 1011 Internal Error/m);
    expect(message).not.toContain('s3cr3t');
    expect(info.attached.map((a) => [a.name, a.contentType])).toEqual([
      ['sockets.har', 'application/json'],
      ['sockets.md', 'text/markdown'],
    ]);
    const har = JSON.parse(textOf(info.attached[0])) as { log: { entries: Array<{ request: { url: string } }> } };
    expect(har.log.entries.map((e) => e.request.url)).toEqual(['wss://api.example/live?token=[redacted]', 'wss://api.example/chat']);
    expect(textOf(info.attached[1])).toMatch(/\*\*failOn server-error\*\*: 1 connection matches\./);
  });

  it('attaches to a failed test without throwing anything of its own', async () => {
    const info = fakeInfo('failed');
    await conclude(collected(), resolveOptions({ failOn: 'server-error' }), info, undefined, '0.0.0');
    expect(info.attached.map((a) => a.name)).toEqual(['sockets.har', 'sockets.md']);
    expect(textOf(info.attached[1])).toMatch(/1011 Internal Error/);
  });

  it('leaves a passing test alone: nothing attached by default, everything with attach: always', async () => {
    const quiet = fakeInfo('passed');
    await conclude(collected(), resolveOptions({ failOn: 'abnormal' }), quiet, undefined, '0.0.0');
    expect(quiet.attached).toEqual([]);
    const always = fakeInfo('passed');
    await conclude(collected(), resolveOptions({ attach: 'always' }), always, undefined, '0.0.0');
    expect(always.attached.map((a) => a.name)).toEqual(['sockets.har', 'sockets.md']);
  });

  it('never fails a passing test for an output folder it cannot write, nor for an attach that throws', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // A path below a file: mkdir fails with ENOTDIR, as on a read-only or missing mount.
    const info = fakeInfo('passed', { dir: '/dev/null/no-such-dir', attach: () => Promise.reject(new Error('disk full')) });
    await expect(conclude(collected(), resolveOptions({ attach: 'always' }), info, undefined, '0.0.0')).resolves.toBeUndefined();
    expect(info.annotations.map((a) => a.description)).toEqual([
      expect.stringMatching(/^could not write sockets\.har to \/dev\/null\/no-such-dir\/sockets\.har \(.*\); attached inline instead$/),
      'could not attach sockets.har: disk full',
      expect.stringMatching(/^could not write sockets\.md/),
      'could not attach sockets.md: disk full',
    ]);
    warn.mockRestore();
  });

  it('says so when capture never started, and still passes', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const info = fakeInfo('passed');
    await conclude(new Collector(), resolveOptions({ failOn: 'any' }), info, 'the page hook bundle is missing', '0.0.0');
    expect(info.annotations).toEqual([{ type: 'socket-autopsy', description: 'no capture: the page hook bundle is missing' }]);
    warn.mockRestore();
  });

  it('refuses a wrong option by name', () => {
    expect(() => resolveOptions({ failOn: ['abnormal', 'sometimes'] })).toThrow(/^socket-autopsy: failOn: unknown value "sometimes"/);
    expect(() => resolveOptions({ attach: 'never' as 'always' })).toThrow(/attach must be 'on-failure' or 'always'/);
  });
});

describe('sockets.md', () => {
  it('stays bounded with a thousand sockets and says how many it left out', () => {
    const r = new Recorder(DOC);
    for (let i = 0; i < 1000; i++) r.create(i, i * 10, `wss://api.example/s${i}`).open(i, i * 10 + 2).close(i, i * 10 + 5, 1006);
    const c = new Collector();
    c.add(DOC, batchOf(r));
    const md = sessionMarkdown(c.analyse(Date.now()), { title: 't', lang: 'en', redact: true });
    expect(md).toMatch(/^1000 WebSocket connections: 1000× 1006 connection cut$/m);
    expect(md.split('\n').filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(TABLE_ROWS_MAX);
    expect(md).toContain(`…and ${1000 - TABLE_ROWS_MAX} more.`);
    expect(md).toMatch(/980 more not shown here/);
    expect(md.length).toBeLessThan(100_000);
  });

  it('is in Japanese when asked', () => {
    const c = new Collector();
    c.add(DOC, batchOf(twoSockets()));
    const md = sessionMarkdown(c.analyse(Date.now()), { title: 't', lang: 'ja', redact: true });
    expect(md).toMatch(/WebSocket 接続 2 件：/);
  });
});

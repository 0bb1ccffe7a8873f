// Injected faults in a HAR (the entry's `_injected`, `_injected: true` on messages and on the
// close) and in the CLI's report: a round trip, redaction, hostile values, --fail-on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { main } from '../src/cli/report.ts';
import { diagnoseAll } from '../src/core/diagnosis/diagnose.ts';
import { exportHar, importHar, type Har } from '../src/core/har/har.ts';
import { FAULTS_KEPT } from '../src/core/session/session.ts';
import { fmtClock } from '../src/core/knowledge/i18n/text.ts';
import { expectValidHar } from './har-valid.ts';
import { analyse, Recorder, T0 } from './helpers/events.ts';

const S = 1000;
const OPTS = { creatorVersion: '0.1.0', lang: 'en' as const };
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjb3JwdXMifQ.c2lnbmF0dXJlLWNvcnB1cw';

function session() {
  const r = new Recorder().create(1, 0, 'wss://api.example/socket').open(1, 50).message(1, S);
  r.inject(2 * S, 'block-sends', { sid: 1, pattern: `token=${JWT}` });
  r.inject(3 * S, 'send', { sid: 1, dir: 'in', size: 26 }).injectedMessage(1, 3 * S, `{"auth":"token=${JWT}"}`);
  r.inject(4 * S, 'close', { sid: 1, code: 4001, reason: `token=${JWT}` }).injectedClose(1, 4 * S + 1, 4001, 'try later');
  return analyse(r, 100 * S);
}

function exported(redact: boolean): Har {
  const a = session();
  return exportHar({ connections: a.conns, context: a.state.context, diagnoses: diagnoseAll(a.ctx) }, { ...OPTS, redact });
}

function reimport(har: Har) {
  const r = importHar(JSON.stringify(har));
  if (!r.ok) throw new Error(r.error);
  return r.session.connections[0]!;
}

describe('HAR export of injected faults', () => {
  it('writes _injected on the entry, the message and the close, and stays a valid HAR', () => {
    const har = exported(false);
    expectValidHar(har);
    const e = har.log.entries[0]!;
    expect(e._injected?.map((f) => [f.op, f.at])).toEqual([
      ['block-sends', T0 + 2 * S],
      ['send', T0 + 3 * S],
      ['close', T0 + 4 * S],
    ]);
    expect(e._webSocketMessages.map((m) => m._injected)).toEqual([undefined, true]);
    expect(e._webSocketClose?._injected).toBe(true);
    expect(e._diagnosis?.category).toBe('injected');
  });

  it('round-trips: the faults, the injected message and the injected close come back', () => {
    const a = session();
    const back = reimport(exported(false));
    const orig = a.conn(1);
    expect(back.faults).toEqual(orig.faults);
    expect(back.messages.map((m) => m.inj)).toEqual([undefined, true]);
    expect(back.close).toEqual(orig.close);
  });

  it('redacts what was typed in the panel and the injected payload like any text', () => {
    const text = JSON.stringify(exported(true));
    expect(text).not.toContain(JWT);
    const e = exported(true).log.entries[0]!;
    expect(e._injected![0]!.pattern).toContain('[redacted]');
    expect(e._injected![2]!.reason).toContain('[redacted]');
    expect(e._socketAutopsy.redacted).toEqual(expect.arrayContaining([expect.stringMatching(/^_injected\[0\]\.pattern/)]));
  });

  it('refuses hostile _injected values with a clear message', () => {
    const bad = (mutate: (e: Record<string, unknown>) => void): string => {
      const har = exported(false) as unknown as { log: { entries: Record<string, unknown>[] } };
      mutate(har.log.entries[0]!);
      const r = importHar(JSON.stringify(har));
      if (r.ok) throw new Error('expected a refusal');
      return r.error;
    };
    expect(bad((e) => (e._injected = [{ at: 1, op: 'explode', ok: true }]))).toMatch(/log\.entries\[0\]\._injected\[0\]\.op/);
    expect(bad((e) => (e._injected = Array.from({ length: FAULTS_KEPT + 1 }, () => ({ at: 1, op: 'drop', ok: true }))))).toMatch(/_injected/);
    expect(bad((e) => (e._injected = [{ at: 1, op: 'block-sends', ok: true, pattern: 'x'.repeat(300) }]))).toMatch(/_injected\[0\]\.pattern/);
    expect(bad((e) => ((e._webSocketMessages as Record<string, unknown>[])[1]!._injected = 'yes'))).toMatch(/_webSocketMessages\[1\]\._injected/);
    expect(bad((e) => ((e._webSocketClose as Record<string, unknown>)._injected = 1))).toMatch(/_webSocketClose\._injected/);
  });
});

describe('socket-autopsy report with injected faults', () => {
  const file = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-faults-'));
    const path = join(dir, 'faults.har');
    const a = analyse(
      new Recorder().create(1, 0).open(1, 50).inject(5 * S, 'drop', { sid: 1 }).injectedClose(1, 5 * S + 2, 1006)
        .create(2, 6 * S).open(2, 6 * S + 50).inject(8 * S, 'close', { sid: 2, code: 1013, reason: 'try later' }).injectedClose(2, 8 * S + 1, 1013, 'try later'),
      400 * S,
    );
    writeFileSync(path, JSON.stringify(exportHar({ connections: a.conns, context: a.state.context }, { ...OPTS, redact: false })));
    return path;
  };
  const run = (...args: string[]): { code: number; stdout: string } => {
    let stdout = '';
    const code = main(args, { stdout: (s) => (stdout += s), stderr: () => undefined });
    // `report` answers at once (only `view` gives a promise: it serves until stopped).
    if (typeof code !== 'number') throw new Error('main gave a promise for report');
    return { code, stdout };
  };

  it('prints the faults per connection, in text and JSON', () => {
    const path = file();
    const text = run('report', path);
    expect(text.stdout).toContain(`    Injected: drop at ${fmtClock(T0 + 5 * S)}\n`);
    expect(text.stdout).toContain(`    Injected: server close 1013 "try later" at ${fmtClock(T0 + 8 * S)}\n`);
    expect(text.stdout).toContain('injected · 1006');
    const json = JSON.parse(run('report', path, '--json').stdout) as { connections: { outcome: string; injected?: { op: string; at: number; ok: boolean; text: string }[] }[] };
    expect(json.connections.map((c) => c.outcome)).toEqual(['injected', 'injected']);
    expect(json.connections[1]!.injected).toEqual([{ at: T0 + 8 * S, op: 'close', ok: true, text: 'server close 1013 "try later"' }]);
    const ja = run('report', path, '--lang', 'ja');
    expect(ja.stdout).toContain('注入:');
  });

  it('--fail-on any does not fail on injected faults', () => {
    const r = run('report', file(), '--fail-on', 'any');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--fail-on any: no connection matches');
  });
});

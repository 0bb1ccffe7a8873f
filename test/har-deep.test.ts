// Deep capture in a HAR: the browser's frame errors (with their times) and the network layer's
// close in `_webSocketNetwork`, the worker that made a connection in `_worker`. Both are
// underscore fields, so Chrome's importer opens the file as before (expectValidHar); both come
// back on import, bounded, and the diagnosis of the imported file is the same protocol error.
import { describe, expect, it } from 'vitest';

import { diagnoseAll } from '../src/core/diagnosis/diagnose.ts';
import { exportHar, importHar } from '../src/core/har/har.ts';
import { matchNetwork } from '../src/core/network/net-match.ts';
import type { NetObservation } from '../src/core/network/net.ts';
import { expectValidHar } from './har-valid.ts';
import { analyse, Recorder, T0 } from './helpers/events.ts';

const OPTS = { creatorVersion: '0.1.0', lang: 'en' as const };
const URL = 'ws://127.0.0.1:8080/ws/bad-close-1005';
const TEXT = 'Received a broken close frame containing a reserved status code.';
const WORKER = { type: 'dedicated' as const, url: 'http://127.0.0.1:8080/workers/dedicated-worker.js?token=abc' };

function capture() {
  const a = analyse(new Recorder().create(1, 100, URL).open(1, 120).message(1, 130).error(1, 301).close(1, 301, 1006), T0 + 10_000);
  const conn = a.conn(1);
  conn.worker = { ...WORKER };
  const obs: NetObservation = {
    id: 'cdp:1',
    source: 'cdp',
    url: URL,
    at: T0 + 105,
    status: 101,
    responseAt: T0 + 110,
    frameErrors: [{ at: T0 + 300, text: TEXT }],
    closedAt: T0 + 302,
  };
  const network = matchNetwork(a.conns, [obs]).byConn;
  return { input: { connections: a.conns, context: a.ctx.context, network }, a };
}

function mustImport(text: string) {
  const r = importHar(text);
  if (!r.ok) throw new Error(r.error);
  return r;
}

describe('HAR: frame errors and workers', () => {
  const { input } = capture();

  it('exports them as underscore fields Chrome\'s importer ignores', () => {
    const har = exportHar(input, { ...OPTS, redact: false });
    expectValidHar(har);
    const e = har.log.entries[0]!;
    expect(e._webSocketNetwork?.frameErrors).toEqual([{ at: T0 + 300, text: TEXT }]);
    expect(e._webSocketNetwork?.closedAt).toBe(T0 + 302);
    expect(e._worker).toEqual(WORKER);
  });

  it('redacts the worker URL like any URL when asked', () => {
    const e = exportHar(input, OPTS).log.entries[0]!;
    expect(e._worker?.url).not.toContain('token=abc');
    expect(e._worker?.type).toBe('dedicated');
  });

  it('round-trips: frame errors, close and worker come back, and the diagnosis is the protocol error', () => {
    const text = JSON.stringify(exportHar(input, { ...OPTS, redact: false }));
    const s = mustImport(text).session;
    const conn = s.connections[0]!;
    expect(conn.worker).toEqual(WORKER);
    const network = matchNetwork(s.connections, s.state.net.values()).byConn;
    const view = network.get(conn.id)!;
    expect(view.frameErrors).toEqual([{ at: T0 + 300, text: TEXT }]);
    expect(view.closedAt).toBe(T0 + 302);
    const d = diagnoseAll({ connections: s.connections, context: s.context, now: s.endedAt, network }).get(conn.id)!;
    expect(d.category).toBe('protocol-error');
    expect(d.evidence.some((e) => e.fact === 'worker')).toBe(true);
  });

  it('refuses more frame errors than an observation may hold, and a worker of an unknown type', () => {
    const har = exportHar(input, { ...OPTS, redact: false });
    const e = har.log.entries[0]!;
    e._webSocketNetwork!.frameErrors = Array.from({ length: 9 }, (_, i) => ({ at: T0 + i, text: 'x' }));
    expect(importHar(JSON.stringify(har)).ok).toBe(false);
    const har2 = exportHar(input, { ...OPTS, redact: false });
    (har2.log.entries[0]!._worker as { type: string }).type = 'audio-worklet';
    expect(importHar(JSON.stringify(har2)).ok).toBe(false);
  });

  it('makes hostile texts inert and bounded on import', () => {
    const har = exportHar(input, { ...OPTS, redact: false });
    const e = har.log.entries[0]!;
    e._webSocketNetwork!.frameErrors = [{ at: T0 + 300, text: `evil\u202e${'y'.repeat(5000)}` }];
    e._worker!.url = `http://x/\u0007${'z'.repeat(20_000)}`;
    const s = mustImport(JSON.stringify(har)).session;
    const conn = s.connections[0]!;
    const view = matchNetwork(s.connections, s.state.net.values()).byConn.get(conn.id)!;
    const said = view.frameErrors![0]!.text;
    expect(said).not.toContain('\u202e');
    expect(said.length).toBeLessThanOrEqual(512);
    expect(conn.worker!.url).not.toContain('\u0007');
    expect(conn.worker!.url.length).toBeLessThanOrEqual(8192);
  });
});

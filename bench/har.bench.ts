// HAR export and import at the size the issue names: 100,000 messages across 100 connections
// (10,000 with --quick). Times are the median of 5 runs; bytes are the UTF-8 size of the file.
// The session is built through the real reducer (applyBatch), as the panel's store builds it.
import { diagnoseAll } from '../src/core/diagnosis/diagnose.ts';
import { exportHar, importHar } from '../src/core/har/har.ts';
import { base64 } from '../src/core/wire/payload.ts';
import type { HookEvent, SeqEvent } from '../src/core/wire/protocol.ts';
import { applyBatch, createSession, listConnections, type SessionState } from '../src/core/session/session.ts';
import type { BenchOptions, BenchResult } from './types.ts';

const T0 = 1_700_000_000_000;
const DOC = 'doc-benchmark1';

/** A chat-like session: JSON text both ways, one binary frame in ten, every socket closed. */
export function buildSession(connections: number, messagesPerConnection: number): SessionState {
  const state = createSession({ maxMessagesPerConnection: messagesPerConnection });
  const events: SeqEvent[] = [];
  let seq = 0;
  const push = (ev: HookEvent): void => {
    events.push({ seq: seq++, ev });
  };
  push({ k: 'hello', t: 0, timeOrigin: T0, url: 'https://app.example/', top: true });
  const bytes = new Uint8Array(48).map((_, i) => (i * 37) & 0xff);
  for (let sid = 0; sid < connections; sid++) {
    const t0 = sid * 1000.25;
    push({ k: 'create', sid, t: t0, url: `wss://api.example/socket?room=r${sid}&token=abc${sid}def`, protocols: ['v1.chat'] });
    push({ k: 'open', sid, t: t0 + 31.5, protocol: 'v1.chat', extensions: 'permessage-deflate' });
    const n = { out: 0, in: 0 };
    for (let i = 0; i < messagesPerConnection; i++) {
      const t = t0 + 40 + i * 12.125;
      const bin = i % 10 === 9;
      const data = bin ? base64(bytes) : JSON.stringify({ type: 'msg', id: i, room: `r${sid}`, text: `hello number ${i} from the benchmark`, at: t });
      const size = bin ? bytes.length : data.length;
      if (i % 2 === 0) push({ k: 'send', sid, t, n: n.out++, rs: 1, buffered: 0, bin, size, data });
      else push({ k: 'message', sid, t, n: n.in++, bin, size, data });
    }
    const end = t0 + 40 + messagesPerConnection * 12.125 + 500;
    if (sid % 3 === 0) push({ k: 'close', sid, t: end, code: 1006, reason: '', clean: false });
    else push({ k: 'close', sid, t: end, code: 1011, reason: 'boom', clean: true });
  }
  applyBatch(state, DOC, events);
  return state;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time<T>(fn: () => T, runs: number): { ms: number; out: T } {
  let out: T | undefined;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = fn();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), out: out as T };
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const connections = 100;
  const total = opts.tiny ? 1_000 : opts.quick ? 10_000 : 100_000;
  const runs = opts.tiny ? 1 : 5;
  const perConn = total / connections;
  const state = buildSession(connections, perConn);
  const conns = listConnections(state);
  const now = T0 + connections * 1000.25 + perConn * 12.125 + 10_000;
  const diagnoses = diagnoseAll({ connections: conns, context: state.context, now });
  const input = { connections: conns, context: state.context, diagnoses, pageUrl: 'https://app.example/' };
  const exportOpts = { creatorVersion: 'bench', lang: 'en' as const };

  const exp = time(() => JSON.stringify(exportHar(input, exportOpts)), runs);
  const text = exp.out;
  const bytes = Buffer.byteLength(text, 'utf8');
  const imp = time(() => importHar(text), runs);
  if (!imp.out.ok) throw new Error(`bench import failed: ${imp.out.error}`);
  // The floor any importer pays: parsing the same text. The ratio is what validation and
  // rebuilding the connections cost on top, measured in this run (machine-independent).
  const parse = time(() => JSON.parse(text) as unknown, runs);
  const got = imp.out.session.connections.reduce((s, c) => s + c.messages.length, 0);
  if (got !== total) throw new Error(`bench import rebuilt ${got} messages, expected ${total}`);

  const label = `${total.toLocaleString('en')} msgs / ${connections} conns`;
  const target = '< 1000 ms';
  return [
    { name: `HAR export + JSON.stringify (${label})`, value: round(exp.ms), unit: 'ms', target, met: exp.ms < 1000 },
    { name: `HAR import (${label})`, value: round(imp.ms), unit: 'ms', target, met: imp.ms < 1000 },
    { name: `HAR import ÷ bare JSON.parse (${label})`, value: round(imp.ms / parse.ms), unit: '×', note: `JSON.parse alone: ${round(parse.ms)} ms` },
    { name: `HAR file size (${label})`, value: bytes, unit: 'bytes', note: `${(bytes / 1024 / 1024).toFixed(1)} MiB, ${Math.round(bytes / total)} B per message` },
  ];
}

const round = (x: number): number => Math.round(x * 10) / 10;

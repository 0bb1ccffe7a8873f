// What decoding application protocols costs: per message, through the panel's own path
// (core/protocols/track.ts protocolOf, incremental, on a session built by the real reducer), for
// Socket.IO events and graphql-ws `next` frames against the same stream not recognised as any
// protocol (detection only) — side by side in one run. And the worst single frame each decoder
// meets at the hook's 16 KiB cap: deep JSON, a line of newlines, garbage bytes — the "bounded
// time per frame" a hostile page cannot stretch.
import { DECODERS, protocolOf } from '../src/core/protocols/index.ts';
import type { FrameIn } from '../src/core/protocols/types.ts';
import { PAYLOAD_CAP_BYTES } from '../src/core/wire/limits.ts';
import { base64 } from '../src/core/wire/payload.ts';
import type { HookEvent, SeqEvent } from '../src/core/wire/protocol.ts';
import { applyBatch, createSession, listConnections } from '../src/core/session/session.ts';
import type { BenchOptions, BenchResult } from './types.ts';

const T0 = 1_700_000_000_000;

type Flavour = 'plain' | 'socketio' | 'graphql-ws';

function stream(flavour: Flavour, n: number) {
  const state = createSession({ maxMessagesPerConnection: n + 10, maxMessages: n + 10, maxMessageBytes: 1 << 30 });
  const events: SeqEvent[] = [];
  let seq = 0;
  const push = (ev: HookEvent): void => void events.push({ seq: seq++, ev });
  push({ k: 'hello', t: 0, timeOrigin: T0, url: 'https://app.example/', top: true });
  const url = flavour === 'socketio' ? 'wss://api.example/socket.io/?EIO=4&transport=websocket' : 'wss://api.example/live';
  const protocols = flavour === 'graphql-ws' ? ['graphql-transport-ws'] : [];
  push({ k: 'create', sid: 1, t: 1, url, protocols });
  push({ k: 'open', sid: 1, t: 2, protocol: protocols[0] ?? '', extensions: '' });
  let nin = 0;
  let nout = 0;
  const recv = (t: number, data: string): void => push({ k: 'message', sid: 1, t, n: nin++, bin: false, size: data.length, data });
  const send = (t: number, data: string): void => push({ k: 'send', sid: 1, t, n: nout++, rs: 1, buffered: 0, bin: false, size: data.length, data });
  if (flavour === 'socketio') recv(3, '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}');
  if (flavour === 'graphql-ws') {
    send(3, '{"type":"connection_init","payload":{}}');
    recv(4, '{"type":"connection_ack"}');
    send(5, '{"id":"1","type":"subscribe","payload":{"query":"subscription { prices { symbol price } }"}}');
  }
  for (let i = 0; i < n; i++) {
    const body = `{"symbol":"SYM${i % 50}","price":${(100 + (i % 997) / 7).toFixed(3)},"seq":${i}}`;
    const data = flavour === 'socketio' ? `42["price",${body}]` : flavour === 'graphql-ws' ? `{"id":"1","type":"next","payload":{"data":{"prices":${body}}}}` : body;
    recv(10 + i, data);
  }
  applyBatch(state, 'doc-bench-proto', events);
  return listConnections(state)[0]!;
}

function perMessage(flavour: Flavour, n: number, runs: number): number {
  const ns: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c = stream(flavour, n);
    const t = performance.now();
    protocolOf(c);
    ns.push(((performance.now() - t) * 1e6) / c.messages.length);
  }
  ns.sort((a, b) => a - b);
  return ns[ns.length >> 1]!;
}

/** Inputs at the capture's cap that make a naive decoder slow: deep nesting, long runs, garbage. */
function hostile(): Array<{ what: string; frame: FrameIn }> {
  const cap = PAYLOAD_CAP_BYTES;
  const at = T0;
  const text = (what: string, data: string) => ({ what, frame: { dir: 'in' as const, at, bin: false, size: data.length, data } });
  const bytes = new Uint8Array(cap).map((_, i) => (i * 131 + 7) & 0xff);
  return [
    text('deep JSON array', '['.repeat(cap / 2) + ']'.repeat(cap / 2)),
    text('Socket.IO event, deep', `42["x",${'['.repeat(cap / 2 - 8)}${']'.repeat(cap / 2 - 8)}]`),
    text('newlines (STOMP heart-beat shape)', '\n'.repeat(cap)),
    text('record separators (SignalR shape)', '\u001e'.repeat(cap)),
    text('SockJS array of many strings', `a[${Array.from({ length: cap / 4 }, () => '""').join(',')}]`),
    { what: 'binary garbage', frame: { dir: 'in', at, bin: true, size: cap, data: base64(bytes) } },
  ];
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const n = opts.tiny ? 500 : opts.quick ? 20_000 : 100_000;
  const runs = opts.tiny ? 1 : 5;
  const out: BenchResult[] = [];
  const plain = perMessage('plain', n, runs);
  for (const flavour of ['socketio', 'graphql-ws'] as const) {
    const v = perMessage(flavour, n, runs);
    out.push({
      name: `decode per message, ${flavour === 'socketio' ? 'Socket.IO 42 events' : 'graphql-ws next'} (${n.toLocaleString('en')})`,
      value: Math.round(v),
      unit: 'ns',
      target: '< 20,000 ns (1,000 msg/s costs < 2 % of a core)',
      met: v < 20_000,
      note: `an unrecognised stream, same run: ${Math.round(plain)} ns per message (detection only, then nothing)`,
    });
  }
  // Every decoder on every hostile input, each as the first frame of a fresh state.
  let worst = { us: 0, what: '' };
  for (const { what, frame } of hostile()) {
    for (const d of DECODERS) {
      const hints = { url: 'wss://x.example/socket.io/?EIO=4', protocols: [] };
      const state = d.init(hints, { protocol: d.id, certainty: 'certain', by: 'frames' });
      const reps = opts.tiny ? 1 : 5;
      let best = Infinity;
      for (let k = 0; k < reps; k++) {
        const t = performance.now();
        d.decode(frame, state);
        best = Math.min(best, (performance.now() - t) * 1000);
      }
      if (best > worst.us) worst = { us: best, what: `${d.label} on ${what}` };
    }
  }
  out.push({
    name: `slowest decoder on one hostile ${PAYLOAD_CAP_BYTES / 1024} KiB frame`,
    value: Math.round(worst.us),
    unit: 'µs',
    target: '< 10,000 µs',
    met: worst.us < 10_000,
    note: worst.what,
  });
  return out;
}

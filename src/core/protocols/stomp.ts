// STOMP 1.0–1.2 over WebSocket: frames `COMMAND EOL *(header EOL) EOL body NUL`, one or more per
// WebSocket message; a message of EOLs alone is a heart-beat. Header values are escaped in 1.2
// (\n \c \\ \r). Spec: https://stomp.github.io/stomp-specification-1.2.html (Frames and Headers,
// Value Encoding, Heart-beating).
import { bytesOf, clip, utf8 } from './text.ts';
import type { ConnectionHints, DecodedFrame, DecodeResult, Decoder, Detection, FrameIn, HeartbeatTerms } from './types.ts';

export interface StompState {
  /** The client's CONNECT heart-beat [cx, cy], kept until CONNECTED answers. */
  client?: [number, number];
  version?: string;
  /** receipt id → the command that asked for it. */
  receipts: Map<string, string>;
}

const P = 'stomp' as const;
const SUBPROTOCOL = /^v1[012]\.stomp$/;
const CLIENT_CMDS = new Set(['CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT']);
const SERVER_CMDS = new Set(['CONNECTED', 'MESSAGE', 'RECEIPT', 'ERROR']);
/** Receipt ids remembered per connection: a page that never gets RECEIPTs must not grow this. */
const MAX_RECEIPTS = 256;
const MAX_HEADERS = 64;

function unescape(v: string): string {
  return v.replace(/\\([ncr\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'c' ? ':' : c === 'r' ? '\r' : '\\'));
}

function heartBeat(v: string | undefined): [number, number] | undefined {
  const m = v === undefined ? null : /^\s*(\d{1,9})\s*,\s*(\d{1,9})\s*$/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

interface Raw {
  command: string;
  headers: Record<string, string>;
  body: string;
  complete: boolean;
}

/** Splits the text into frames; the last one is incomplete when it lacks its NUL. */
function split(text: string): Raw[] {
  const out: Raw[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= text.length) break;
    const end = text.indexOf('\0', i);
    const chunk = end < 0 ? text.slice(i) : text.slice(i, end);
    i = end < 0 ? text.length : end + 1;
    const blank = chunk.search(/\r?\n\r?\n/);
    const head = blank < 0 ? chunk : chunk.slice(0, blank);
    const body = blank < 0 ? '' : chunk.slice(blank).replace(/^\r?\n\r?\n/, '');
    const lines = head.split(/\r?\n/, MAX_HEADERS + 1);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const c = line.indexOf(':');
      if (c <= 0) continue;
      const k = clip(unescape(line.slice(0, c)), 200);
      // 1.2: when a header repeats, only the first value counts.
      if (!(k in headers)) headers[k] = clip(unescape(line.slice(c + 1)), 1000);
    }
    out.push({ command: clip(lines[0] ?? '', 40), headers, body: clip(body), complete: end >= 0 && blank >= 0 });
    if (out.length >= 1000) break;
  }
  return out;
}

function negotiate(s: StompState, server: [number, number] | undefined): HeartbeatTerms | undefined {
  if (!server) return undefined;
  const [cx, cy] = s.client ?? [0, 0];
  const [sx, sy] = server;
  // Heart-beating: client→server every max(cx, sy) when both are non-zero, server→client every max(sx, cy).
  const clientEveryMs = cx > 0 && sy > 0 ? Math.max(cx, sy) : 0;
  const serverEveryMs = sx > 0 && cy > 0 ? Math.max(sx, cy) : 0;
  const pinger = serverEveryMs && clientEveryMs ? 'both' : serverEveryMs ? 'server' : 'client';
  return {
    pinger,
    ...(serverEveryMs ? { intervalMs: serverEveryMs } : clientEveryMs ? { intervalMs: clientEveryMs } : {}),
    serverEveryMs,
    clientEveryMs,
    source: 'announced',
    from: 'STOMP CONNECTED heart-beat',
  };
}

function toFrame(r: Raw, dir: 'in' | 'out', s: StompState): DecodedFrame | undefined {
  const h = r.headers;
  const cmd = r.command;
  const known = dir === 'out' ? CLIENT_CMDS.has(cmd) : SERVER_CMDS.has(cmd);
  if (!known) return undefined;
  const f: DecodedFrame = { protocol: P, type: cmd, cls: 'control', body: r.body ? { headers: h, body: r.body } : { headers: h } };
  if (!r.complete) f.partial = true;
  const dest = h.destination;
  if (dest !== undefined) {
    f.topic = dest;
    if (cmd === 'SEND' || cmd === 'SUBSCRIBE' || cmd === 'MESSAGE') f.type = `${cmd} ${clip(dest, 120)}`;
  }
  if (h.receipt !== undefined && dir === 'out') {
    f.id = h.receipt;
    f.pair = 'request';
    if (s.receipts.size < MAX_RECEIPTS) s.receipts.set(h.receipt, cmd);
  }
  switch (cmd) {
    case 'CONNECT':
    case 'STOMP':
      f.cls = 'handshake';
      s.client = heartBeat(h['heart-beat']) ?? [0, 0];
      break;
    case 'CONNECTED': {
      f.cls = 'handshake';
      s.version = h.version ?? '1.0';
      const terms = negotiate(s, heartBeat(h['heart-beat']));
      if (terms) f.terms = terms;
      break;
    }
    case 'SEND':
    case 'MESSAGE':
      f.cls = 'data';
      if (cmd === 'MESSAGE' && h['message-id'] !== undefined) f.id = h['message-id'];
      break;
    case 'RECEIPT':
      if (h['receipt-id'] !== undefined) {
        f.id = h['receipt-id'];
        f.pair = 'response';
        s.receipts.delete(h['receipt-id']);
      }
      break;
    case 'ERROR': {
      f.cls = 'error';
      const reason = h.message;
      f.close = { by: 'server', ...(reason !== undefined ? { reason } : {}), ...(r.body ? { detail: clip(r.body, 1000) } : {}) };
      if (h['receipt-id'] !== undefined) (f.id = h['receipt-id']), (f.pair = 'response');
      break;
    }
    case 'DISCONNECT':
      f.cls = 'close';
      f.close = { by: 'client' };
      break;
  }
  return f;
}

function textOf(f: FrameIn): string | undefined {
  if (f.data === undefined) return undefined;
  if (!f.bin) return f.data;
  const b = bytesOf(f.data);
  return b ? utf8(b) : undefined;
}

function decodeFrame(f: FrameIn, s: StompState): DecodeResult {
  const text = textOf(f);
  if (text === undefined) return { protocol: P, error: f.data === undefined ? 'not captured' : 'not base64' };
  if (text.length <= 64 && /^(\r?\n)+$/.test(text)) return [{ protocol: P, type: 'heart-beat', cls: 'heartbeat' }];
  // Past the hook's 16 KiB cap nothing is a whole frame anyway; a bound keeps the work per frame fixed.
  const raws = split(text.length > 65_536 ? text.slice(0, 65_536) : text);
  if (raws.length === 0) return { protocol: P, error: 'empty' };
  const out: DecodedFrame[] = [];
  for (const r of raws) {
    const d = toFrame(r, f.dir, s);
    if (!d) break;
    out.push(d);
  }
  if (out.length === 0) return { protocol: P, error: f.trunc ? 'truncated frame' : 'unknown command' };
  if (f.trunc || out.length < raws.length) out[out.length - 1]!.partial = true;
  return out;
}

/** The client's first frame when it is a CONNECT/STOMP with accept-version: STOMP's own handshake. */
function isHandshake(f: FrameIn): string | undefined {
  if (f.dir !== 'out' || f.data === undefined) return undefined;
  const text = f.bin ? (() => { const b = bytesOf(f.data.slice(0, 1400)); return b ? utf8(b) : ''; })() : f.data.slice(0, 1024);
  if (!/^(CONNECT|STOMP)\r?\n/.test(text)) return undefined;
  const m = /\naccept-version:([0-9.,]+)\r?\n/.exec(text);
  return m ? m[1] : undefined;
}

export const stompDecoder: Decoder<StompState> = {
  id: P,
  label: 'STOMP',
  detect(h: ConnectionHints): Detection | undefined {
    const sub = h.protocol && SUBPROTOCOL.test(h.protocol) ? h.protocol : h.protocols.find((p) => SUBPROTOCOL.test(p));
    return sub ? { protocol: P, certainty: 'certain', by: 'subprotocol', variant: `STOMP 1.${sub[2]}` } : undefined;
  },
  sniff(frames: readonly FrameIn[], h: ConnectionHints): Detection | undefined {
    const byHints = this.detect(h);
    if (byHints) return byHints;
    const first = frames.find((f) => f.dir === 'out');
    const versions = first ? isHandshake(first) : undefined;
    if (versions === undefined) return undefined;
    const top = versions.split(',').sort().pop() ?? '';
    return { protocol: P, certainty: 'certain', by: 'frames', variant: `STOMP ${clip(top, 8)}` };
  },
  init: () => ({ receipts: new Map() }),
  decode: decodeFrame,
};

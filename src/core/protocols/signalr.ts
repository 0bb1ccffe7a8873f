// ASP.NET Core SignalR hub protocol
// (https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md).
// The client opens with a JSON handshake `{"protocol":"json"|"messagepack","version":1}` + 0x1E;
// the server answers `{}` + 0x1E or `{"error":"…"}` + 0x1E. A successful answer is written after
// the connection's transfer format is switched (HubConnectionContext.HandshakeAsync sets
// ActiveFormat first), so for MessagePack it is a binary frame; a refusal stays text. JSON messages are objects ending in 0x1E, several per
// WebSocket message; MessagePack messages are arrays behind a varint length, several per binary
// message. Both carry the same numbered types (1 Invocation … 9 Sequence).
import { PAYLOAD_CAP_BYTES } from '../wire/limits.ts';
import { readArrayHead, readMsgpack } from './msgpack.ts';
import { bytesOf, clip, isObject, num, parseJson, str, utf8 } from './text.ts';
import type { ConnectionHints, DecodedFrame, DecodeResult, Decoder, Detection, FrameIn, HeartbeatTerms } from './types.ts';

const P = 'signalr' as const;
const RS = '\x1e';

interface State {
  /** The server's handshake response was seen: later objects without a `type` are not one. */
  answered?: boolean;
}

/** The handshake request of its exact shape: `{"protocol":"…","version":N}` and one 0x1E, nothing else. */
function handshakeRequest(text: string): { protocol: string; version: number } | undefined {
  if (!text.endsWith(RS) || text.indexOf(RS) !== text.length - 1) return undefined;
  const p = parseJson(text.slice(0, -1));
  if (!p.ok || !isObject(p.value)) return undefined;
  const keys = Object.keys(p.value);
  const protocol = str(p.value, 'protocol');
  const version = num(p.value, 'version');
  if (keys.length !== 2 || !protocol || version === undefined || !/^[a-z]{1,20}$/.test(protocol)) return undefined;
  return { protocol, version };
}

/** One hub message (JSON object or MessagePack array turned into the same fields) as a frame. */
function hubFrame(m: Record<string, unknown>, dir: FrameIn['dir']): DecodedFrame {
  const type = num(m, 'type');
  const rawId = m.invocationId;
  const id = typeof rawId === 'string' ? clip(rawId, 200) : undefined;
  const withId = id !== undefined ? { id } : {};
  const target = str(m, 'target');
  const named = (verb: string): string => (target !== undefined ? `${verb} ${clip(target, 80)}` : verb);
  const args = { body: { arguments: m.arguments, ...(m.streamIds !== undefined ? { streamIds: m.streamIds } : {}) } };
  switch (type) {
    case 1:
      // No invocation id: a non-blocking invocation, which no message answers (spec, "Non-Blocking Invocations").
      return { protocol: P, type: named('invoke'), cls: 'data', ...withId, ...(id !== undefined ? { pair: 'request' as const } : {}), ...args };
    case 2:
      return { protocol: P, type: 'item', cls: 'data', ...withId, pair: 'stream', body: m.item };
    case 3: {
      if (typeof m.error === 'string')
        return { protocol: P, type: 'completion error', cls: 'error', ...withId, pair: 'response', body: { error: clip(m.error) } };
      return { protocol: P, type: 'completion', cls: 'data', ...withId, pair: 'response', ...('result' in m ? { body: { result: m.result } } : {}) };
    }
    case 4:
      return { protocol: P, type: named('stream'), cls: 'data', ...withId, pair: 'request', ...args };
    case 5:
      return { protocol: P, type: 'cancel', cls: 'control', ...withId };
    case 6:
      return { protocol: P, type: 'ping', cls: 'heartbeat' };
    case 7: {
      const error = typeof m.error === 'string' ? clip(m.error, 500) : undefined;
      const reconnect = typeof m.allowReconnect === 'boolean' ? m.allowReconnect : undefined;
      return {
        protocol: P,
        type: 'close',
        cls: 'close',
        ...(error !== undefined ? { body: { error, ...(reconnect !== undefined ? { allowReconnect: reconnect } : {}) } } : {}),
        close: { by: dir === 'in' ? 'server' : 'client', ...(error !== undefined ? { reason: error } : {}), ...(reconnect !== undefined ? { reconnect } : {}) },
      };
    }
    case 8:
    case 9:
      return { protocol: P, type: type === 8 ? 'ack' : 'sequence', cls: 'control', body: { sequenceId: m.sequenceId } };
    default:
      return { protocol: P, type: type !== undefined ? `type ${type}` : 'unknown', cls: 'data', body: m };
  }
}

/** A MessagePack hub message (an array, HubProtocol.md "MessagePack Encoding") in the JSON message's fields. */
function fromArray(a: unknown[]): Record<string, unknown> {
  const type = a[0];
  switch (type) {
    case 1:
    case 4:
      return { type, invocationId: a[2], target: a[3], arguments: a[4], ...(a.length > 5 ? { streamIds: a[5] } : {}) };
    case 2:
      return { type, invocationId: a[2], item: a[3] };
    case 3: {
      // ResultKind: 1 error, 2 void, 3 non-void.
      const kind = a[3];
      return { type, invocationId: a[2], ...(kind === 1 ? { error: a[4] } : kind === 3 ? { result: a[4] } : {}) };
    }
    case 5:
      return { type, invocationId: a[2] };
    case 7:
      return { type, error: a[1], ...(a.length > 2 ? { allowReconnect: a[2] } : {}) };
    case 8:
    case 9:
      return { type, sequenceId: a[1] };
    default:
      return { type };
  }
}

/** The handshake response, when this JSON record is one: an object without a numeric `type`. */
function handshakeResponse(m: Record<string, unknown>): DecodedFrame | undefined {
  if ('type' in m) return undefined;
  const error = str(m, 'error');
  if (error === undefined) return { protocol: P, type: 'handshake', cls: 'handshake', body: m };
  return { protocol: P, type: 'handshake error', cls: 'error', body: m, close: { by: 'server', reason: clip(error, 500) } };
}

function decodeText(text: string, cut: boolean, f: FrameIn, state: State): DecodeResult {
  const req = f.dir === 'out' ? handshakeRequest(text) : undefined;
  if (req) {
    return [{ protocol: P, type: 'handshake', cls: 'handshake', body: req }];
  }
  const out: DecodedFrame[] = [];
  let failed = false;
  let at = 0;
  while (at < text.length) {
    const stop = text.indexOf(RS, at);
    const record = text.slice(at, stop < 0 ? text.length : stop);
    at = stop < 0 ? text.length : stop + 1;
    // The tail after the last separator is a message the capture cut, or a malformed one.
    if (stop < 0) {
      failed = true;
      const type = cut ? /"type"\s*:\s*(\d)/.exec(record.slice(0, 256))?.[1] : undefined;
      if (type) out.push({ ...hubFrame({ type: Number(type) }, f.dir), partial: true, body: undefined });
      break;
    }
    const p = parseJson(record);
    if (!p.ok || !isObject(p.value)) {
      failed = true;
      continue;
    }
    const hs = f.dir === 'in' && !state.answered ? handshakeResponse(p.value) : undefined;
    if (hs) state.answered = true;
    out.push(hs ?? hubFrame(p.value, f.dir));
  }
  if (out.length === 0) return { protocol: P, error: cut ? 'truncated' : 'no complete message' };
  return failed ? out.map((d) => ({ ...d, partial: true })) : out;
}

function decodeBinary(b: Uint8Array, cut: boolean, f: FrameIn, state: State): DecodeResult {
  const out: DecodedFrame[] = [];
  let at = 0;
  // The handshake response comes in the binary transfer format too: JSON text up to 0x1E, and
  // hub messages may follow it in the same WebSocket message. A MessagePack message cannot start
  // with `{` followed by `}` or `"`: 0x7B would be its length, then an array marker.
  if (!state.answered && b[0] === 0x7b && (b[1] === 0x7d || b[1] === 0x22)) {
    const stop = b.indexOf(0x1e);
    if (stop < 0) return { protocol: P, error: cut ? 'truncated handshake' : 'handshake without record separator' };
    const p = parseJson(utf8(b, 0, stop));
    const hs = p.ok && isObject(p.value) ? handshakeResponse(p.value) : undefined;
    if (!hs) return { protocol: P, error: 'malformed handshake' };
    out.push(hs);
    state.answered = true;
    at = stop + 1;
  }
  let partial = false;
  while (at < b.length) {
    // Length prefix: 7 bits per byte, low group first, at most 5 bytes (HubProtocol.md, "Binary encoding").
    let len = 0;
    let shift = 0;
    let i = 0;
    let byte = 0x80;
    while (byte & 0x80 && i < 5 && at + i < b.length) {
      byte = b[at + i]!;
      len += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      i++;
    }
    if (byte & 0x80) {
      partial = true;
      break;
    }
    const start = at + i;
    const end = start + len;
    if (end > b.length) {
      // Cut by the capture: what the array's head still says (type, id, target).
      partial = true;
      const head = readArrayHead(b, start, b.length);
      if (head && typeof head[0] === 'number') out.push({ ...hubFrame(fromArray(head), f.dir), body: undefined, partial: true });
      break;
    }
    const r = readMsgpack(b, start, end);
    if (r.ok && Array.isArray(r.value)) out.push(hubFrame(fromArray(r.value), f.dir));
    else partial = true;
    at = end;
  }
  if (out.length === 0) return { protocol: P, error: cut ? 'truncated' : 'not a MessagePack hub message' };
  return partial || cut ? out.map((d) => ({ ...d, partial: true })) : out;
}

function detectFrames(frames: readonly FrameIn[], h: ConnectionHints): Detection | undefined {
  const first = frames.find((f) => f.dir === 'out');
  if (!first || first.bin || !first.data || first.data.length > 256) return undefined;
  const req = handshakeRequest(first.data);
  if (!req) return undefined;
  // `id` is the connection token the negotiate step hands out (HttpConnection), absent with skipNegotiation.
  const byUrl = /[?&]id=[^&]/.test(h.url);
  return { protocol: P, certainty: 'certain', by: byUrl ? 'url' : 'frames', variant: `SignalR ${req.protocol} ${req.version}` };
}

/**
 * Both sides ping by default: the client every 15 s (HubConnection keepAliveIntervalInMilliseconds)
 * and gives up after 30 s without a message (serverTimeoutInMilliseconds); the server pings every
 * 15 s (HubOptions.KeepAliveInterval) and waits 30 s for the client (ClientTimeoutInterval).
 */
const DEFAULT_TERMS: HeartbeatTerms = {
  pinger: 'both',
  intervalMs: 15_000,
  timeoutMs: 15_000,
  source: 'default',
  from: 'SignalR default (keep-alive 15 s, server and client timeout 30 s)',
};

export const signalrDecoder: Decoder<State> = {
  id: P,
  label: 'SignalR',
  // The URL alone says nothing certain: hubs live at any path, and `?id=` is a common query.
  detect: () => undefined,
  sniff: detectFrames,
  // Each message says its own encoding (text JSON, binary MessagePack), so the serializer the
  // handshake chose needs no keeping.
  init: () => ({}),
  decode(f, state): DecodeResult {
    if (!f.data) return { protocol: P, error: 'no data' };
    if (!f.bin) {
      const cut = f.data.length > PAYLOAD_CAP_BYTES;
      return decodeText(cut ? f.data.slice(0, PAYLOAD_CAP_BYTES) : f.data, cut || f.trunc === true, f, state);
    }
    const maxB64 = Math.ceil(PAYLOAD_CAP_BYTES / 3) * 4;
    const cut = f.data.length > maxB64;
    const bytes = bytesOf(cut ? f.data.slice(0, maxB64) : f.data);
    if (!bytes) return { protocol: P, error: 'not base64' };
    return decodeBinary(bytes, cut || f.trunc === true, f, state);
  },
  defaultTerms: () => DEFAULT_TERMS,
};

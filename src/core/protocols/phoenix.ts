// Phoenix channels. Serializer v2 (vsn=2.0.0): JSON arrays [join_ref, ref, topic, event, payload]
// and binary frames — push (kind 0: join_ref, ref, topic, event sizes), reply (kind 1: join_ref,
// ref, topic, status sizes), broadcast (kind 2: topic, event sizes), then the strings and payload.
// Serializer v1 (vsn=1.0.0): objects {topic, event, payload, ref}.
// Sources: phoenix/lib/phoenix/socket/serializers/v2_json_serializer.ex, v1_json_serializer.ex,
// assets/js/phoenix/serializer.js, constants.js (CHANNEL_EVENTS), socket.js (heartbeatIntervalMs
// 30000; a heartbeat whose reply has not come by the next beat closes the socket).
import { bytesOf, clip, isObject, parseJson, str, utf8 } from './text.ts';
import type { ConnectionHints, DecodedFrame, DecodeResult, Decoder, Detection, FrameClass, FrameIn, HeartbeatTerms } from './types.ts';

export interface PhoenixState {
  vsn: '1' | '2' | undefined;
}

const HEARTBEAT_MS = 30_000;
const P = 'phoenix' as const;

function urlVsn(url: string): '1' | '2' | undefined {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/\/+$/, '');
  if (!path.endsWith('/websocket') || q < 0) return undefined;
  const m = /(?:^|&)vsn=([12])\.0\.0(?:&|#|$)/.exec(url.slice(q + 1));
  return m ? (m[1] as '1' | '2') : undefined;
}

/** One decoded message from its parts, whatever the serializer. */
function message(topic: string, event: string, ref: string | undefined, joinRef: string | undefined, payload: unknown): DecodedFrame {
  const t = clip(topic, 200);
  const idPart = ref !== undefined ? { id: clip(ref, 80) } : {};
  const body = payload;
  if (event === 'phx_reply') {
    const status = isObject(payload) ? str(payload, 'status') : undefined;
    const response = isObject(payload) ? payload.response : undefined;
    const heartbeat = topic === 'phoenix';
    const cls: FrameClass = heartbeat ? 'heartbeat' : status === 'error' ? 'error' : 'control';
    return { protocol: P, type: `phx_reply ${clip(status ?? '?', 40)}`, cls, topic: t, ...idPart, pair: 'response', body: response ?? body };
  }
  if (topic === 'phoenix' && event === 'heartbeat') return { protocol: P, type: 'heartbeat', cls: 'heartbeat', topic: t, ...idPart, pair: 'request' };
  const control: Record<string, FrameClass> = { phx_join: 'control', phx_leave: 'control', phx_close: 'close', phx_error: 'error' };
  const cls = control[event] ?? 'data';
  const pair = ref !== undefined && (cls === 'control' || cls === 'data') && event !== 'phx_close' ? { pair: 'request' as const } : {};
  const frame: DecodedFrame = { protocol: P, type: clip(event, 80), cls, topic: t, ...idPart, ...pair, body };
  // phx_close/phx_error end one channel, not the socket; joinRef ties them to that join.
  if (event === 'phx_error') frame.close = { by: 'server', reason: 'phx_error' };
  if (joinRef !== undefined && frame.id === undefined) frame.id = clip(joinRef, 80);
  return frame;
}

const optStr = (x: unknown): string | undefined => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : undefined);

function decodeJson(value: unknown): DecodedFrame | undefined {
  if (Array.isArray(value)) {
    if (value.length !== 5 || typeof value[2] !== 'string' || typeof value[3] !== 'string') return undefined;
    return message(value[2], value[3], optStr(value[1]), optStr(value[0]), value[4]);
  }
  if (!isObject(value)) return undefined;
  const topic = str(value, 'topic');
  const event = str(value, 'event');
  if (topic === undefined || event === undefined) return undefined;
  return message(topic, event, optStr(value.ref), optStr(value.join_ref), value.payload);
}

/** v2 binary frames; returns the frame and whether the header sizes ran past the data. */
function decodeBinary(b: Uint8Array, trunc: boolean): DecodedFrame | undefined {
  const kind = b[0];
  const sizes = kind === 2 ? 2 : kind === 0 || kind === 1 ? 4 : -1;
  if (sizes < 0 || b.length < 1 + sizes) return undefined;
  const lens = Array.from(b.subarray(1, 1 + sizes));
  const parts: string[] = [];
  let o = 1 + sizes;
  for (const n of lens) {
    if (o + n > b.length) {
      if (!trunc) return undefined;
      parts.push(utf8(b, o, b.length));
      o = b.length;
      continue;
    }
    parts.push(utf8(b, o, o + n));
    o += n;
  }
  const cut = trunc || parts.length < lens.length;
  const payload = { bytes: b.length - o };
  let f: DecodedFrame;
  if (kind === 2) f = message(parts[0] ?? '', parts[1] ?? '', undefined, undefined, payload);
  else if (kind === 1) f = message(parts[2] ?? '', 'phx_reply', parts[1] || undefined, parts[0] || undefined, { status: parts[3] ?? '', response: payload });
  else f = message(parts[2] ?? '', parts[3] ?? '', parts[1] || undefined, parts[0] || undefined, payload);
  if (cut) f.partial = true;
  return f;
}

function decodeFrame(f: FrameIn, s: PhoenixState): DecodeResult {
  if (f.data === undefined) return { protocol: P, error: 'not captured' };
  if (f.bin) {
    const b = bytesOf(f.data);
    if (!b) return { protocol: P, error: 'not base64' };
    const d = decodeBinary(b, f.trunc === true);
    return d ? [d] : { protocol: P, error: 'not a v2 binary frame' };
  }
  const p = parseJson(f.data);
  if (!p.ok) return { protocol: P, error: f.trunc ? 'truncated JSON' : 'not JSON' };
  const d = decodeJson(p.value);
  if (d && s.vsn === undefined) s.vsn = Array.isArray(p.value) ? '2' : '1';
  return d ? [d] : { protocol: P, error: 'not a Phoenix message' };
}

/** A frame of the exact serializer shape with topic "phoenix"/event "heartbeat", or a phx_join. */
function ownFrame(f: FrameIn): '1' | '2' | undefined {
  if (f.bin || f.data === undefined || f.data.length > 16_384) return undefined;
  const p = parseJson(f.data);
  if (!p.ok) return undefined;
  const v = p.value;
  if (Array.isArray(v) && v.length === 5 && (v[3] === 'phx_join' || (v[2] === 'phoenix' && v[3] === 'heartbeat')) && typeof v[2] === 'string' && isObject(v[4]))
    return '2';
  if (isObject(v) && Object.keys(v).length <= 5 && 'ref' in v && isObject(v.payload) && (v.event === 'phx_join' || (v.topic === 'phoenix' && v.event === 'heartbeat')))
    return '1';
  return undefined;
}

export const phoenixDecoder: Decoder<PhoenixState> = {
  id: P,
  label: 'Phoenix',
  detect(h: ConnectionHints): Detection | undefined {
    const vsn = urlVsn(h.url);
    return vsn ? { protocol: P, certainty: 'likely', by: 'url', variant: `Phoenix v${vsn}` } : undefined;
  },
  sniff(frames: readonly FrameIn[], h: ConnectionHints): Detection | undefined {
    const vsn = urlVsn(h.url);
    let seen: '1' | '2' | undefined;
    for (const f of frames) seen ??= ownFrame(f);
    // The shape alone could be an app's own JSON; with Phoenix's socket URL it identifies itself.
    if (vsn && seen === vsn) return { protocol: P, certainty: 'certain', by: 'url', variant: `Phoenix v${vsn}` };
    if (vsn) return { protocol: P, certainty: 'likely', by: 'url', variant: `Phoenix v${vsn}` };
    return seen ? { protocol: P, certainty: 'possible', by: 'frames', variant: `Phoenix v${seen}` } : undefined;
  },
  init: (h: ConnectionHints) => ({ vsn: urlVsn(h.url) }),
  decode: decodeFrame,
  defaultTerms(): HeartbeatTerms {
    return { pinger: 'client', intervalMs: HEARTBEAT_MS, timeoutMs: HEARTBEAT_MS, source: 'default', from: 'Phoenix default (phoenix.js heartbeatIntervalMs)' };
  },
};

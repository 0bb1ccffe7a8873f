// Engine.IO (v3, v4) and the Socket.IO packets it carries (Socket.IO v2 to v4).
//
// Engine.IO, https://github.com/socketio/engine.io-protocol: one packet per WebSocket message, its
// type the first character (0 open, 1 close, 2 ping, 3 pong, 4 message, 5 upgrade, 6 noop). Over
// WebSocket a binary message is the raw bytes in v4, and a 0x04 type byte then the bytes in v3.
// v4 (EIO=4): the server pings and the client answers; v3 (EIO=3): the client pings.
//
// Socket.IO, https://github.com/socketio/socket.io-protocol (socket.io-parser decodeString): inside
// a message packet, `<type>[<attachments>-][<nsp>,][<ack id>][<JSON>]` with types 0 CONNECT,
// 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR (v2: ERROR with a string), 5 BINARY_EVENT,
// 6 BINARY_ACK. A binary packet is followed by its attachments, one binary message each.
import { PAYLOAD_CAP_BYTES } from '../wire/limits.ts';
import { bytesOf, clip, isObject, num, parseJson, str } from './text.ts';
import type { ConnectionHints, DecodedFrame, DecodeResult, Decoder, Detection, FrameIn, HeartbeatTerms } from './types.ts';

interface Pending {
  of: string;
  topic: string;
  id?: string;
  total: number;
  got: number;
}

export interface SocketIoState {
  /** Engine.IO protocol revision, from the URL's EIO query or the ping direction. */
  eio?: 3 | 4;
  /** Attachments still to come after a BINARY_EVENT / BINARY_ACK, per direction. */
  pending: { in?: Pending; out?: Pending };
}

const ENGINE_TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'] as const;
/** Characters of an event name a type label keeps. */
const NAME_MAX = 80;

function eioOf(url: string): 3 | 4 | undefined {
  const m = /[?&]EIO=(\d+)/.exec(url);
  return m?.[1] === '3' ? 3 : m?.[1] === '4' ? 4 : undefined;
}

/** The path of a URL, without a URL class (src/core has no DOM or Node library). */
function pathOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  return m?.[1] ?? '';
}

function detect(h: ConnectionHints): Detection | undefined {
  const eio = eioOf(h.url);
  // socket.io-client's default path is /socket.io/ (engine.io-client's `path` option); Engine.IO
  // itself always puts EIO=<revision> and transport=websocket in the query.
  if (eio === undefined && !pathOf(h.url).includes('/socket.io/')) return undefined;
  return { protocol: 'socket.io', certainty: 'likely', by: 'url', ...(eio ? { variant: `EIO ${eio}` } : {}) };
}

const isOpenPacket = (f: FrameIn): boolean => {
  if (f.dir !== 'in' || f.bin || !f.data?.startsWith('0{')) return false;
  const j = parseJson(f.data.slice(1, PAYLOAD_CAP_BYTES));
  return j.ok && isObject(j.value) && str(j.value, 'sid') !== undefined && num(j.value, 'pingInterval') !== undefined;
};

/** `4` + a Socket.IO packet type: the shape a JSON chat could also have, so never more than possible. */
const looksLikeSocketIo = (f: FrameIn): boolean => !f.bin && f.data !== undefined && /^4[0-6]/.test(f.data);

function sniff(frames: readonly FrameIn[], h: ConnectionHints): Detection | undefined {
  const byUrl = detect(h);
  const variant = byUrl?.variant ? { variant: byUrl.variant } : {};
  // The open packet, with sid and pingInterval, is Engine.IO's own handshake.
  if (frames.some(isOpenPacket)) return { protocol: 'socket.io', certainty: 'certain', by: 'frames', ...variant };
  // After an upgrade from polling the WebSocket starts with the probe instead (engine.io-client
  // Socket.probe): 2probe out, 3probe in.
  const probe = frames.some((f) => f.dir === 'out' && f.data === '2probe') && frames.some((f) => f.dir === 'in' && f.data === '3probe');
  if (probe) return { protocol: 'socket.io', certainty: byUrl ? 'certain' : 'likely', by: byUrl ? 'url' : 'frames', ...variant };
  if (byUrl) return byUrl;
  const text = frames.filter((f) => !f.bin && f.data !== undefined);
  if (text.length > 0 && text.every(looksLikeSocketIo)) return { protocol: 'socket.io', certainty: 'possible', by: 'frames' };
  return undefined;
}

function init(h: ConnectionHints, d: Detection): SocketIoState {
  const eio = eioOf(h.url) ?? (d.variant === 'EIO 3' ? 3 : d.variant === 'EIO 4' ? 4 : undefined);
  return { ...(eio ? { eio } : {}), pending: {} };
}

function termsOf(open: Record<string, unknown>, eio: 3 | 4 | undefined): HeartbeatTerms | undefined {
  const intervalMs = num(open, 'pingInterval');
  const timeoutMs = num(open, 'pingTimeout');
  if (intervalMs === undefined) return undefined;
  // engine.io-protocol: "in v3 the client sends the ping", "in v4 the server sends the ping".
  const from =
    eio === 3 ? 'Engine.IO open packet (EIO 3: the client pings)' : eio === 4 ? 'Engine.IO open packet (EIO 4: the server pings)' : 'Engine.IO open packet (EIO revision unknown, v4 assumed: the server pings)';
  return { pinger: eio === 3 ? 'client' : 'server', intervalMs, ...(timeoutMs !== undefined ? { timeoutMs } : {}), source: 'announced', from };
}

const hex = (b: Uint8Array, from: number): string => {
  let out = '';
  for (let i = from; i < b.length && i < from + 16; i++) out += b[i]!.toString(16).padStart(2, '0');
  return out;
};

/** A binary message: the next attachment of a pending binary packet, or Engine.IO data. */
function binaryMessage(dir: FrameIn['dir'], size: number, head: string, st: SocketIoState, partial: boolean): DecodedFrame {
  const p = st.pending[dir];
  const extra = partial ? { partial: true } : {};
  if (!p) return { protocol: 'engine.io', type: 'binary message', cls: 'data', body: { size, head }, ...extra };
  p.got++;
  if (p.got >= p.total) delete st.pending[dir];
  return {
    protocol: 'socket.io',
    type: `attachment ${p.got}/${p.total}`,
    cls: 'data',
    topic: p.topic,
    ...(p.id !== undefined ? { id: p.id } : {}),
    body: { of: p.of, size, head },
    ...extra,
  };
}

/** The first JSON string of an array payload, read alone: the event name of a cut EVENT. */
function firstString(payload: string): string | undefined {
  if (!payload.startsWith('["')) return undefined;
  for (let i = 2; i < payload.length; i++) {
    if (payload[i] === '\\') i++;
    else if (payload[i] === '"') {
      const j = parseJson(payload.slice(1, i + 1));
      return j.ok && typeof j.value === 'string' ? j.value : undefined;
    }
  }
  return undefined;
}

const SIO_TYPES = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'] as const;

/** One Socket.IO packet; undefined when `s` is not one (plain Engine.IO data), a string when malformed. */
function socketIoPacket(s: string, dir: FrameIn['dir'], st: SocketIoState, cut: boolean): DecodedFrame | string | undefined {
  const t = s.charCodeAt(0) - 48;
  if (!(t >= 0 && t <= 6)) return undefined;
  let i = 1;
  let attachments = 0;
  if (t === 5 || t === 6) {
    const dash = s.indexOf('-', 1);
    if (dash < 0 && !cut) return 'no attachment count';
    const n = dash < 0 ? NaN : Number(s.slice(1, dash));
    if (dash >= 0 && !(Number.isInteger(n) && n >= 1 && dash <= 11)) return 'bad attachment count';
    attachments = Number.isInteger(n) ? n : 0;
    i = dash < 0 ? s.length : dash + 1;
  }
  let topic = '/';
  if (s[i] === '/') {
    const comma = s.indexOf(',', i);
    const end = comma < 0 ? s.length : comma;
    // Socket.IO v2 clients may put a query after the namespace ("/admin?token=x,"): not part of its name.
    topic = clip(s.slice(i, end).split('?')[0]!, 256);
    i = comma < 0 ? s.length : comma + 1;
  }
  let idEnd = i;
  while (idEnd < s.length && idEnd - i < 16 && s.charCodeAt(idEnd) >= 48 && s.charCodeAt(idEnd) <= 57) idEnd++;
  const id = idEnd > i ? s.slice(i, idEnd) : undefined;
  const payload = s.slice(idEnd);
  const j = payload === '' ? undefined : parseJson(payload);
  if (j && !j.ok && !cut) return `${SIO_TYPES[t]} payload not JSON`;
  const data = j?.ok ? j.value : undefined;
  const partial = j !== undefined && !j.ok;
  const base = { protocol: 'socket.io' as const, topic, ...(id !== undefined ? { id } : {}), ...(partial ? { partial: true } : {}) };
  const withBody = data !== undefined ? { body: data } : {};

  if (t === 0) {
    if (data !== undefined && !isObject(data)) return 'CONNECT payload not an object';
    return { ...base, type: 'CONNECT', cls: 'handshake', ...withBody };
  }
  if (t === 1) {
    // socket.io-client Socket.ondisconnect: a DISCONNECT from the server ends the namespace with
    // "io server disconnect" (no automatic reconnect); the client's own is "io client disconnect".
    const by = dir === 'in' ? 'server' : 'client';
    return { ...base, type: 'DISCONNECT', cls: 'close', close: { by, reason: `io ${by} disconnect` } };
  }
  if (t === 4) {
    const message = typeof data === 'string' ? data : isObject(data) ? str(data, 'message') : undefined;
    const detail = isObject(data) && data['data'] !== undefined ? clip(JSON.stringify(data['data']) ?? '', 1024) : undefined;
    return {
      ...base,
      type: typeof data === 'string' ? 'ERROR' : 'CONNECT_ERROR',
      cls: 'error',
      ...withBody,
      close: { by: 'server', ...(message !== undefined ? { reason: clip(message, 1024) } : {}), ...(detail ? { detail } : {}) },
    };
  }
  if (data !== undefined && !Array.isArray(data)) return `${SIO_TYPES[t]} payload not an array`;
  const args = Array.isArray(data) ? data : undefined;
  const isEvent = t === 2 || t === 5;
  const head = args?.[0];
  const name = isEvent ? (typeof head === 'string' || typeof head === 'number' ? String(head) : partial ? firstString(payload) : undefined) : undefined;
  if (isEvent && args && name === undefined) return 'EVENT without a name';
  const label = name !== undefined ? `${SIO_TYPES[t]} ${clip(name, NAME_MAX)}` : SIO_TYPES[t]!;
  if (t === 5 || t === 6) {
    if (attachments > 0) st.pending[dir] = { of: label, topic, ...(id !== undefined ? { id } : {}), total: attachments, got: 0 };
  }
  const pair = id === undefined ? {} : { pair: isEvent ? ('request' as const) : ('response' as const) };
  const body = args ? { body: isEvent ? args.slice(1) : args } : {};
  return { ...base, type: label, cls: 'data', ...pair, ...body };
}

function engineFrame(type: (typeof ENGINE_TYPES)[number], extra: Partial<DecodedFrame> = {}): DecodedFrame {
  const cls = type === 'ping' || type === 'pong' ? 'heartbeat' : type === 'open' || type === 'upgrade' ? 'handshake' : type === 'close' ? 'close' : type === 'noop' ? 'control' : 'data';
  return { protocol: 'engine.io', type, cls, ...extra };
}

function decodeText(text: string, frame: FrameIn, st: SocketIoState, cut: boolean): DecodeResult {
  const c = text.charCodeAt(0) - 48;
  const rest = text.slice(1);
  const partial = cut ? { partial: true } : {};
  if (text[0] === 'b') {
    // A binary message sent as base64 text (engine.io-parser, for transports without binary);
    // v3 puts the packet type after the "b".
    const b64 = st.eio === 3 ? rest.slice(1) : rest;
    const size = Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
    const bytes = bytesOf(b64.slice(0, 64 - (64 % 4)));
    return [binaryMessage(frame.dir, size, bytes ? hex(bytes, 0) : '', st, cut)];
  }
  if (!(c >= 0 && c <= 6)) return { protocol: 'engine.io', error: 'not an Engine.IO packet' };
  const type = ENGINE_TYPES[c]!;
  if (type === 'open') {
    const j = parseJson(rest);
    if (j.ok && isObject(j.value)) {
      const terms = termsOf(j.value, st.eio);
      return [engineFrame('open', { body: j.value, ...(terms ? { terms } : {}) })];
    }
    return cut ? [engineFrame('open', { partial: true })] : { protocol: 'engine.io', error: 'open packet not a JSON object' };
  }
  if (type === 'ping' || type === 'pong') {
    if (rest === 'probe') return [engineFrame(type, { type: `${type} probe`, cls: 'handshake' })];
    // Who pings tells the revision when the URL did not: v4 servers ping, v3 clients do.
    st.eio ??= (type === 'ping') === (frame.dir === 'in') ? 4 : 3;
    return [engineFrame(type, rest ? { body: clip(rest, 256) } : {})];
  }
  if (type === 'message') {
    const p = socketIoPacket(rest, frame.dir, st, cut);
    if (typeof p === 'string') return { protocol: 'socket.io', error: p };
    if (p) {
      if (!p.type.startsWith('BINARY_') && st.pending[frame.dir]) delete st.pending[frame.dir];
      return [cut ? { ...p, partial: true } : p];
    }
    return [engineFrame('message', { body: clip(rest), ...partial })];
  }
  if (type === 'close') return [engineFrame('close', { close: { by: frame.dir === 'in' ? 'server' : 'client' } })];
  return [engineFrame(type, partial)];
}

function decode(frame: FrameIn, st: SocketIoState): DecodeResult {
  if (frame.data === undefined) return { protocol: 'engine.io', error: 'payload not captured' };
  if (frame.bin) {
    // Only the capped prefix is read, at a whole number of base64 quanta.
    const limit = Math.ceil(PAYLOAD_CAP_BYTES / 3) * 4;
    const cut = frame.trunc === true || frame.data.length > limit;
    const b64 = frame.data.length > limit ? frame.data.slice(0, limit) : frame.data;
    const bytes = bytesOf(cut ? b64.slice(0, b64.length - (b64.length % 4)) : b64);
    if (!bytes) return { protocol: 'engine.io', error: 'binary payload not base64' };
    if (st.eio === 3) {
      if (bytes.length === 0) return { protocol: 'engine.io', error: 'empty binary packet' };
      if (bytes[0] !== 4) return { protocol: 'engine.io', error: `binary packet of type ${bytes[0]}` };
      return [binaryMessage(frame.dir, Math.max(0, frame.size - 1), hex(bytes, 1), st, cut)];
    }
    return [binaryMessage(frame.dir, frame.size, hex(bytes, 0), st, cut)];
  }
  if (frame.data === '') return { protocol: 'engine.io', error: 'empty frame' };
  const cut = frame.trunc === true || frame.data.length > PAYLOAD_CAP_BYTES;
  return decodeText(frame.data.length > PAYLOAD_CAP_BYTES ? frame.data.slice(0, PAYLOAD_CAP_BYTES) : frame.data, frame, st, cut);
}

/**
 * After an upgrade from HTTP long-polling (the URL carries the `sid`), the open packet went over
 * HTTP and this WebSocket never shows it: the server library's defaults are all there is.
 * engine.io lib/server.ts: pingInterval 25000, pingTimeout 20000 (v4); engine.io 3.x
 * lib/server.js: pingInterval 25000, pingTimeout 5000 (v3, the client pings).
 */
function defaultTerms(h: ConnectionHints, d: Detection): HeartbeatTerms | undefined {
  if (!/[?&]sid=/.test(h.url)) return undefined;
  const eio = eioOf(h.url) ?? (d.variant === 'EIO 3' ? 3 : 4);
  return eio === 3
    ? { pinger: 'client', intervalMs: 25000, timeoutMs: 5000, source: 'default', from: 'engine.io 3 default (open packet went over HTTP polling)' }
    : { pinger: 'server', intervalMs: 25000, timeoutMs: 20000, source: 'default', from: 'engine.io default (open packet went over HTTP polling)' };
}

export const socketIoDecoder: Decoder<SocketIoState> = { id: 'socket.io', label: 'Socket.IO', detect, sniff, init, decode, defaultTerms };

// SockJS over its WebSocket transport, https://github.com/sockjs/sockjs-protocol (0.3.3):
// server frames are `o` (open), `h` (heartbeat), `a[...]` (an array of messages, each a JSON
// string), `m"..."` (one message, older servers) and `c[code,"reason"]` (close). The client sends
// a JSON array of strings, or one JSON string (sockjs-node lib/trans-websocket.js didMessage).
// The URL is <prefix>/<server id>/<session id>/websocket; sockjs-client draws the server id as
// three digits (lib/utils/random.js numberString(1000)).
import { PAYLOAD_CAP_BYTES } from '../wire/limits.ts';
import { clip, parseJson } from './text.ts';
import type { ConnectionHints, DecodedFrame, DecodeResult, Decoder, Detection, FrameIn, HeartbeatTerms } from './types.ts';

export interface SockJsState {
  /** The server's `o` frame has been seen. */
  opened: boolean;
}

function pathOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  return m?.[1] ?? '';
}

/** 'likely' for sockjs-client's own shape (three-digit server id), 'possible' for any two segments before /websocket. */
function urlCertainty(url: string): 'likely' | 'possible' | undefined {
  const m = /\/([^/.]+)\/([^/.]+)\/websocket\/?$/.exec(pathOf(url));
  if (!m) return undefined;
  return /^\d{3}$/.test(m[1]!) ? 'likely' : 'possible';
}

function detect(h: ConnectionHints): Detection | undefined {
  const c = urlCertainty(h.url);
  return c ? { protocol: 'sockjs', certainty: c, by: 'url' } : undefined;
}

function sniff(frames: readonly FrameIn[], h: ConnectionHints): Detection | undefined {
  const url = urlCertainty(h.url);
  const first = frames.find((f) => f.dir === 'in');
  if (first && !first.bin && first.data === 'o') {
    // `o` alone is a one-letter text any app could send: the URL shape has to agree for certain.
    return url ? { protocol: 'sockjs', certainty: 'certain', by: 'url' } : { protocol: 'sockjs', certainty: 'likely', by: 'frames' };
  }
  // A SockJS server always speaks first with `o`: another first frame contradicts the URL.
  if (url && first) return { protocol: 'sockjs', certainty: 'possible', by: 'url' };
  return url ? { protocol: 'sockjs', certainty: url, by: 'url' } : undefined;
}

const init = (): SockJsState => ({ opened: false });

/** A message's body: the string, or what it holds when it is a JSON object or array (most apps send JSON through SockJS). */
function messageBody(s: string): unknown {
  const t = s.trimStart();
  if (t[0] === '{' || t[0] === '[') {
    const j = parseJson(s);
    if (j.ok) return j.value;
  }
  return clip(s);
}

/**
 * The JSON strings of an array literal, read one by one so a cut frame still yields the messages
 * before the cut. `complete` when the array closed properly; `bad` when something other than a
 * string list was met.
 */
function stringArray(s: string): { items: string[]; complete: boolean; bad: boolean } {
  const items: string[] = [];
  let i = 1;
  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  };
  ws();
  if (s[i] === ']') {
    i++;
    ws();
    return { items, complete: i === s.length, bad: i !== s.length };
  }
  while (i < s.length) {
    ws();
    if (i >= s.length) break;
    if (s[i] !== '"') return { items, complete: false, bad: true };
    let end = i + 1;
    while (end < s.length && s[end] !== '"') end += s[end] === '\\' ? 2 : 1;
    if (end >= s.length) break;
    const j = parseJson(s.slice(i, end + 1));
    if (!j.ok || typeof j.value !== 'string') return { items, complete: false, bad: true };
    items.push(j.value);
    i = end + 1;
    ws();
    if (s[i] === ',') i++;
    else if (s[i] === ']') {
      i++;
      ws();
      return { items, complete: i === s.length, bad: i !== s.length };
    } else if (i < s.length) return { items, complete: false, bad: true };
  }
  return { items, complete: false, bad: false };
}

const message = (s: string, partial: boolean): DecodedFrame => ({
  protocol: 'sockjs',
  type: 'message',
  cls: 'data',
  body: messageBody(s),
  ...(partial ? { partial: true } : {}),
});

/** Messages of an `a[...]` frame or of a client's array; undefined when it is not a string array. */
function messages(s: string, cut: boolean): DecodedFrame[] | string {
  const r = stringArray(s);
  if (r.bad || (!r.complete && !cut)) return 'not an array of strings';
  const out = r.items.map((m) => message(m, false));
  if (!r.complete) out.push({ protocol: 'sockjs', type: 'message', cls: 'data', partial: true });
  return out;
}

function closeFrame(rest: string, cut: boolean): DecodeResult {
  const j = parseJson(rest);
  if (!j.ok || !Array.isArray(j.value)) {
    return cut ? [{ protocol: 'sockjs', type: 'close', cls: 'close', close: { by: 'server' }, partial: true }] : { protocol: 'sockjs', error: 'close frame not a JSON array' };
  }
  const [c, r] = j.value as unknown[];
  // sockjs-node writes the code as the application gave it, sometimes a numeric string.
  const code = typeof c === 'number' ? c : typeof c === 'string' && /^\d{1,5}$/.test(c) ? Number(c) : undefined;
  const reason = typeof r === 'string' ? clip(r, 1024) : undefined;
  return [
    {
      protocol: 'sockjs',
      type: code !== undefined ? `close ${code}` : 'close',
      cls: 'close',
      body: j.value,
      close: { by: 'server', ...(code !== undefined && Number.isFinite(code) ? { code } : {}), ...(reason !== undefined ? { reason } : {}) },
    },
  ];
}

function decode(frame: FrameIn, st: SockJsState): DecodeResult {
  if (frame.data === undefined) return { protocol: 'sockjs', error: 'payload not captured' };
  if (frame.bin) return { protocol: 'sockjs', error: 'binary frame (SockJS frames are text)' };
  if (frame.data === '') return { protocol: 'sockjs', error: 'empty frame' };
  const cut = frame.trunc === true || frame.data.length > PAYLOAD_CAP_BYTES;
  const text = frame.data.length > PAYLOAD_CAP_BYTES ? frame.data.slice(0, PAYLOAD_CAP_BYTES) : frame.data;
  if (frame.dir === 'out') {
    if (text[0] === '[') {
      const m = messages(text, cut);
      return typeof m === 'string' ? { protocol: 'sockjs', error: m } : m;
    }
    const j = parseJson(text);
    if (j.ok && typeof j.value === 'string') return [message(j.value, false)];
    return cut && text[0] === '"' ? [{ protocol: 'sockjs', type: 'message', cls: 'data', partial: true }] : { protocol: 'sockjs', error: 'not SockJS framing' };
  }
  const kind = text[0];
  const rest = text.slice(1);
  if (kind === 'o' && text.length === 1) {
    st.opened = true;
    return [{ protocol: 'sockjs', type: 'open', cls: 'handshake' }];
  }
  if (kind === 'h' && text.length === 1) return [{ protocol: 'sockjs', type: 'heartbeat', cls: 'heartbeat' }];
  if (kind === 'a') {
    const m = rest[0] === '[' ? messages(rest, cut) : 'not an array of strings';
    return typeof m === 'string' ? { protocol: 'sockjs', error: m } : m;
  }
  if (kind === 'm') {
    const j = parseJson(rest);
    if (j.ok && typeof j.value === 'string') return [message(j.value, false)];
    return cut ? [{ protocol: 'sockjs', type: 'message', cls: 'data', partial: true }] : { protocol: 'sockjs', error: 'm frame not a JSON string' };
  }
  if (kind === 'c') return closeFrame(rest, cut);
  return { protocol: 'sockjs', error: 'not a SockJS frame' };
}

/**
 * sockjs-node lib/sockjs.js: heartbeat_delay 25000 (Spring's SockJS: heartbeatTime 25 s too). Over
 * WebSocket sockjs-node sends it as a WebSocket ping when it can (lib/trans-websocket.js), which a
 * page never sees; other servers send the `h` frame.
 */
const defaultTerms = (): HeartbeatTerms => ({
  pinger: 'server',
  intervalMs: 25000,
  source: 'default',
  from: 'SockJS default heartbeat_delay (sockjs-node; over WebSocket it may be a WebSocket ping, not an h frame)',
});

export const sockJsDecoder: Decoder<SockJsState> = { id: 'sockjs', label: 'SockJS', detect, sniff, init, decode, defaultTerms };

// graphql-ws: the GraphQL over WebSocket protocol, subprotocol `graphql-transport-ws`
// (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md). Every message is a JSON
// object with a `type`; operations are `subscribe` → `next`* → `complete` | `error` under the
// client's `id`. The connection itself ends with a WebSocket close code (CLOSE_CODES below), not
// with a message, so no frame of this protocol carries an AppClose.
//
// Also the sniffing shared with subscriptions-transport-ws (subprotocol `graphql-ws`, the older
// library): both open with `{"type":"connection_init"}`, and only later frames tell them apart.
import { PAYLOAD_CAP_BYTES } from '../wire/limits.ts';
import { clip, isObject, parseJson, str } from './text.ts';
import type { ConnectionHints, Decoder, DecodedFrame, DecodeResult, Detection, FrameIn, HeartbeatTerms } from './types.ts';

export const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws';
/** The subprotocol of subscriptions-transport-ws, which graphql-ws calls DEPRECATED_GRAPHQL_WS_PROTOCOL. */
export const LEGACY_GRAPHQL_WS = 'graphql-ws';

/**
 * WebSocket close codes graphql-ws uses (not frames: the panel reads them from the close event).
 * Source: graphql-ws src/common.ts `CloseCode`; 4499 "Terminated" is the client's own close in
 * src/client.ts (`terminate()`), 4004/4005 are client-side failures.
 */
export const CLOSE_CODES: Readonly<Record<number, string>> = {
  4004: 'Bad response',
  4005: 'Internal client error',
  4400: 'Bad request',
  4401: 'Unauthorized (subscribe before connection_ack)',
  4403: 'Forbidden (onConnect refused)',
  4406: 'Subprotocol not acceptable',
  4408: 'Connection initialisation timeout',
  4409: 'Subscriber already exists',
  4429: 'Too many initialisation requests',
  4499: 'Terminated (client)',
  4500: 'Internal server error',
  4504: 'Connection acknowledgement timeout',
};

/** The text to decode, cut to the hook's cap so a 10 MB message costs what a 16 KiB one does. */
export function cappedText(f: FrameIn): { text: string; cut: boolean } {
  const data = f.data ?? '';
  return data.length > PAYLOAD_CAP_BYTES ? { text: data.slice(0, PAYLOAD_CAP_BYTES), cut: true } : { text: data, cut: f.trunc === true };
}

/** `type` of a JSON message whose tail is missing (a cut capture): read from its prefix only. */
export function typeOfPrefix(text: string): { type?: string; id?: string } {
  const head = text.slice(0, 512);
  const type = /"type"\s*:\s*"([A-Za-z_]{1,40})"/.exec(head)?.[1];
  const id = /"id"\s*:\s*"([^"\\]{1,100})"/.exec(head)?.[1];
  return { ...(type ? { type } : {}), ...(id ? { id } : {}) };
}

/** The operation's name, or its first field, from a GraphQL document: "Counter", "hello". */
export function operationLabel(payload: unknown): string | undefined {
  if (!isObject(payload)) return undefined;
  const name = str(payload, 'operationName');
  if (name) return clip(name, 80);
  const query = str(payload, 'query');
  if (!query) return undefined;
  // Only the head is read: the first selection comes right after the first `{`.
  const head = query.slice(0, 2048);
  const named = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(head)?.[1];
  if (named) return named;
  return /\{\s*([_A-Za-z][_0-9A-Za-z]*)/.exec(head)?.[1];
}

type Flavour = 'graphql-ws' | 'subscriptions-transport-ws' | 'either';

const ONLY_NEW = new Set(['subscribe', 'next', 'ping', 'pong']);
const ONLY_OLD = new Set(['ka', 'start', 'data', 'stop', 'connection_terminate', 'connection_error']);

/**
 * Which of the two GraphQL protocols the first frames look like, from frames alone: the first
 * client frame must be a `connection_init` object, then `ping`/`subscribe`/`next` say graphql-ws
 * and `ka`/`start`/`data` say subscriptions-transport-ws.
 */
export function graphqlFlavour(frames: readonly FrameIn[]): Flavour | undefined {
  const firstOut = frames.find((f) => f.dir === 'out');
  if (!firstOut || firstOut.bin || !firstOut.data) return undefined;
  const init = parseJson(cappedText(firstOut).text);
  if (!init.ok || !isObject(init.value) || init.value.type !== 'connection_init') return undefined;
  for (const f of frames) {
    if (f.bin || !f.data) continue;
    const p = parseJson(cappedText(f).text);
    const t = p.ok && isObject(p.value) ? str(p.value, 'type') : undefined;
    if (t && ONLY_NEW.has(t)) return 'graphql-ws';
    if (t && ONLY_OLD.has(t)) return 'subscriptions-transport-ws';
  }
  return 'either';
}

/** What the subprotocols say: the chosen one wins; asked-for alone is weaker when both were asked. */
export function graphqlBySubprotocol(h: ConnectionHints): { flavour: Flavour; chosen: boolean } | undefined {
  if (h.protocol === GRAPHQL_TRANSPORT_WS) return { flavour: 'graphql-ws', chosen: true };
  if (h.protocol === LEGACY_GRAPHQL_WS) return { flavour: 'subscriptions-transport-ws', chosen: true };
  if (h.protocol) return undefined;
  const neu = h.protocols.includes(GRAPHQL_TRANSPORT_WS);
  const old = h.protocols.includes(LEGACY_GRAPHQL_WS);
  if (neu && old) return { flavour: 'either', chosen: false };
  if (neu) return { flavour: 'graphql-ws', chosen: false };
  if (old) return { flavour: 'subscriptions-transport-ws', chosen: false };
  return undefined;
}

interface State {
  /** Directions whose first ping was seen: the terms are set on that one only. */
  pinged: { in: boolean; out: boolean };
}

function pingTerms(dir: FrameIn['dir']): HeartbeatTerms {
  // graphql-ws has no default ping: the client's `keepAlive` option (default 0, off) or the server
  // sends them (src/client.ts ClientOptions.keepAlive); only seen pings are terms.
  return { pinger: dir === 'out' ? 'client' : 'server', source: 'announced', from: 'graphql-ws ping (interval not in the frame)' };
}

function decodeMessage(m: Record<string, unknown>, f: FrameIn, state: State): DecodedFrame | undefined {
  const type = str(m, 'type');
  if (!type) return undefined;
  const id = typeof m.id === 'string' ? clip(m.id, 200) : undefined;
  const base = { protocol: 'graphql-ws' as const, ...(id !== undefined ? { id } : {}) };
  const body = 'payload' in m ? { body: m.payload } : {};
  switch (type) {
    case 'connection_init':
    case 'connection_ack':
      return { ...base, type, cls: 'handshake', ...body };
    case 'ping':
    case 'pong': {
      const first = type === 'ping' && !state.pinged[f.dir];
      if (type === 'ping') state.pinged[f.dir] = true;
      return { ...base, type, cls: 'heartbeat', ...body, ...(first ? { terms: pingTerms(f.dir) } : {}) };
    }
    case 'subscribe': {
      const label = operationLabel(m.payload);
      return { ...base, type: label ? `subscribe ${label}` : 'subscribe', cls: 'data', pair: 'request', ...body };
    }
    case 'next':
      return { ...base, type, cls: 'data', pair: 'stream', ...body };
    case 'error':
      return { ...base, type, cls: 'error', pair: 'response', ...body };
    case 'complete':
      return { ...base, type, cls: 'control', pair: 'response', ...body };
    default:
      return { ...base, type: clip(type, 40), cls: 'data', ...body };
  }
}

export const graphqlWsDecoder: Decoder<State> = {
  id: 'graphql-ws',
  label: 'graphql-ws',
  detect(h): Detection | undefined {
    const s = graphqlBySubprotocol(h);
    if (!s || s.flavour === 'subscriptions-transport-ws') return undefined;
    if (s.flavour === 'either') return { protocol: 'graphql-ws', certainty: 'possible', by: 'subprotocol', variant: GRAPHQL_TRANSPORT_WS };
    return { protocol: 'graphql-ws', certainty: 'certain', by: 'subprotocol', variant: GRAPHQL_TRANSPORT_WS };
  },
  sniff(frames, h): Detection | undefined {
    const d = graphqlWsDecoder.detect(h);
    if (d?.certainty === 'certain') return d;
    if (graphqlBySubprotocol(h)?.flavour === 'subscriptions-transport-ws') return undefined;
    const fl = graphqlFlavour(frames);
    if (fl === 'graphql-ws' || fl === 'either') return { protocol: 'graphql-ws', certainty: 'possible', by: 'frames' };
    return d;
  },
  init: () => ({ pinged: { in: false, out: false } }),
  decode(f, state): DecodeResult {
    if (f.bin) return { protocol: 'graphql-ws', error: 'binary frame (graphql-ws is text)' };
    if (!f.data) return { protocol: 'graphql-ws', error: 'no data' };
    const { text, cut } = cappedText(f);
    const p = parseJson(text);
    if (!p.ok) {
      const pre = cut ? typeOfPrefix(text) : {};
      const d = pre.type ? decodeMessage({ type: pre.type, ...(pre.id ? { id: pre.id } : {}) }, f, state) : undefined;
      if (!d) return { protocol: 'graphql-ws', error: cut ? 'truncated, no type' : 'not JSON' };
      return [{ ...d, partial: true }];
    }
    if (!isObject(p.value)) return { protocol: 'graphql-ws', error: 'not a JSON object' };
    const d = decodeMessage(p.value, f, state);
    if (!d) return { protocol: 'graphql-ws', error: 'no message type' };
    return [cut ? { ...d, partial: true } : d];
  },
};

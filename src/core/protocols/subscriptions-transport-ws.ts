// subscriptions-transport-ws (Apollo's older library), subprotocol `graphql-ws`
// (https://github.com/apollographql/subscriptions-transport-ws/blob/master/PROTOCOL.md and
// src/message-types.ts). JSON objects with a `type`: `start` → `data`* → `complete` | `error`
// under the client's `id`; `ka` keep-alives from the server only when its `keepAlive` option is
// set (no default); `connection_error` answers a refused `connection_init` before the server
// closes (1011 in src/server.ts), `connection_terminate` is the client's goodbye.
import { clip, isObject, parseJson, str } from './text.ts';
import { cappedText, graphqlBySubprotocol, graphqlFlavour, LEGACY_GRAPHQL_WS, operationLabel, typeOfPrefix } from './graphql-ws.ts';
import type { AppClose, Decoder, DecodedFrame, DecodeResult, Detection, FrameIn } from './types.ts';

interface State {
  sawKa: boolean;
}

function errorText(payload: unknown): string | undefined {
  if (isObject(payload)) return str(payload, 'message');
  if (typeof payload === 'string') return payload;
  return undefined;
}

function decodeMessage(m: Record<string, unknown>, f: FrameIn, state: State): DecodedFrame | undefined {
  const type = str(m, 'type');
  if (!type) return undefined;
  const id = typeof m.id === 'string' || typeof m.id === 'number' ? clip(String(m.id), 200) : undefined;
  const base = { protocol: 'subscriptions-transport-ws' as const, ...(id !== undefined ? { id } : {}) };
  const body = 'payload' in m && m.payload !== null ? { body: m.payload } : {};
  switch (type) {
    case 'connection_init':
    case 'connection_ack':
      return { ...base, type, cls: 'handshake', ...body };
    case 'connection_error': {
      const reason = errorText(m.payload);
      const close: AppClose = { by: f.dir === 'in' ? 'server' : 'client', ...(reason !== undefined ? { reason: clip(reason, 500) } : {}) };
      return { ...base, type, cls: 'error', ...body, close };
    }
    case 'connection_terminate':
      return { ...base, type, cls: 'close', ...body, close: { by: f.dir === 'out' ? 'client' : 'server' } };
    case 'ka': {
      const first = !state.sawKa;
      state.sawKa = true;
      // The interval is the server's `keepAlive` option and is not in the frame; the client
      // drops the connection when no `ka` came for its `timeout` (30 s, src/defaults.ts WS_TIMEOUT).
      const terms = first ? { terms: { pinger: 'server' as const, source: 'announced' as const, from: 'subscriptions-transport-ws ka (server keepAlive option, interval not in the frame)' } } : {};
      return { ...base, type, cls: 'heartbeat', ...terms };
    }
    case 'start': {
      const label = operationLabel(m.payload);
      return { ...base, type: label ? `start ${label}` : 'start', cls: 'data', pair: 'request', ...body };
    }
    case 'data':
      return { ...base, type, cls: 'data', pair: 'stream', ...body };
    case 'error':
      return { ...base, type, cls: 'error', pair: 'response', ...body };
    case 'complete':
    case 'stop':
      return { ...base, type, cls: 'control', pair: 'response', ...body };
    default:
      return { ...base, type: clip(type, 40), cls: 'data', ...body };
  }
}

export const subscriptionsTransportWsDecoder: Decoder<State> = {
  id: 'subscriptions-transport-ws',
  label: 'subscriptions-transport-ws',
  detect(h): Detection | undefined {
    const s = graphqlBySubprotocol(h);
    if (!s || s.flavour === 'graphql-ws') return undefined;
    // Asked together with graphql-transport-ws (a client ready for either server), only the
    // server's choice decides.
    return { protocol: 'subscriptions-transport-ws', certainty: s.flavour === 'either' ? 'possible' : 'certain', by: 'subprotocol', variant: LEGACY_GRAPHQL_WS };
  },
  sniff(frames, h): Detection | undefined {
    const d = subscriptionsTransportWsDecoder.detect(h);
    if (d?.certainty === 'certain') return d;
    if (graphqlBySubprotocol(h)?.flavour === 'graphql-ws') return undefined;
    const fl = graphqlFlavour(frames);
    if (fl === 'subscriptions-transport-ws' || fl === 'either') return { protocol: 'subscriptions-transport-ws', certainty: 'possible', by: 'frames' };
    return d;
  },
  init: () => ({ sawKa: false }),
  decode(f, state): DecodeResult {
    const protocol = 'subscriptions-transport-ws';
    if (f.bin) return { protocol, error: 'binary frame (subscriptions-transport-ws is text)' };
    if (!f.data) return { protocol, error: 'no data' };
    const { text, cut } = cappedText(f);
    const p = parseJson(text);
    if (!p.ok) {
      const pre = cut ? typeOfPrefix(text) : {};
      const d = pre.type ? decodeMessage({ type: pre.type, ...(pre.id ? { id: pre.id } : {}) }, f, state) : undefined;
      if (!d) return { protocol, error: cut ? 'truncated, no type' : 'not JSON' };
      return [{ ...d, partial: true }];
    }
    if (!isObject(p.value)) return { protocol, error: 'not a JSON object' };
    const d = decodeMessage(p.value, f, state);
    if (!d) return { protocol, error: 'no message type' };
    return [cut ? { ...d, partial: true } : d];
  },
};

// JSON-RPC 2.0 (https://www.jsonrpc.org/specification) carried one message per WebSocket
// message: a request (`method` + `id`), a notification (`method`, no `id`), a response (`result`
// or `error` with the request's `id`), or a batch: an array of those, each its own frame. It has no
// handshake, heartbeat or goodbye of its own, and most servers ask for no subprotocol, so it is
// recognised by `"jsonrpc":"2.0"`, which names it but which any JSON app could also write:
// 'likely', never 'certain' unless a json-rpc subprotocol says so.
import { PAYLOAD_CAP_BYTES } from '../wire/limits.ts';
import { clip, isObject, parseJson, str } from './text.ts';
import type { ConnectionHints, DecodedFrame, DecodeResult, Decoder, Detection, FrameIn } from './types.ts';

const P = 'json-rpc' as const;

/** Subprotocols that say JSON-RPC: "jsonrpc", "json-rpc", "jsonrpc-2.0", "json-rpc.v2"… */
const SUBPROTOCOL = /^json-?rpc\b/i;

/** Names of the spec's reserved error codes (section 5.1). */
const ERROR_NAMES: Readonly<Record<number, string>> = {
  [-32700]: 'Parse error',
  [-32600]: 'Invalid Request',
  [-32601]: 'Method not found',
  [-32602]: 'Invalid params',
  [-32603]: 'Internal error',
};

export function jsonRpcErrorName(code: number): string | undefined {
  if (ERROR_NAMES[code]) return ERROR_NAMES[code];
  // -32000 to -32099: "Reserved for implementation-defined server-errors".
  return code <= -32000 && code >= -32099 ? 'Server error' : undefined;
}

function idOf(m: Record<string, unknown>): string | undefined {
  const id = m.id;
  if (typeof id === 'string') return clip(id, 200);
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

function decodeOne(m: unknown): DecodedFrame {
  if (!isObject(m)) return { protocol: P, type: 'invalid', cls: 'error', body: m };
  const id = idOf(m);
  const withId = id !== undefined ? { id } : {};
  const method = str(m, 'method');
  if (method !== undefined) {
    const params = 'params' in m ? { body: m.params } : {};
    // A request has an `id` member (even null, which the spec discourages); a notification has none.
    if ('id' in m) return { protocol: P, type: clip(method, 80), cls: 'data', ...withId, pair: 'request', ...params };
    return { protocol: P, type: clip(method, 80), cls: 'data', ...params };
  }
  if (isObject(m.error)) {
    const code = typeof m.error.code === 'number' && Number.isFinite(m.error.code) ? m.error.code : undefined;
    return { protocol: P, type: code !== undefined ? `error ${code}` : 'error', cls: 'error', ...withId, pair: 'response', body: m.error };
  }
  if ('result' in m) return { protocol: P, type: 'result', cls: 'data', ...withId, pair: 'response', body: m.result };
  return { protocol: P, type: 'invalid', cls: 'error', ...withId, body: m };
}

/** Reads a cut message's head: the method and id of its first member, nothing more. */
function decodePrefix(text: string): DecodedFrame | undefined {
  const head = text.slice(0, 1024);
  if (!/^\s*\[?\s*\{/.test(head) || !/"jsonrpc"\s*:\s*"2\.0"/.test(head)) return undefined;
  const method = /"method"\s*:\s*"([^"\\]{1,80})"/.exec(head)?.[1];
  const id = /"id"\s*:\s*(?:"([^"\\]{1,100})"|(-?\d{1,20}))/.exec(head);
  const withId = id ? { id: id[1] ?? id[2]! } : {};
  if (method) return { protocol: P, type: method, cls: 'data', ...withId, ...(id ? { pair: 'request' as const } : {}), partial: true };
  if (/"error"\s*:/.test(head)) return { protocol: P, type: 'error', cls: 'error', ...withId, pair: 'response', partial: true };
  if (/"result"\s*:/.test(head)) return { protocol: P, type: 'result', cls: 'data', ...withId, pair: 'response', partial: true };
  return undefined;
}

function capped(f: FrameIn): { text: string; cut: boolean } {
  const data = f.data ?? '';
  return data.length > PAYLOAD_CAP_BYTES ? { text: data.slice(0, PAYLOAD_CAP_BYTES), cut: true } : { text: data, cut: f.trunc === true };
}

/** A message that names itself JSON-RPC 2.0: an object, or a batch whose first member is one. */
function namesItself(f: FrameIn): boolean {
  if (f.bin || !f.data) return false;
  const { text, cut } = capped(f);
  const p = parseJson(text);
  if (!p.ok) return cut && decodePrefix(text) !== undefined;
  const first = Array.isArray(p.value) ? (p.value[0] as unknown) : p.value;
  return isObject(first) && first.jsonrpc === '2.0' && ('method' in first || 'result' in first || 'error' in first);
}

function bySubprotocol(h: ConnectionHints): Detection | undefined {
  const chosen = h.protocol && SUBPROTOCOL.test(h.protocol) ? h.protocol : undefined;
  const asked = !h.protocol ? h.protocols.find((p) => SUBPROTOCOL.test(p)) : undefined;
  const p = chosen ?? asked;
  return p ? { protocol: P, certainty: 'certain', by: 'subprotocol', variant: clip(p, 40) } : undefined;
}

export const jsonRpcDecoder: Decoder<null> = {
  id: P,
  label: 'JSON-RPC',
  detect: bySubprotocol,
  sniff(frames, h): Detection | undefined {
    const d = bySubprotocol(h);
    if (d) return d;
    return frames.some(namesItself) ? { protocol: P, certainty: 'likely', by: 'frames', variant: 'JSON-RPC 2.0' } : undefined;
  },
  init: () => null,
  decode(f): DecodeResult {
    if (f.bin) return { protocol: P, error: 'binary frame (JSON-RPC is text)' };
    if (!f.data) return { protocol: P, error: 'no data' };
    const { text, cut } = capped(f);
    const p = parseJson(text);
    if (!p.ok) {
      const d = cut ? decodePrefix(text) : undefined;
      return d ? [d] : { protocol: P, error: cut ? 'truncated' : 'not JSON' };
    }
    if (Array.isArray(p.value)) {
      // An empty batch is itself an invalid request (spec section 6).
      if (p.value.length === 0) return { protocol: P, error: 'empty batch' };
      const out = (p.value as unknown[]).map(decodeOne);
      return cut ? out.map((d) => ({ ...d, partial: true })) : out;
    }
    if (!isObject(p.value)) return { protocol: P, error: 'not a JSON object or array' };
    const d = decodeOne(p.value);
    return [cut ? { ...d, partial: true } : d];
  },
};

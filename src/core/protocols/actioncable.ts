// Action Cable (Rails): JSON messages over the `actioncable-v1-json` subprotocol. Server frames
// carry a `type` (welcome, ping, confirm_subscription, reject_subscription, disconnect) or an
// `identifier` with a `message`; client frames are `{command, identifier, data}`.
// Source: rails/rails actioncable/lib/action_cable.rb (INTERNAL: message_types,
// disconnect_reasons, protocols), connection/base.rb (beat, close with reason/reconnect),
// app/javascript/action_cable/connection_monitor.js (staleThreshold 6 s).
import { clip, isObject, num, parseJson, str, utf8, bytesOf } from './text.ts';
import type { ConnectionHints, DecodedFrame, DecodeResult, Decoder, Detection, FrameIn, HeartbeatTerms } from './types.ts';

const SUBPROTOCOLS = ['actioncable-v1-json', 'actioncable-unsupported'];

/** Rails' ActionCable::Server::Connections::BEAT_INTERVAL: a ping every 3 s; the JS monitor calls the socket stale after 6 s. */
const BEAT_MS = 3000;
const STALE_MS = 6000;

/** The channel name from an identifier, which is itself JSON (`{"channel":"ChatChannel",…}`). */
function channelOf(identifier: string): string {
  const p = parseJson(identifier);
  const ch = p.ok && isObject(p.value) ? str(p.value, 'channel') : undefined;
  return clip(ch ?? identifier, 200);
}

function textOf(f: FrameIn): string | undefined {
  if (f.data === undefined) return undefined;
  if (!f.bin) return f.data;
  const b = bytesOf(f.data);
  return b ? utf8(b) : undefined;
}

function decodeServer(o: Record<string, unknown>): DecodedFrame | undefined {
  const type = str(o, 'type');
  const identifier = str(o, 'identifier');
  const topic = identifier !== undefined ? channelOf(identifier) : undefined;
  const base = { protocol: 'actioncable' as const, ...(topic !== undefined ? { topic } : {}) };
  switch (type) {
    case 'welcome':
      return { ...base, type: 'welcome', cls: 'handshake' };
    case 'ping':
      return { ...base, type: 'ping', cls: 'heartbeat', body: num(o, 'message') };
    case 'confirm_subscription':
      return { ...base, type: 'confirm_subscription', cls: 'control', pair: 'response', ...(identifier !== undefined ? { id: clip(identifier, 200) } : {}) };
    case 'reject_subscription':
      return { ...base, type: 'reject_subscription', cls: 'error', pair: 'response', ...(identifier !== undefined ? { id: clip(identifier, 200) } : {}) };
    case 'disconnect': {
      const reason = str(o, 'reason');
      const reconnect = typeof o.reconnect === 'boolean' ? o.reconnect : undefined;
      return {
        ...base,
        type: reason !== undefined ? `disconnect ${clip(reason, 80)}` : 'disconnect',
        cls: 'close',
        close: { by: 'server', ...(reason !== undefined ? { reason: clip(reason, 200) } : {}), ...(reconnect !== undefined ? { reconnect } : {}) },
      };
    }
    case undefined:
      if (identifier !== undefined && 'message' in o) return { ...base, type: 'message', cls: 'data', body: o.message };
      return undefined;
    default:
      return { ...base, type: clip(type, 80), cls: 'control', body: o };
  }
}

function decodeClient(o: Record<string, unknown>): DecodedFrame | undefined {
  const command = str(o, 'command');
  const identifier = str(o, 'identifier');
  if (command === undefined) return undefined;
  const topic = identifier !== undefined ? channelOf(identifier) : undefined;
  const data = str(o, 'data');
  const parsed = data !== undefined ? parseJson(data) : undefined;
  const body = parsed?.ok ? parsed.value : data !== undefined ? clip(data) : undefined;
  const action = isObject(body) ? str(body, 'action') : undefined;
  const subscribing = command === 'subscribe' || command === 'unsubscribe';
  return {
    protocol: 'actioncable',
    type: command === 'message' && action !== undefined ? `message ${clip(action, 80)}` : clip(command, 80),
    cls: subscribing ? 'control' : 'data',
    ...(topic !== undefined ? { topic } : {}),
    ...(command === 'subscribe' && identifier !== undefined ? { id: clip(identifier, 200), pair: 'request' as const } : {}),
    ...(body !== undefined ? { body } : {}),
  };
}

function decodeFrame(f: FrameIn): DecodeResult {
  const text = textOf(f);
  if (text === undefined) return { protocol: 'actioncable', error: 'not captured' };
  const p = parseJson(text);
  if (!p.ok) return { protocol: 'actioncable', error: f.trunc ? 'truncated JSON' : 'not JSON' };
  if (!isObject(p.value)) return { protocol: 'actioncable', error: 'not an object' };
  const d = f.dir === 'in' ? decodeServer(p.value) : decodeClient(p.value);
  return d ? [d] : { protocol: 'actioncable', error: f.dir === 'in' ? 'no type or identifier' : 'no command' };
}

/** A server frame whose exact shape only Action Cable uses: the welcome, or a ping with a numeric message. */
function isOwnFrame(f: FrameIn): 'welcome' | 'ping' | undefined {
  if (f.dir !== 'in' || f.bin || f.data === undefined || f.data.length > 200) return undefined;
  const p = parseJson(f.data);
  if (!p.ok || !isObject(p.value)) return undefined;
  const keys = Object.keys(p.value);
  if (p.value.type === 'welcome' && keys.length <= 2) return 'welcome';
  if (p.value.type === 'ping' && num(p.value, 'message') !== undefined && keys.length === 2) return 'ping';
  return undefined;
}

export const actioncableDecoder: Decoder<Record<string, never>> = {
  id: 'actioncable',
  label: 'Action Cable',
  detect(h: ConnectionHints): Detection | undefined {
    if ((h.protocol && SUBPROTOCOLS.includes(h.protocol)) || h.protocols.includes('actioncable-v1-json'))
      return { protocol: 'actioncable', certainty: 'certain', by: 'subprotocol', variant: 'v1 json' };
    return undefined;
  },
  sniff(frames: readonly FrameIn[], h: ConnectionHints): Detection | undefined {
    const fromHints = this.detect(h);
    if (fromHints) return fromHints;
    // {"type":"welcome"} or {"type":"ping","message":n} could be any JSON app's: at most likely
    // when the URL is Rails' default mount path, possible otherwise.
    if (!frames.some((f) => isOwnFrame(f) !== undefined)) return undefined;
    const cablePath = /\/cable(\?|$)/.test(h.url);
    return { protocol: 'actioncable', certainty: cablePath ? 'likely' : 'possible', by: 'frames' };
  },
  init: () => ({}),
  decode: (f) => decodeFrame(f),
  defaultTerms(): HeartbeatTerms {
    return { pinger: 'server', intervalMs: BEAT_MS, timeoutMs: STALE_MS - BEAT_MS, source: 'default', from: 'Action Cable default (3 s beat, client staleThreshold 6 s)' };
  },
};

// MQTT 3.1.1 and 5 over WebSocket (binary). One WebSocket message may hold several control packets
// or a part of one (mqtt.js and aedes over Node streams write each packet in pieces), so the bytes
// of each direction are joined until a packet is complete. Specs: MQTT 3.1.1
// (https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/os/mqtt-v3.1.1-os.html) and MQTT 5
// (https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html): 2.2 fixed header, 1.5.5
// variable byte integer, 3.x packets, 2.4 reason codes, 3.1.2.10 keep alive (the server gives up
// after one and a half keep-alive periods), 3.2.2.3.14 Server Keep Alive.
import { bytesOf, clip, utf8 } from './text.ts';
import type { ConnectionHints, DecodedFrame, DecodeResult, Decoder, Detection, FrameIn, HeartbeatTerms } from './types.ts';

export interface MqttState {
  level: number;
  keepAlive?: number;
  /** Bytes of a packet not yet complete, per direction. */
  pending: { in?: Uint8Array; out?: Uint8Array };
}

const P = 'mqtt' as const;
const NAMES = ['', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];
/** A packet may be up to 256 MB; joining is kept to what a 16 KiB capture can plausibly continue. */
const MAX_PENDING = 1 << 20;

/** MQTT 5 reason codes (2.4) and MQTT 3.1.1 CONNACK return codes (3.2.2.3). */
const V5_REASONS: Record<number, string> = {
  0: 'Success', 4: 'Disconnect with Will Message', 0x80: 'Unspecified error', 0x81: 'Malformed Packet', 0x82: 'Protocol Error',
  0x83: 'Implementation specific error', 0x84: 'Unsupported Protocol Version', 0x85: 'Client Identifier not valid',
  0x86: 'Bad User Name or Password', 0x87: 'Not authorized', 0x88: 'Server unavailable', 0x89: 'Server busy', 0x8a: 'Banned',
  0x8b: 'Server shutting down', 0x8c: 'Bad authentication method', 0x8d: 'Keep Alive timeout', 0x8e: 'Session taken over',
  0x8f: 'Topic Filter invalid', 0x90: 'Topic Name invalid', 0x93: 'Receive Maximum exceeded', 0x94: 'Topic Alias invalid',
  0x95: 'Packet too large', 0x96: 'Message rate too high', 0x97: 'Quota exceeded', 0x98: 'Administrative action',
  0x99: 'Payload format invalid', 0x9a: 'Retain not supported', 0x9b: 'QoS not supported', 0x9c: 'Use another server',
  0x9d: 'Server moved', 0x9e: 'Shared Subscriptions not supported', 0x9f: 'Connection rate exceeded', 0xa0: 'Maximum connect time',
  0xa1: 'Subscription Identifiers not supported', 0xa2: 'Wildcard Subscriptions not supported',
};
const V3_CONNACK = ['Connection Accepted', 'unacceptable protocol version', 'identifier rejected', 'Server unavailable', 'bad user name or password', 'not authorized'];

/** Reads a variable byte integer at o: [value, next offset], 'short' when the data ends first, 'bad' past 4 bytes. */
function varint(b: Uint8Array, o: number): [number, number] | 'short' | 'bad' {
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const c = b[o + i];
    if (c === undefined) return 'short';
    v += (c & 0x7f) * 128 ** i;
    if ((c & 0x80) === 0) return [v, o + i + 1];
  }
  return 'bad';
}

class Reader {
  constructor(readonly b: Uint8Array, public o: number, readonly end: number) {}
  ok = true;
  u8(): number { if (this.o + 1 > this.end) return (this.ok = false), 0; return this.b[this.o++]!; }
  u16(): number { if (this.o + 2 > this.end) return (this.ok = false), 0; const v = (this.b[this.o]! << 8) | this.b[this.o + 1]!; this.o += 2; return v; }
  str(): string { const n = this.u16(); if (!this.ok || this.o + n > this.end) return (this.ok = false), ''; const s = utf8(this.b, this.o, this.o + n); this.o += n; return clip(s, 1000); }
  /** MQTT 5 properties (2.2.2): returns the ones the diagnosis reads, skips the rest by their length. */
  props(): { keepAlive?: number; reason?: string } {
    const l = varint(this.b, this.o);
    if (typeof l === 'string' || l[1] + l[0] > this.end) return (this.ok = false), {};
    const out: { keepAlive?: number; reason?: string } = {};
    const stop = l[1] + l[0];
    const inner = new Reader(this.b, l[1], stop);
    while (inner.ok && inner.o < stop) {
      const id = inner.u8();
      if (id === 0x13) out.keepAlive = inner.u16();
      else if (id === 0x1f) out.reason = inner.str();
      else if ([0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2a].includes(id)) inner.u8();
      else if ([0x21, 0x22, 0x23].includes(id)) inner.u16();
      else if ([0x02, 0x11, 0x18, 0x27].includes(id)) inner.o += 4;
      else if (id === 0x0b) { const v = varint(this.b, inner.o); inner.o = typeof v === 'string' ? stop + 1 : v[1]; }
      else if ([0x03, 0x08, 0x12, 0x15, 0x1a, 0x1c].includes(id)) inner.str();
      else if (id === 0x09 || id === 0x16) inner.o += 2 + inner.u16();
      else if (id === 0x26) (inner.str(), inner.str());
      else inner.ok = false;
    }
    this.o = stop;
    return out;
  }
}

function payloadOf(b: Uint8Array, o: number, end: number): unknown {
  const bytes = b.subarray(o, end);
  const text = utf8(bytes, 0, Math.min(bytes.length, 4096));
  return text.includes('\ufffd') || /[\u0000-\u0008\u000e-\u001f]/.test(text) ? { bytes: bytes.length } : clip(text) + (bytes.length > 4096 ? '…' : '');
}

function packet(b: Uint8Array, start: number, bodyAt: number, end: number, s: MqttState, cut: boolean, by: 'server' | 'client'): DecodedFrame {
  const type = b[start]! >> 4;
  const flags = b[start]! & 0x0f;
  const name = NAMES[type] ?? 'reserved';
  const f: DecodedFrame = { protocol: P, type: name, cls: 'control' };
  const r = new Reader(b, bodyAt, end);
  const v5 = s.level === 5;
  const reasonClose = (code: number, text: string | undefined, by: 'server' | 'client'): void => {
    const name5 = V5_REASONS[code];
    f.close = { by, code, ...(text ?? name5 ? { reason: text ?? name5 } : {}) };
  };
  switch (type) {
    case 1: {
      f.cls = 'handshake';
      const proto = r.str();
      const level = r.u8();
      r.u8();
      const keepAlive = r.u16();
      if (r.ok) s.level = level, (s.keepAlive = keepAlive);
      if (level === 5) r.props();
      const clientId = r.str();
      f.body = { protocol: proto, level, keepAlive, ...(r.ok ? { clientId } : {}) };
      if (r.ok && keepAlive > 0) f.terms = { pinger: 'client', intervalMs: keepAlive * 1000, timeoutMs: keepAlive * 500, source: 'announced', from: 'MQTT CONNECT keep alive' };
      break;
    }
    case 2: {
      f.cls = 'handshake';
      r.u8();
      const code = r.u8();
      // A 3.1.1-only broker answers an MQTT 5 CONNECT with a 2-byte CONNACK (aedes: code 1).
      const asV5 = v5 && end - bodyAt > 2;
      const props = asV5 && r.ok ? r.props() : {};
      const name5 = asV5 ? V5_REASONS[code] : V3_CONNACK[code];
      f.type = `CONNACK ${code}`;
      f.body = { code, ...(name5 ? { reason: name5 } : {}) };
      if (end - bodyAt >= 2 && code !== 0) (f.cls = 'error'), (f.close = { by: 'server', code, ...(props.reason ?? name5 ? { reason: props.reason ?? name5 } : {}) });
      if (props.keepAlive !== undefined) f.terms = { pinger: 'client', intervalMs: props.keepAlive * 1000, timeoutMs: props.keepAlive * 500, source: 'announced', from: 'MQTT CONNACK Server Keep Alive' };
      break;
    }
    case 3: {
      f.cls = 'data';
      const qos = (flags >> 1) & 3;
      const topic = r.str();
      f.topic = topic;
      f.type = `PUBLISH ${clip(topic, 120)}`;
      if (qos > 0) { const id = r.u16(); if (r.ok) (f.id = String(id)), (f.pair = 'request'); }
      if (v5 && r.ok) r.props();
      f.body = { qos, ...(flags & 1 ? { retain: true } : {}), payload: r.ok ? payloadOf(b, r.o, end) : undefined };
      break;
    }
    case 4: case 5: case 6: case 7: case 9: case 11: {
      const id = r.u16();
      if (r.ok) f.id = String(id);
      f.pair = type === 5 || type === 6 ? 'stream' : 'response';
      if (type === 9 || type === 11) f.body = { codes: Array.from(b.subarray(r.o, Math.min(end, r.o + 64))) };
      break;
    }
    case 8: case 10: {
      const id = r.u16();
      if (r.ok) (f.id = String(id)), (f.pair = 'request');
      if (v5) r.props();
      const filters: string[] = [];
      while (r.ok && r.o < end && filters.length < 32) { filters.push(r.str()); if (type === 8) r.u8(); }
      f.topic = filters.join(' ');
      f.type = `${name} ${clip(f.topic, 120)}`;
      break;
    }
    case 12: case 13:
      f.cls = 'heartbeat';
      break;
    case 14: case 15: {
      // Only MQTT 5 carries a reason code; a 3.1.1 DISCONNECT is empty and always the client's.
      const code = v5 && end > bodyAt ? r.u8() : 0;
      const props = v5 && end > r.o ? r.props() : {};
      if (type === 14 && v5) (f.cls = 'close'), reasonClose(code, props.reason, by);
      else if (type === 14) (f.cls = 'close'), (f.close = { by: 'client' });
      if (code) f.type = `${name} ${code}`;
      break;
    }
  }
  if (cut || !r.ok) f.partial = true;
  return f;
}

function decodeFrame(fr: FrameIn, s: MqttState): DecodeResult {
  if (fr.data === undefined) return { protocol: P, error: 'not captured' };
  if (!fr.bin) return { protocol: P, error: 'text frame' };
  // Past MAX_PENDING nothing more is joined or read, so the rest is not even base64-decoded.
  const over = fr.data.length > (MAX_PENDING / 3) * 4;
  if (over) fr = { ...fr, data: fr.data.slice(0, (MAX_PENDING / 3) * 4), trunc: true };
  const fresh = bytesOf(fr.data ?? '');
  if (!fresh) return { protocol: P, error: 'not base64' };
  const prev = s.pending[fr.dir];
  let b = fresh;
  if (prev && prev.length + fresh.length <= MAX_PENDING) (b = new Uint8Array(prev.length + fresh.length)), b.set(prev), b.set(fresh, prev.length);
  delete s.pending[fr.dir];
  const out: DecodedFrame[] = [];
  let o = 0;
  while (o < b.length) {
    const type = b[o]! >> 4;
    const len = varint(b, o + 1);
    if (type === 0 || len === 'bad') return out.length ? (out.push({ protocol: P, type: 'malformed', cls: 'control', partial: true }), out) : { protocol: P, error: type === 0 ? 'reserved packet type' : 'remaining length over 4 bytes' };
    if (len === 'short' || len[1] + len[0] > b.length) {
      // A capture cut by the hook loses the rest for good; an uncut message continues in the next one.
      if (fr.trunc) out.push(packet(b, o, len === 'short' ? b.length : len[1], b.length, s, true, fr.dir === 'in' ? 'server' : 'client'));
      else {
        if (b.length - o <= MAX_PENDING) s.pending[fr.dir] = b.slice(o);
        out.push({ protocol: P, type: `${NAMES[type] ?? '?'} (part)`, cls: 'control', partial: true, body: { bytes: b.length - o } });
      }
      break;
    }
    out.push(packet(b, o, len[1], len[1] + len[0], s, false, fr.dir === 'in' ? 'server' : 'client'));
    o = len[1] + len[0];
    if (out.length >= 1000) break;
  }
  return out;
}

/** The first client bytes (joined, as a client may send CONNECT in pieces) as a CONNECT: protocol name and level. */
function connectOf(frames: readonly FrameIn[]): { name: string; level: number } | undefined {
  const parts: Uint8Array[] = [];
  for (const f of frames) {
    if (f.dir !== 'out') continue;
    if (!f.bin || f.data === undefined) return undefined;
    const b = bytesOf(f.data.slice(0, 400));
    if (!b) return undefined;
    parts.push(b);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (all.set(p, o), o + p.length), 0);
  if (all[0] !== 0x10) return undefined;
  const len = varint(all, 1);
  if (typeof len === 'string') return undefined;
  const r = new Reader(all, len[1], all.length);
  const name = r.str();
  if (!r.ok || (name !== 'MQTT' && name !== 'MQIsdp')) return undefined;
  // mqtt.js over a Node stream sends the level in a later message than the name: the name decides.
  const level = r.u8();
  if (!r.ok) return { name, level: 0 };
  return level >= 3 && level <= 5 ? { name, level } : undefined;
}

export const mqttDecoder: Decoder<MqttState> = {
  id: P,
  label: 'MQTT',
  detect(h: ConnectionHints): Detection | undefined {
    const sub = h.protocol || h.protocols.find((p) => p === 'mqtt' || p === 'mqttv3.1');
    return sub === 'mqtt' || sub === 'mqttv3.1' ? { protocol: P, certainty: 'certain', by: 'subprotocol', variant: sub === 'mqttv3.1' ? 'MQTT 3.1' : undefined } : undefined;
  },
  sniff(frames: readonly FrameIn[], h: ConnectionHints): Detection | undefined {
    const c = connectOf(frames);
    const variant = c && c.level ? `MQTT ${c.level === 5 ? '5' : c.level === 4 ? '3.1.1' : '3.1'}` : undefined;
    const byHints = this.detect(h);
    if (byHints) return variant ? { ...byHints, variant } : byHints;
    return c ? { protocol: P, certainty: 'certain', by: 'frames', ...(variant ? { variant } : {}) } : undefined;
  },
  init: () => ({ level: 4, pending: {} }),
  decode: decodeFrame,
};

// A connection's application protocol, followed as its messages arrive: detected once (from the
// hints, then the first frames), then every message decoded once, incrementally — the session
// updates connections in place, so the tracker keeps its place by absolute message index
// (evicted + position) and is cached per Connection object. What it keeps beyond the per-message
// decode (which goes when the message record is evicted): heartbeat times, app-level closes,
// open requests for pairing, and counts — all bounded.
import type { Connection, MessageRecord } from '../session/connection.ts';
import { detectProtocol } from './detect.ts';
import { DECODERS } from './registry.ts';
import {
  isUndecodable,
  SNIFF_FRAMES,
  type AppClose,
  type ConnectionHints,
  type DecodedFrame,
  type Decoder,
  type Detection,
  type FrameClass,
  type FrameIn,
  type HeartbeatTerms,
  type ProtocolId,
} from './types.ts';

/** Heartbeat times kept per direction (the latest), enough to see a rhythm and its end. */
export const BEATS_KEPT = 64;
/** App-level closes kept (the latest). */
const CLOSES_KEPT = 8;
/** Requests waiting for their answer; past this the oldest is forgotten. */
const OPEN_REQUESTS_MAX = 1000;

export interface Beat {
  at: number;
  type: string;
}

export interface TrackedClose {
  at: number;
  dir: 'in' | 'out';
  protocol: ProtocolId;
  type: string;
  cls: FrameClass;
  close: AppClose;
}

/** What one message decoded to, with the latency of each frame that answers an earlier request. */
export interface MessageDecode {
  frames: DecodedFrame[];
  /** Per frame: ms since the request it answers (same id), when it answers one. */
  latencyMs: Array<number | undefined>;
}

export type MessageResult = MessageDecode | { error: string } | { uncaptured: true };

export interface ProtocolTrack {
  detection?: Detection;
  /** The decoder's display name. */
  label?: string;
  decoded: number;
  undecodable: number;
  /** Messages whose payload was not captured (or cut before anything decodable). */
  uncaptured: number;
  /** The latest terms announced on this connection, else the protocol's default. */
  terms?: HeartbeatTerms;
  beats: { in: Beat[]; out: Beat[] };
  beatCount: { in: number; out: number };
  closes: TrackedClose[];
  /** When the server last sent something other than a heartbeat. */
  lastInAt?: number;
}

interface Tracker {
  track: ProtocolTrack;
  decoder?: Decoder;
  state?: unknown;
  /** Absolute index (evicted + position) of the next message to decode. */
  next: number;
  decided: boolean;
  results: WeakMap<MessageRecord, MessageResult>;
  open: Map<string, number>;
}

const trackers = new WeakMap<Connection, Tracker>();

const hintsOf = (c: Connection): ConnectionHints => ({ url: c.url, protocols: c.protocols, ...(c.protocol ? { protocol: c.protocol } : {}) });
const frameOf = (m: MessageRecord): FrameIn => ({
  dir: m.dir,
  at: m.at,
  bin: m.bin,
  size: m.size,
  ...(m.data !== undefined ? { data: m.data } : {}),
  ...(m.trunc ? { trunc: true } : {}),
});

/** The connection's protocol track, brought up to date with its messages. */
export function protocolOf(c: Connection, decoders: readonly Decoder[] = DECODERS): ProtocolTrack {
  let t = trackers.get(c);
  if (!t) {
    t = {
      track: { decoded: 0, undecodable: 0, uncaptured: 0, beats: { in: [], out: [] }, beatCount: { in: 0, out: 0 }, closes: [] },
      next: 0,
      decided: false,
      results: new WeakMap(),
      open: new Map(),
    };
    trackers.set(c, t);
  }
  if (!t.decided) decide(t, c, decoders);
  if (t.decided && t.decoder) advance(t, c);
  return t.track;
}

/** What one of the connection's messages decoded to; undefined when no protocol was recognised. */
export function decodedOf(c: Connection, m: MessageRecord): MessageResult | undefined {
  const t = trackers.get(c);
  if (!t?.decoder) return undefined;
  return t.results.get(m);
}

function decide(t: Tracker, c: Connection, decoders: readonly Decoder[]): void {
  const hints = hintsOf(c);
  const first = c.stats.evicted === 0 ? c.messages.slice(0, SNIFF_FRAMES).map(frameOf) : [];
  const found = detectProtocol(decoders, hints, first);
  // Wait for more frames unless the evidence is already decisive or no more will come.
  const settled = found?.detection.certainty === 'certain' || first.length >= SNIFF_FRAMES || c.close !== undefined || c.stats.evicted > 0;
  if (!settled) return;
  t.decided = true;
  if (!found) return;
  t.decoder = found.decoder;
  t.track.detection = found.detection;
  t.track.label = found.decoder.label;
  t.state = found.decoder.init(hints, found.detection);
  const terms = found.decoder.defaultTerms?.(hints, found.detection);
  if (terms) t.track.terms = terms;
}

function advance(t: Tracker, c: Connection): void {
  const decoder = t.decoder!;
  const base = c.stats.evicted;
  for (let i = Math.max(0, t.next - base); i < c.messages.length; i++) {
    const m = c.messages[i]!;
    t.results.set(m, decodeOne(t, decoder, m));
  }
  t.next = base + c.messages.length;
}

function decodeOne(t: Tracker, decoder: Decoder, m: MessageRecord): MessageResult {
  const track = t.track;
  if (m.data === undefined || m.data === '') {
    if (m.size > 0 || m.data === undefined) {
      track.uncaptured++;
      return { uncaptured: true };
    }
  }
  let r;
  try {
    r = decoder.decode(frameOf(m), t.state);
  } catch (err) {
    // A decoder must not throw; if one does, the message is shown raw and counted.
    r = { protocol: decoder.id, error: `decoder failed: ${String(err).slice(0, 200)}` };
  }
  if (isUndecodable(r)) {
    track.undecodable++;
    return { error: r.error };
  }
  track.decoded++;
  const latencyMs: Array<number | undefined> = [];
  // A message injected from the panel as if from the server never crossed the network: it is
  // decoded and shown, but it is no server beat, goodbye or terms (an injected "ping" must not
  // hide a server that went silent).
  const fromServerForReal = !(m.inj && m.dir === 'in');
  for (const f of r) {
    latencyMs.push(pair(t, f, m));
    if (!fromServerForReal) continue;
    if (f.terms) track.terms = f.terms;
    if (f.cls !== 'heartbeat' && m.dir === 'in') track.lastInAt = m.at;
    if (f.cls === 'heartbeat') {
      const list = track.beats[m.dir];
      list.push({ at: m.at, type: f.type });
      if (list.length > BEATS_KEPT) list.splice(0, list.length - BEATS_KEPT);
      track.beatCount[m.dir]++;
    }
    if (f.close) {
      track.closes.push({ at: m.at, dir: m.dir, protocol: f.protocol, type: f.type, cls: f.cls, close: f.close });
      if (track.closes.length > CLOSES_KEPT) track.closes.shift();
    }
  }
  return { frames: r, latencyMs };
}

/** Records a request, or returns how long ago the request this frame answers was made. */
function pair(t: Tracker, f: DecodedFrame, m: MessageRecord): number | undefined {
  if (f.id === undefined || !f.pair) return undefined;
  const other = m.dir === 'in' ? 'out' : 'in';
  if (f.pair === 'request') {
    const key = `${m.dir}:${f.protocol}:${f.id}`;
    t.open.delete(key);
    t.open.set(key, m.at);
    if (t.open.size > OPEN_REQUESTS_MAX) t.open.delete(t.open.keys().next().value!);
    return undefined;
  }
  const key = `${other}:${f.protocol}:${f.id}`;
  const at = t.open.get(key);
  if (at === undefined) return undefined;
  if (f.pair === 'response') t.open.delete(key);
  return Math.max(0, m.at - at);
}

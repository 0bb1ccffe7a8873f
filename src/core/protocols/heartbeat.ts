// What the protocol's heartbeat says about how a connection ended: the terms the two sides
// agreed on (or the library's default), the beats seen each way, and — at the end — whether the
// beat the client was waiting for was overdue (the server, or the path from it, went silent),
// or every beat came up to the end (the server was alive: what cut the link was elsewhere).
//
// A beat is "late" once one interval and a grace have passed since the last: a quarter of the
// interval, at least a second, for timer jitter and transit (heartbeats run on timers that
// browsers and servers may delay; a beat a few hundred ms late is not a missed beat). The
// interval is the protocol's own number, never one of ours. Nothing is claimed about a direction
// with no beat seen when the terms are only a default: a server may meet it with WebSocket ping
// frames the page never sees (sockjs-node does, lib/trans-websocket.js), or not heartbeat at all.
import type { Connection } from '../session/connection.ts';
import { protocolOf, type Beat, type ProtocolTrack } from './track.ts';
import type { HeartbeatTerms } from './types.ts';

export interface BeatDirection {
  /** The interval beats were expected at this way, ms. */
  everyMs: number;
  count: number;
  lastAt?: number;
  /** The longest gap between two beats seen (kept ones only), ms. */
  longestGapMs?: number;
}

export interface HeartbeatFinding {
  protocol: string;
  terms: HeartbeatTerms;
  /** When the connection ended (or the analysis ran, for a live one). */
  endAt: number;
  inbound?: BeatDirection;
  outbound?: BeatDirection;
  /**
   * The beat the client waited for and did not get: due `dueAt`, then silence for `silentMs`
   * until the end, `missed` beats in all.
   */
  overdue?: { dir: 'in' | 'out'; lastAt: number; dueAt: number; silentMs: number; missed: number };
  /** Inbound beats kept their rhythm up to the end: the server answered until the cut. */
  keptToEnd: boolean;
  /** The client library's give-up window, when the terms give one (Engine.IO: interval + timeout). */
  giveUpMs?: number;
  /** Traffic the capture missed (a late panel, evictions upstream): beats may be missing from what we saw. */
  gaps: boolean;
}

/** Late once this long past the interval (see the header). */
export function graceMs(everyMs: number): number {
  return Math.max(1000, everyMs / 4);
}

/** The heartbeat finding of a connection whose protocol has terms, or undefined. */
export function heartbeatOf(c: Connection, now: number, track: ProtocolTrack = protocolOf(c)): HeartbeatFinding | undefined {
  const terms = track.terms;
  if (!terms || !track.label) return undefined;
  const endAt = c.close?.at ?? now;
  const startAt = c.openedAt ?? c.createdAt;
  const inEvery = terms.serverEveryMs ?? (terms.pinger === 'server' || terms.pinger === 'both' || terms.pinger === 'client' ? terms.intervalMs : undefined);
  const outEvery = terms.clientEveryMs ?? (terms.pinger === 'client' || terms.pinger === 'both' ? terms.intervalMs : undefined);
  const inbound = direction(inEvery, track.beats.in, track.beatCount.in);
  const outbound = direction(outEvery, track.beats.out, track.beatCount.out);
  const finding: HeartbeatFinding = {
    protocol: track.label,
    terms,
    endAt,
    ...(inbound ? { inbound } : {}),
    ...(outbound ? { outbound } : {}),
    keptToEnd: false,
    ...(terms.timeoutMs !== undefined && terms.intervalMs !== undefined ? { giveUpMs: terms.intervalMs + terms.timeoutMs } : {}),
    gaps: c.stats.missed > 0,
  };
  if (terms.pinger === 'client') clientPings(finding, track, startAt);
  else serverPings(finding, terms, startAt);
  return finding;
}

/** The server (or both sides) beats: the client waits for inbound beats; a server may watch the client's (STOMP). */
function serverPings(finding: HeartbeatFinding, terms: HeartbeatTerms, startAt: number): void {
  const { inbound, outbound, endAt } = finding;
  if (inbound && (inbound.count > 0 || terms.source === 'announced')) {
    const lastAt = inbound.lastAt ?? startAt;
    const silentMs = endAt - lastAt;
    if (silentMs > inbound.everyMs + graceMs(inbound.everyMs)) {
      finding.overdue = { dir: 'in', lastAt, dueAt: lastAt + inbound.everyMs, silentMs, missed: Math.floor(silentMs / inbound.everyMs) };
    } else if (inbound.count >= 2 && (inbound.longestGapMs ?? 0) <= inbound.everyMs + graceMs(inbound.everyMs)) finding.keptToEnd = true;
  }
  if (!finding.overdue && outbound && (outbound.count > 0 || terms.source === 'announced')) {
    const lastAt = outbound.lastAt ?? startAt;
    const silentMs = endAt - lastAt;
    if (silentMs > outbound.everyMs + graceMs(outbound.everyMs)) {
      finding.overdue = { dir: 'out', lastAt, dueAt: lastAt + outbound.everyMs, silentMs, missed: Math.floor(silentMs / outbound.everyMs) };
    }
  }
}

/**
 * The client beats and the server answers (Engine.IO v3, MQTT, Phoenix, graphql-ws pings): if
 * the client's own beats stopped, the silence is the client's (a frozen or throttled page);
 * if they went on unanswered, the server's.
 */
function clientPings(finding: HeartbeatFinding, track: ProtocolTrack, startAt: number): void {
  const { outbound, inbound, endAt, terms } = finding;
  if (!outbound || (outbound.count === 0 && terms.source !== 'announced')) return;
  const every = outbound.everyMs;
  const lastOut = outbound.lastAt ?? startAt;
  if (endAt - lastOut > every + graceMs(every)) {
    finding.overdue = { dir: 'out', lastAt: lastOut, dueAt: lastOut + every, silentMs: endAt - lastOut, missed: Math.floor((endAt - lastOut) / every) };
    return;
  }
  const lastIn = inbound?.lastAt ?? startAt;
  const unanswered = track.beats.out.filter((b) => b.at > lastIn);
  const first = unanswered[0];
  if (first && endAt - first.at > graceMs(every)) {
    finding.overdue = { dir: 'in', lastAt: lastIn, dueAt: first.at + graceMs(every), silentMs: endAt - lastIn, missed: unanswered.length };
  } else if ((inbound?.count ?? 0) >= 2) finding.keptToEnd = true;
}

function direction(everyMs: number | undefined, beats: readonly Beat[], count: number): BeatDirection | undefined {
  if (everyMs === undefined || everyMs <= 0) return undefined;
  let longest: number | undefined;
  for (let i = 1; i < beats.length; i++) longest = Math.max(longest ?? 0, beats[i]!.at - beats[i - 1]!.at);
  const last = beats[beats.length - 1];
  return { everyMs, count, ...(last ? { lastAt: last.at } : {}), ...(longest !== undefined ? { longestGapMs: longest } : {}) };
}

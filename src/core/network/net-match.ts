// Which network observation belongs to which page socket. The network layer and the page each
// see their half of a handshake with no shared id (a page cannot tag a WebSocket request), so
// the match rests on what both know: the document (when the hub could tell), the URL, the order
// in time, and whether the socket opened.
//
// Order is a hint, not a proof: a client keeps at most one connection per host in CONNECTING
// (RFC 6455 §4.1) and queues the others, but measured in Chromium 156 two sockets to one URL made
// in one task do not always reach the server in creation order (the lab's same-ms-pair scenario:
// the second-created one got the first answer in 2 of ~15 loads with other sockets in flight).
// Outcome decides where order could mislead: a socket that opened only takes a 101, a socket that
// never opened never takes one. Where neither can tell two sockets apart (both in flight at once,
// both failed, the network said different things), the observations are attached to neither and
// the sockets are marked ambiguous: a wrong status is worse than none. Each source is matched on
// its own (each is a complete record of its own), and the results are merged per connection.
import type { Connection } from '../session/session.ts';
import { FRAME_ERRORS_MAX, HANDSHAKE_ERROR, netClass, type NetObservation, type NetSource, type NetView } from './net.ts';
import { normalizeWsUrl } from './ws-url.ts';

/** Clock skew allowed between the page's clock and the network layer's (different processes). */
export const MATCH_SKEW_MS = 1_000;

export interface NetMatch {
  byConn: Map<string, NetView>;
  /** Observations no page socket accounts for (a socket in a Worker, or one the page never told us of). */
  unmatched: NetObservation[];
  /**
   * Sockets whose observation cannot be told from another socket's (next to matchNetwork says
   * when): by connection id, the observations that might be its. Attached to neither.
   */
  ambiguous: Map<string, NetObservation[]>;
}

const opened = (c: Connection) => c.openedAt !== undefined;
const upgraded = (o: NetObservation) => o.status === 101;
/** The observation says the handshake failed (or, pending, says nothing yet). */
const failed = (o: NetObservation) => (o.status !== undefined && o.status !== 101) || o.error !== undefined;

function compatible(c: Connection, o: NetObservation): boolean {
  if (!o.noTime) {
    if (o.at < c.createdAt - MATCH_SKEW_MS) return false;
    if (c.close && o.at > c.close.at + MATCH_SKEW_MS) return false;
  }
  if (opened(c)) return !failed(o) || upgraded(o);
  // Never opened: a 101 cannot be its request, unless the page failed it afterwards (a
  // subprotocol the server did not select fails the socket after a 101).
  if (upgraded(o) && !o.error) return c.close !== undefined && c.close.at - (o.responseAt ?? o.at) >= -MATCH_SKEW_MS && !!c.protocols.length;
  return true;
}

/**
 * Pairs each source's observations with connections: pre-made pairs first (`conn`), then per
 * (document or tab, URL), connections in creation order, each taking the first compatible
 * observation not yet taken.
 */
export function matchNetwork(connections: readonly Connection[], observations: Iterable<NetObservation>): NetMatch {
  const bySource = new Map<NetSource, NetObservation[]>();
  for (const o of observations) {
    let list = bySource.get(o.source);
    if (!list) bySource.set(o.source, (list = []));
    list.push(o);
  }
  const byConn = new Map<string, NetView>();
  const unmatched: NetObservation[] = [];
  const ambiguous = new Map<string, NetObservation[]>();
  const ids = new Set(connections.map((c) => c.id));
  for (const list of bySource.values()) {
    const taken = new Set<NetObservation>();
    const groups = new Map<string, NetObservation[]>();
    for (const o of list) {
      if (o.conn !== undefined && ids.has(o.conn)) {
        merge(byConn, o.conn, o);
        taken.add(o);
        continue;
      }
      const key = normalizeWsUrl(o.url);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(o);
    }
    // Observations without a time keep the order the source listed them in (request order).
    for (const g of groups.values()) if (!g.some((o) => o.noTime)) g.sort((a, b) => a.at - b.at);
    const conns = [...connections].sort((a, b) => a.createdAt - b.createdAt);
    const picks: { c: Connection; o: NetObservation }[] = [];
    for (const c of conns) {
      if (c.createThrew) continue;
      const g = groups.get(normalizeWsUrl(c.url));
      if (!g) continue;
      // Observations that name a document belong to that document only.
      const fits = (o: NetObservation) => (o.doc === undefined || o.doc === c.doc) && compatible(c, o);
      const pick = g.find((o) => !taken.has(o) && fits(o));
      if (!pick) continue;
      taken.add(pick);
      picks.push({ c, o: pick });
    }
    const doubtful = new Set<number>();
    for (let i = 0; i < picks.length; i++) {
      for (let j = i + 1; j < picks.length; j++) {
        if (swappable(picks[i]!, picks[j]!)) doubtful.add(i).add(j);
      }
    }
    picks.forEach(({ c, o }, i) => {
      if (!doubtful.has(i)) return merge(byConn, c.id, o);
      const others = picks.filter((p, k) => doubtful.has(k) && normalizeWsUrl(p.c.url) === normalizeWsUrl(c.url)).map((p) => p.o);
      ambiguous.set(c.id, [...(ambiguous.get(c.id) ?? []), ...others]);
    });
    for (const o of list) if (!taken.has(o)) unmatched.push(o);
  }
  return { byConn, unmatched, ambiguous };
}

/**
 * Two pairs whose observations could as well be each other's: same URL, each socket fits the
 * other's observation, both sockets were in flight at once, and the answers differ (two
 * identical answers are the same fact whichever way round).
 */
function swappable(a: { c: Connection; o: NetObservation }, b: { c: Connection; o: NetObservation }): boolean {
  if (normalizeWsUrl(a.c.url) !== normalizeWsUrl(b.c.url)) return false;
  if (a.o.status === b.o.status && a.o.error === b.o.error) return false;
  if (!compatible(a.c, b.o) || !compatible(b.c, a.o)) return false;
  if ((a.o.doc !== undefined && a.o.doc !== b.c.doc) || (b.o.doc !== undefined && b.o.doc !== a.c.doc)) return false;
  // In flight together, by the page's own clock: a socket made after the other ended was
  // requested after the other's answer, so order tells them apart (a retry loop stays clear).
  return Math.max(a.c.createdAt, b.c.createdAt) < Math.min(a.c.close?.at ?? Infinity, b.c.close?.at ?? Infinity);
}

/** Folds one observation into a connection's view: known facts fill gaps, a named error beats a bare one. */
function merge(byConn: Map<string, NetView>, connId: string, o: NetObservation): void {
  let v = byConn.get(connId);
  if (!v) {
    v = { url: o.url, at: o.at, sources: [], ids: [] };
    byConn.set(connId, v);
  }
  mergeInto(v, o);
}

export function mergeInto(v: NetView, o: NetObservation): void {
  v.ids.push(o.id);
  if (!v.sources.includes(o.source)) v.sources.push(o.source);
  if (o.at < v.at) v.at = o.at;
  if (o.method && !v.method) v.method = o.method;
  if (o.requestHeaders?.length && !v.requestHeaders?.length) v.requestHeaders = o.requestHeaders;
  if (o.status !== undefined && o.status !== 0 && (v.status === undefined || v.status === 0)) {
    v.status = o.status;
    if (o.statusLine) v.statusLine = o.statusLine;
  }
  if (o.responseAt !== undefined && v.responseAt === undefined) v.responseAt = o.responseAt;
  if (o.responseHeaders?.length && !v.responseHeaders?.length) v.responseHeaders = o.responseHeaders;
  // A failed handshake reaches CDP as a frame error (measured, Chromium 156: "Error during
  // WebSocket handshake: Incorrect 'Sec-WebSocket-Accept' header value", docs/deep-capture.md):
  // the same text DevTools' log keeps as the error, so it is read as one.
  const error = o.error ?? o.frameErrors?.find((e) => e.text.startsWith(HANDSHAKE_ERROR))?.text;
  if (error && (!v.error || tells(error) > tells(v.error))) v.error = error;
  if (o.frameErrors?.length) {
    const all = [...(v.frameErrors ?? [])];
    for (const e of o.frameErrors) if (!all.some((x) => x.at === e.at && x.text === e.text)) all.push({ at: e.at, text: e.text });
    v.frameErrors = all.sort((a, b) => a.at - b.at).slice(0, FRAME_ERRORS_MAX);
  }
  if (o.closedAt !== undefined && (v.closedAt === undefined || o.closedAt < v.closedAt)) v.closedAt = o.closedAt;
  if (o.worker && !v.worker) v.worker = { type: o.worker.type, url: o.worker.url };
  if (o.endAt !== undefined && (v.endAt === undefined || o.endAt > v.endAt)) v.endAt = o.endAt;
  if (o.headersDropped) v.headersDropped = (v.headersDropped ?? 0) + o.headersDropped;
}

/** How much an error string says: a named class beats the bare "failed". */
function tells(error: string): number {
  const cls = netClass({ error });
  return cls === undefined || cls === 'network' ? 0 : 1;
}

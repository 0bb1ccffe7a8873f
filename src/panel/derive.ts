// What the views derive from the session: diagnoses, reconnect chains and the summary. Computed
// for a store version and shared by every view, so the timeline, the list and the card never
// disagree. Under load the live session is re-derived at most every so often (DeriveThrottle):
// diagnosing every connection costs ~15 ms at 1,000 connections (bench machine), and the store
// changes up to 60 times a second.
import { diagnoseAll, type Diagnosis, type DiagnosisCategory } from '../core/diagnosis/diagnose.ts';
import { CHROME_HAR_WARNING, unknownCloseHeadline, type ForeignInfo } from '../core/har/har.ts';
import { tx } from '../core/knowledge/i18n/text.ts';
import { chainIndex, findReconnectChains, type ReconnectChain } from '../core/session/reconnect.ts';
import { matchNetwork } from '../core/network/net-match.ts';
import type { NetObservation, NetView } from '../core/network/net.ts';
import { listConnections, type Connection, type SessionState } from '../core/session/session.ts';

export interface SummaryItem {
  key: string;
  category: DiagnosisCategory;
  code?: number;
  count: number;
  suspect?: string;
}

export interface Derived {
  connections: Connection[];
  /** Each connection's handshake as the network saw it (core/network/net-match.ts). */
  network: Map<string, NetView>;
  /** Connections whose handshake cannot be told from another's: the answers that might be theirs. */
  ambiguous: Map<string, NetObservation[]>;
  diagnoses: Map<string, Diagnosis>;
  chains: ReconnectChain[];
  chainOf: Map<string, { chain: ReconnectChain; index: number }>;
  summary: SummaryItem[];
  /**
   * Each connection's state and close as of this derive. The connections are live objects that
   * keep changing between derives: a row that read its close code from the connection and its
   * badge from the diagnosis could show a code beside "live" (view/row.ts).
   */
  rows: Map<string, RowSnapshot>;
  now: number;
}

export interface RowSnapshot {
  state: Connection['state'];
  close?: Connection['close'];
  createThrew?: string;
}

export function rowSnapshots(connections: readonly Connection[]): Map<string, RowSnapshot> {
  const rows = new Map<string, RowSnapshot>();
  for (const c of connections) {
    const r: RowSnapshot = { state: c.state };
    if (c.close) r.close = c.close;
    if (c.createThrew) r.createThrew = c.createThrew;
    rows.set(c.id, r);
  }
  return rows;
}

/** What an imported file tells beyond the session: connections whose close it does not know. */
export interface FileFacts {
  closeUnknown: ReadonlySet<string>;
  foreign: ReadonlyMap<string, ForeignInfo>;
}

export function derive(session: SessionState, now: number, file?: FileFacts): Derived {
  const { connections, network, ambiguous } = withNetwork(listConnections(session), session.net.values());
  const chains = findReconnectChains(connections, { now });
  const diagnoses = diagnoseAll({ connections, context: session.context, now, chains, network, faults: session.faults });
  if (file) {
    // A Chrome HAR records messages but not how the socket closed: say that, with what the
    // timing still tells, instead of calling the socket live.
    for (const c of connections) {
      if (!file.closeUnknown.has(c.id)) continue;
      diagnoses.set(c.id, {
        category: 'unknown-code',
        severity: 'info',
        // The file does not say how the socket closed: any cause is only one of several.
        confidence: 'possible',
        headline: unknownCloseHeadline(c, file.foreign.get(c.id)),
        evidence: [{ fact: 'close.unknown', text: tx(CHROME_HAR_WARNING, 'この HAR は Chrome DevTools が書き出したもので、メッセージはありますがクローズコードがありません') }],
        causes: [],
        fixes: [],
      });
    }
  }
  return { connections, network, ambiguous, diagnoses, chains, chainOf: chainIndex(chains), summary: summarize(connections, diagnoses), rows: rowSnapshots(connections), now };
}

/**
 * Matches the network's observations to the page's sockets, and lists each request no page
 * socket accounts for (a socket in a Worker, or one made before the hook ran) as a connection of
 * its own, marked network-only: never dropped. One request seen by two sources (webRequest and
 * DevTools' log) that matched no page socket is one such row: the rows come from the first
 * source's leftovers, and the other sources' leftovers are matched to them.
 */
export function withNetwork(
  page: readonly Connection[],
  observations: Iterable<NetObservation>,
): { connections: Connection[]; network: Map<string, NetView>; ambiguous: Map<string, NetObservation[]> } {
  const first = matchNetwork(page, observations);
  if (!first.unmatched.length) return { connections: [...page], network: first.byConn, ambiguous: first.ambiguous };
  const lead = first.unmatched[0]!.source;
  const rows = first.unmatched.filter((o) => o.source === lead).map(netOnlyConnection);
  const second = matchNetwork(rows, first.unmatched.map((o) => (o.source === lead ? { ...o, conn: `net:${o.id}` } : o)));
  const alone = second.unmatched.map(netOnlyConnection);
  const third = matchNetwork(alone, second.unmatched.map((o) => ({ ...o, conn: `net:${o.id}` })));
  for (const m of [second, third]) for (const [id, view] of m.byConn) first.byConn.set(id, view);
  const connections = [...page, ...rows, ...alone].sort((a, b) => a.createdAt - b.createdAt);
  return { connections, network: first.byConn, ambiguous: first.ambiguous };
}

function netOnlyConnection(o: NetObservation): Connection {
  const failed = o.error !== undefined || (o.status !== undefined && o.status !== 101);
  const end = o.endAt ?? o.responseAt;
  const c: Connection = {
    id: `net:${o.id}`,
    doc: o.doc ?? '',
    sid: -1,
    url: o.url,
    protocols: [],
    createdAt: o.at,
    state: failed ? 'closed' : 'connecting',
    closeCalls: [],
    messages: [],
    stats: { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, evicted: 0, missed: 0, maxSentSize: 0, maxReceivedSize: 0 },
    netOnly: true,
  };
  // Deep capture's network layer names the worker even when no hook reported the socket.
  if (o.worker) c.worker = { type: o.worker.type, url: o.worker.url };
  // An upgrade that succeeded: the network's "completed" comes with the 101 (measured in both
  // browsers), not when the socket ends, so its end is unknown and it stays open here.
  if (!failed && o.status === 101) {
    c.openedAt = o.responseAt ?? o.at;
    c.state = 'open';
  } else if (failed) {
    c.close = { at: end ?? o.at, code: 1006, reason: '', wasClean: false, synthetic: 'network-only' };
  }
  return c;
}

/** Pause between two derives: at least this long (the rows' counts move on every render)… */
const MIN_GAP_MS = 100;
/** …or this many times what the last one cost (≤ 1/8 of the thread)… */
const COST_FACTOR = 8;
/** …but never longer than this, so a huge session still updates every second. */
const MAX_GAP_MS = 1000;

/**
 * Derives the live session at most once per gap that grows with what deriving costs: every
 * MIN_GAP_MS for a small session, every COST_FACTOR × its cost for a large one, up to
 * MAX_GAP_MS. A change after a quiet spell is derived at once. Between derives the views keep
 * the last result (the timeline is only redrawn when it changes, App.tsx); the rows' counts
 * come from the connections themselves and stay current on every render.
 */
export class DeriveThrottle {
  private last: Derived | undefined;
  private key = '';
  private at = -Infinity;
  private cost = 0;
  private renderCounted: Derived | undefined;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /**
   * The derived data for `session` at store `version` (and live-clock `tick`), or the previous
   * one if deriving again now would be too soon: then `retryInMs` says when to ask again.
   */
  get(session: SessionState, version: number, tick: number): { derived: Derived; retryInMs?: number } {
    const key = `${version}:${tick}`;
    if (this.last && key === this.key) return { derived: this.last };
    const t = this.clock();
    const gap = Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, this.cost * COST_FACTOR));
    if (this.last && t - this.at < gap) return { derived: this.last, retryInMs: Math.ceil(gap - (t - this.at)) };
    this.last = derive(session, Date.now());
    this.key = key;
    this.at = t;
    this.cost = this.clock() - t;
    return { derived: this.last };
  }

  /**
   * Adds what the first render of a new result cost to the cost that paces derives: a fresh
   * result redraws the timeline, which buckets every message of every connection, and at
   * 1,000 connections that render outweighs the derive itself.
   */
  rendered(derived: Derived, ms: number): void {
    if (derived !== this.last || this.renderCounted === derived) return;
    this.renderCounted = derived;
    this.cost += ms;
  }
}

/** Counts closures by what happened ("3× 1006 idle cut — nginx"), worst first; live ones last. */
export function summarize(connections: readonly Connection[], diagnoses: Map<string, Diagnosis>): SummaryItem[] {
  const items = new Map<string, SummaryItem>();
  for (const c of connections) {
    const d = diagnoses.get(c.id);
    if (!d) continue;
    const suspect = d.suspect?.name;
    const key = `${d.category}|${d.code ?? ''}|${suspect ?? ''}`;
    const item = items.get(key);
    if (item) item.count++;
    else {
      const it: SummaryItem = { key, category: d.category, count: 1 };
      if (d.code !== undefined) it.code = d.code;
      if (suspect) it.suspect = suspect;
      items.set(key, it);
    }
  }
  const rank = (i: SummaryItem) => (i.category === 'live' ? 3 : SEVERE.has(i.category) ? 0 : CALM.has(i.category) ? 2 : 1);
  return [...items.values()].sort((a, b) => rank(a) - rank(b) || b.count - a.count);
}

const SEVERE: ReadonlySet<DiagnosisCategory> = new Set(['server-error', 'abnormal', 'idle-timeout', 'offline', 'suspended', 'handshake-failed', 'message-too-big', 'protocol-error']);
const CALM: ReadonlySet<DiagnosisCategory> = new Set(['closed-by-page', 'closed-by-server', 'navigated']);

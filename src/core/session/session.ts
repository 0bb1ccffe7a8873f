// The session model: folds the hook's recorded facts into one record per WebSocket.
//
// Pure (no browser APIs) and incremental: the store feeds batches as they arrive, so the
// functions update the state in place instead of copying it — at 20,000 messages a second a
// copy per event would be the bottleneck. Memory is bounded by `limits`; whatever is evicted
// is counted on the connection so the panel can say so.
import { NET_OBSERVATIONS_MAX, PANEL_MESSAGE_BYTES_MAX, PANEL_MESSAGES_MAX } from '../wire/limits.ts';
import type { NetObservation } from '../network/net.ts';
import { normalizeWsUrl } from '../network/ws-url.ts';
import type { DocInfo, HookEvent, HookEventOf, SeqEvent } from '../wire/protocol.ts';

export type Direction = 'out' | 'in';

export interface MessageRecord {
  /** Index of the message within its direction on its socket, as the hook numbered it. */
  n: number;
  dir: Direction;
  /** Wall-clock time, epoch milliseconds (fractional). */
  at: number;
  bin: boolean;
  size: number;
  /** Text, or base64 for binary; absent when not captured (yet). */
  data?: string;
  trunc?: boolean;
  /** A Blob payload that is still being read by the hook. */
  later?: boolean;
}

export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed';

/**
 * Why a connection ended when no close event was seen by the page: navigation, its frame went
 * away, the browser blocked it at creation and never fires `close` for it (CSP, Chromium 156),
 * or it was only ever seen on the network (no page socket: a Worker's, or one we missed).
 */
export type SyntheticEnd = 'pagehide' | 'frame-gone' | 'blocked' | 'network-only';

/** A `securitypolicyviolation` the page's document fired for this socket's URL. */
export interface CspViolation {
  at: number;
  /** e.g. "connect-src", "default-src". */
  directive: string;
  /** The URL the policy blocked, as the browser reported it (may be cut to its origin). */
  blocked: string;
  /** The whole policy, bounded. */
  policy: string;
  /** "enforce" or "report" (report-only policies do not block). */
  disposition?: string;
}

export interface CloseInfo {
  at: number;
  code: number;
  reason: string;
  wasClean: boolean;
  /** Set when we synthesized the end: the page never got a close event. */
  synthetic?: SyntheticEnd;
}

export interface CloseCall {
  at: number;
  code?: number;
  reason?: string;
  stack?: string;
  threw?: string;
  readyState: number;
}

export interface ConnectionStats {
  sent: number;
  received: number;
  bytesSent: number;
  bytesReceived: number;
  /** Message records evicted from this connection to honour the cap. */
  evicted: number;
  /**
   * Messages that never reached this session: evicted upstream (the relay's or the hub's ring)
   * before a panel asked for them. Known from the hook's per-socket numbering (`n`), so `sent`
   * and `received` stay exact; their bytes are unknown and not in the byte counts.
   */
  missed: number;
  maxSentSize: number;
  maxReceivedSize: number;
}

export interface Connection {
  /** `${doc}:${sid}`: unique across documents, frames and reloads. */
  id: string;
  doc: string;
  sid: number;
  url: string;
  protocols: string[];
  createStack?: string;
  /** new WebSocket() threw: no socket existed. */
  createThrew?: string;
  /** readyState right after the constructor returned: 3 (CLOSED) when the browser blocked it at once. */
  createdState?: number;
  /** The page's Content-Security-Policy blocked this socket. */
  csp?: CspViolation;
  /** Not a page socket: a handshake seen on the network only (derive.ts makes these). */
  netOnly?: boolean;
  createdAt: number;
  openedAt?: number;
  protocol?: string;
  extensions?: string;
  state: ConnectionState;
  errorAt?: number;
  closeCalls: CloseCall[];
  close?: CloseInfo;
  messages: MessageRecord[];
  stats: ConnectionStats;
  lastIn?: { at: number; size: number };
  lastOut?: { at: number; size: number };
}

export type PageContextKind = HookEventOf<'page'>['what'];

export interface PageContextEvent {
  doc: string;
  at: number;
  what: PageContextKind;
  persisted?: boolean;
}

export interface DocState {
  doc: string;
  url: string;
  top: boolean;
  timeOrigin: number;
  lastSeq: number;
  /** Sequence numbers skipped: events the producer evicted before we saw them. */
  gaps: number;
}

export interface SessionLimits {
  /** Message records kept per connection (the oldest go first; counts stay exact). */
  maxMessagesPerConnection: number;
  /** Page context events (online/offline/visibility…) kept per session. */
  maxContextEvents: number;
  /**
   * Message records kept across all connections, and about how many bytes of them
   * (messageBytes). Past either, the connections holding the most give up their oldest records
   * (counted in their `stats.evicted`), so every connection keeps its latest messages: the ones
   * that explain how it ended.
   */
  maxMessages: number;
  maxMessageBytes: number;
  /** Network observations kept (the oldest go first, counted in netDropped). */
  maxNet: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  maxMessagesPerConnection: 10_000,
  maxContextEvents: 5_000,
  maxMessages: PANEL_MESSAGES_MAX,
  maxMessageBytes: PANEL_MESSAGE_BYTES_MAX,
  maxNet: NET_OBSERVATIONS_MAX,
};

/** Rough heap cost of a message record: its payload string plus the record itself. */
export function messageBytes(m: MessageRecord): number {
  return 64 + (m.data === undefined ? 0 : m.data.length);
}

export interface SessionState {
  limits: SessionLimits;
  docs: Map<string, DocState>;
  connections: Map<string, Connection>;
  /** Connection ids in creation order. */
  order: string[];
  context: PageContextEvent[];
  contextEvicted: number;
  /** Events that repeated an already-applied sequence number (replays after a restart). */
  duplicates: number;
  /** Events for a socket we never saw created (its `create` was evicted upstream). */
  orphans: number;
  /** Message records held across connections, and their estimated bytes (messageBytes). */
  held: { messages: number; bytes: number };
  /** What the network layer saw of handshakes (net.ts), by observation id, bounded by maxNet. */
  net: Map<string, NetObservation>;
  /** Observations evicted to stay within maxNet (oldest first). */
  netDropped: number;
}

export function createSession(limits: Partial<SessionLimits> = {}): SessionState {
  return {
    limits: { ...DEFAULT_LIMITS, ...limits },
    docs: new Map(),
    connections: new Map(),
    order: [],
    context: [],
    contextEvicted: 0,
    duplicates: 0,
    orphans: 0,
    held: { messages: 0, bytes: 0 },
    net: new Map(),
    netDropped: 0,
  };
}

/**
 * Takes network observations in: a known id is updated (each webRequest stage adds to the same
 * request), a new one added; past maxNet the oldest by request time go, counted.
 */
export function upsertNet(state: SessionState, observations: readonly NetObservation[], dropped = 0): void {
  for (const o of observations) state.net.set(o.id, o);
  state.netDropped += dropped;
  const over = state.net.size - state.limits.maxNet;
  if (over <= 0) return;
  const oldest = [...state.net.values()].sort((a, b) => a.at - b.at).slice(0, over);
  for (const o of oldest) state.net.delete(o.id);
  state.netDropped += over;
}

/** Estimated bytes of each connection's message records (kept off the Connection's own data). */
const heldBytes = new WeakMap<Connection, number>();
const bytesOf = (c: Connection): number => heldBytes.get(c) ?? 0;

function release(state: SessionState, c: Connection): void {
  state.held.messages -= c.messages.length;
  state.held.bytes -= bytesOf(c);
  heldBytes.delete(c);
}

/** Drops the `count` oldest records of a connection, counting them as evicted. */
function evictOldest(state: SessionState, c: Connection, count: number): void {
  if (count <= 0) return;
  let bytes = 0;
  for (let i = 0; i < count; i++) bytes += messageBytes(c.messages[i]!);
  c.messages.splice(0, count);
  c.stats.evicted += count;
  heldBytes.set(c, bytesOf(c) - bytes);
  state.held.messages -= count;
  state.held.bytes -= bytes;
}

/** Registers (or updates) what the hub knows of a document: its clock anchor above all. */
export function upsertDoc(state: SessionState, info: Pick<DocInfo, 'doc' | 'url' | 'top' | 'timeOrigin'>): DocState {
  let d = state.docs.get(info.doc);
  if (!d) {
    d = { doc: info.doc, url: info.url, top: info.top, timeOrigin: info.timeOrigin, lastSeq: -1, gaps: 0 };
    state.docs.set(info.doc, d);
  } else {
    d.url = info.url;
    d.top = info.top;
    if (info.timeOrigin) d.timeOrigin = info.timeOrigin;
  }
  return d;
}

/**
 * Sequence numbers of `doc` below `base` were cleared upstream on purpose (the hub's Clear): a
 * panel that never saw them is not missing anything.
 */
export function clearedBelow(state: SessionState, doc: string, base: number): void {
  const d = state.docs.get(doc) ?? upsertDoc(state, { doc, url: '', top: false, timeOrigin: 0 });
  if (d.lastSeq < base - 1) d.lastSeq = base - 1;
}

export const connectionId = (doc: string, sid: number): string => `${doc}:${sid}`;

/**
 * Applies a batch of one document's events in sequence order. Events at or below the last
 * applied sequence number are replays (the relay resends its buffer after a service worker
 * restart) and are skipped, so replays never duplicate anything.
 */
export function applyBatch(state: SessionState, doc: string, events: readonly SeqEvent[]): number {
  let d = state.docs.get(doc);
  if (!d) d = upsertDoc(state, { doc, url: '', top: false, timeOrigin: 0 });
  let applied = 0;
  for (const { seq, ev } of events) {
    if (seq <= d.lastSeq) {
      state.duplicates++;
      continue;
    }
    // A relay numbers a document's events from 0 without gaps, so every number skipped, before
    // the first event seen here too, is an event evicted upstream (or refused: store.ts drops()).
    if (seq > d.lastSeq + 1) d.gaps += seq - d.lastSeq - 1;
    d.lastSeq = seq;
    applyEvent(state, d, ev);
    applied++;
  }
  return applied;
}

function applyEvent(state: SessionState, d: DocState, ev: HookEvent): void {
  switch (ev.k) {
    case 'hello':
      d.timeOrigin = ev.timeOrigin;
      d.url = ev.url;
      d.top = ev.top;
      return;
    case 'page':
      onPage(state, d, ev);
      return;
    case 'create': {
      const id = connectionId(d.doc, ev.sid);
      const c: Connection = {
        id,
        doc: d.doc,
        sid: ev.sid,
        url: ev.url,
        protocols: ev.protocols,
        createdAt: d.timeOrigin + ev.t,
        state: ev.threw ? 'closed' : 'connecting',
        closeCalls: [],
        messages: [],
        stats: { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, evicted: 0, missed: 0, maxSentSize: 0, maxReceivedSize: 0 },
      };
      if (ev.stack) c.createStack = ev.stack;
      if (ev.threw) c.createThrew = ev.threw;
      if (ev.rs !== undefined) c.createdState = ev.rs;
      const old = state.connections.get(id);
      if (!old) state.order.push(id);
      else release(state, old);
      state.connections.set(id, c);
      return;
    }
    case 'csp':
      linkViolation(state, d, ev);
      return;
  }
  const c = state.connections.get(connectionId(d.doc, ev.sid));
  if (!c) {
    state.orphans++;
    return;
  }
  const at = 't' in ev ? d.timeOrigin + ev.t : 0;
  switch (ev.k) {
    case 'open':
      c.openedAt = at;
      c.protocol = ev.protocol;
      c.extensions = ev.extensions;
      if (c.state === 'connecting') c.state = 'open';
      return;
    case 'send':
    case 'message': {
      const dir: Direction = ev.k === 'send' ? 'out' : 'in';
      const m: MessageRecord = { n: ev.n, dir, at, bin: ev.bin, size: ev.size };
      if (ev.data !== undefined) m.data = ev.data;
      if (ev.trunc) m.trunc = true;
      if (ev.later) m.later = true;
      pushMessage(state, c, m);
      const s = c.stats;
      // The hook numbers each socket's sends and receives from 0 (`n`); a jump is messages evicted
      // upstream before we saw them (a flood before DevTools opened outgrew the relay's ring).
      const seen = dir === 'out' ? s.sent : s.received;
      if (ev.n > seen) s.missed += ev.n - seen;
      const count = Math.max(seen, ev.n) + 1;
      if (dir === 'out') {
        s.sent = count;
        s.bytesSent += ev.size;
        if (ev.size > s.maxSentSize) s.maxSentSize = ev.size;
        c.lastOut = { at, size: ev.size };
      } else {
        s.received = count;
        s.bytesReceived += ev.size;
        if (ev.size > s.maxReceivedSize) s.maxReceivedSize = ev.size;
        c.lastIn = { at, size: ev.size };
      }
      return;
    }
    case 'payload': {
      const dir: Direction = ev.dir === 'send' ? 'out' : 'in';
      // Blob reads finish shortly after their message; search from the end.
      for (let i = c.messages.length - 1; i >= 0; i--) {
        const m = c.messages[i]!;
        if (m.n === ev.n && m.dir === dir) {
          const grew = ev.data.length - (m.data?.length ?? 0);
          heldBytes.set(c, bytesOf(c) + grew);
          state.held.bytes += grew;
          m.data = ev.data;
          if (ev.trunc) m.trunc = true;
          delete m.later;
          break;
        }
      }
      return;
    }
    case 'error':
      c.errorAt = at;
      // A socket the browser refused at creation (readyState already CLOSED) gets `error` and no
      // `close`, ever (Chromium 156, docs/page-signals.md). What the page can tell is that it is
      // over: end it here as the page would have seen it end, 1006 (RFC 6455 §7.1.5: closed
      // without a Close frame), marked synthetic. A real close event, should one come, wins.
      if (c.createdState === 3 && !c.close) {
        c.close = { at, code: 1006, reason: '', wasClean: false, synthetic: 'blocked' };
        c.state = 'closed';
      }
      return;
    case 'close-call': {
      const call: CloseCall = { at, readyState: ev.rs };
      if (ev.code !== undefined) call.code = ev.code;
      if (ev.reason !== undefined) call.reason = ev.reason;
      if (ev.stack) call.stack = ev.stack;
      if (ev.threw) call.threw = ev.threw;
      c.closeCalls.push(call);
      if (!ev.threw && (c.state === 'open' || c.state === 'connecting')) c.state = 'closing';
      return;
    }
    case 'close':
      // A real close event wins over an end we synthesized (e.g. bfcache pagehide, then restore).
      c.close = { at, code: ev.code, reason: ev.reason, wasClean: ev.clean };
      c.state = 'closed';
      return;
  }
}

/**
 * How long after a socket's creation its CSP violation may come. Measured in Chromium 156: the
 * event fires ~1 ms after the constructor returns, before the socket's `error`
 * (docs/page-signals.md); the margin covers a busy page.
 */
export const CSP_LINK_MS = 3_000;

/** "ws://host:port" of a normalized URL (normalizeWsUrl: scheme and host lower-cased, no userinfo). */
const originOf = (normalized: string): string => {
  const i = normalized.indexOf('/', normalized.indexOf('://') + 3);
  return i < 0 ? normalized : normalized.slice(0, i);
};
/** http(s) as the WebSocket scheme it stands for, in a bare-scheme report. */
const WS_SCHEME: Record<string, string> = { ws: 'ws', wss: 'wss', http: 'ws', https: 'wss' };

/**
 * Does a violation's blockedURI name this socket's URL? Equal after normalisation (userinfo,
 * default port, case, and http(s) for ws(s): the handshake is fetched as an http(s) request,
 * Fetch Standard "WebSocket connections"); or, when the report was cut to the origin, the same
 * origin; or, when it was cut to the scheme alone (the Reporting spec's "strip URL for use in
 * reports" does that to any URL whose scheme is not http(s)), the same scheme. Chromium 156
 * reports the full URL without userinfo (docs/page-signals.md).
 */
export function violationNames(blocked: string, socketUrl: string): boolean {
  const scheme = WS_SCHEME[blocked.trim().toLowerCase()];
  const url = normalizeWsUrl(socketUrl);
  if (scheme !== undefined) return url.startsWith(`${scheme}://`);
  const b = normalizeWsUrl(blocked);
  if (b === url) return true;
  const origin = originOf(b);
  return b === `${origin}/` && originOf(url) === origin;
}

/**
 * Links a CSP violation to the socket it explains: the most recent socket of the same document
 * that the browser refused at creation (createdState 3) or that never opened, created at most
 * CSP_LINK_MS before, whose URL the report names, and that has no violation yet. A violation
 * that names no such socket (a blocked fetch, EventSource or beacon also reports connect-src)
 * is not ours: it is dropped.
 */
function linkViolation(state: SessionState, d: DocState, ev: HookEventOf<'csp'>): void {
  // The hook records no other directive; a page forging events can claim anything.
  if (ev.directive !== 'connect-src' && ev.directive !== 'default-src') return;
  const at = d.timeOrigin + ev.t;
  for (let i = state.order.length - 1; i >= 0; i--) {
    const c = state.connections.get(state.order[i]!);
    if (!c || c.doc !== d.doc) continue;
    if (at - c.createdAt > CSP_LINK_MS) return; // creation order: every earlier one is older still
    // A socket whose constructor threw is a candidate too: Firefox refuses a CSP-blocked URL by
    // throwing (NS_ERROR_CONTENT_BLOCKED, measured in Firefox ESR 153) and then reports the violation.
    if (c.csp || at < c.createdAt) continue;
    if (c.createdState !== 3 && c.openedAt !== undefined) continue;
    if (!violationNames(ev.blocked, c.url)) continue;
    const v: CspViolation = { at, directive: ev.directive, blocked: ev.blocked, policy: ev.policy };
    if (ev.disposition) v.disposition = ev.disposition;
    c.csp = v;
    return;
  }
}

function pushMessage(state: SessionState, c: Connection, m: MessageRecord): void {
  const cap = state.limits.maxMessagesPerConnection;
  c.messages.push(m);
  const bytes = messageBytes(m);
  heldBytes.set(c, bytesOf(c) + bytes);
  state.held.messages++;
  state.held.bytes += bytes;
  // Evict in chunks so that a flood costs amortized O(1) per message rather than a shift each.
  if (c.messages.length > cap + Math.max(1, cap >> 3)) evictOldest(state, c, c.messages.length - cap);
  const lim = state.limits;
  if (state.held.messages > lim.maxMessages || state.held.bytes > lim.maxMessageBytes) enforceTotal(state);
}

/**
 * Brings the session back under its total bounds, to seven eighths of the bound that was
 * crossed (so a flood trims every so often, amortized O(1) per message): the connections
 * holding the most are cut down to a common level, oldest records first ("water-filling"), so
 * a quiet connection keeps all of its history and every connection keeps its latest messages.
 */
function enforceTotal(state: SessionState): void {
  const lim = state.limits;
  const h = state.held;
  if (h.messages > lim.maxMessages) {
    const excess = h.messages - (lim.maxMessages - (lim.maxMessages >> 3));
    level(state, excess, (c) => c.messages.length, (c, to) => evictOldest(state, c, c.messages.length - to));
  }
  if (h.bytes > lim.maxMessageBytes) {
    const excess = h.bytes - (lim.maxMessageBytes - lim.maxMessageBytes / 8);
    level(state, excess, bytesOf, (c, to) => {
      let over = bytesOf(c) - to;
      let count = 0;
      while (over > 0 && count < c.messages.length) over -= messageBytes(c.messages[count++]!);
      evictOldest(state, c, count);
    });
  }
}

/** Cuts the largest connections (by `size`) down to the one level that frees `excess` in all. */
function level(state: SessionState, excess: number, size: (c: Connection) => number, cut: (c: Connection, to: number) => void): void {
  const conns = [...state.connections.values()].filter((c) => size(c) > 0).sort((a, b) => size(b) - size(a));
  let prefix = 0;
  for (let k = 0; k < conns.length; k++) {
    prefix += size(conns[k]!);
    const next = k + 1 < conns.length ? size(conns[k + 1]!) : 0;
    // Cutting the first k+1 down to `next` would free prefix - (k+1)·next.
    if (prefix - (k + 1) * next >= excess || k + 1 === conns.length) {
      const to = Math.max(0, Math.floor((prefix - excess) / (k + 1)));
      for (let i = 0; i <= k; i++) cut(conns[i]!, to);
      return;
    }
  }
}

function onPage(state: SessionState, d: DocState, ev: HookEventOf<'page'>): void {
  const at = d.timeOrigin + ev.t;
  const rec: PageContextEvent = { doc: d.doc, at, what: ev.what };
  if (ev.persisted !== undefined) rec.persisted = ev.persisted;
  state.context.push(rec);
  if (state.context.length > state.limits.maxContextEvents) {
    state.context.shift();
    state.contextEvicted++;
  }
  // Navigation, reload and tab close fire no close event in the page (the server sees 1001):
  // the only trace is pagehide, so end the document's live sockets here.
  if (ev.what === 'pagehide') endDocSockets(state, d.doc, at, 'pagehide');
}

/**
 * Ends every socket of a document that is still live. The server of a socket ended by
 * navigation receives 1001 (RFC 6455 §7.4.1, "browser navigating away"), so that is the code
 * we record, marked synthetic so no one mistakes it for an event the page saw.
 */
export function endDocSockets(state: SessionState, doc: string, at: number, why: SyntheticEnd): number {
  let n = 0;
  for (const id of state.order) {
    const c = state.connections.get(id);
    if (!c || c.doc !== doc || c.state === 'closed') continue;
    c.close = { at, code: 1001, reason: '', wasClean: false, synthetic: why };
    c.state = 'closed';
    n++;
  }
  return n;
}

/**
 * Clear, as the Network panel's: every connection and context event goes, live ones included
 * (the hub forgets their events too, so a panel opened later shows the same empty list). The
 * documents in `keepDocs` keep their sequence state, so replays of old events stay ignored and
 * new events still apply; other documents are forgotten.
 */
export function clearSession(state: SessionState, keepDocs: ReadonlySet<string> = new Set()): void {
  state.order = [];
  state.connections.clear();
  state.held = { messages: 0, bytes: 0 };
  state.context = [];
  state.net.clear();
  for (const doc of [...state.docs.keys()]) if (!keepDocs.has(doc)) state.docs.delete(doc);
}

/** Connections in creation order. */
export function listConnections(state: SessionState): Connection[] {
  const out: Connection[] = [];
  for (const id of state.order) {
    const c = state.connections.get(id);
    if (c) out.push(c);
  }
  return out;
}

/** Milliseconds from creation to close (or to `now` for a live socket). */
export function durationOf(c: Connection, now: number): number {
  return (c.close?.at ?? now) - c.createdAt;
}

/** Coarse outcome used for colour, icon and filtering; the diagnosis says the rest. */
export type Outcome =
  | 'live'
  | 'clean'
  | 'abnormal'
  | 'handshake-failed'
  | 'server-error'
  | 'policy'
  | 'navigated'
  | 'retry'
  | 'app'
  | 'other';

export function outcomeOf(c: Connection): Outcome {
  if (c.createThrew) return 'other';
  const close = c.close;
  if (!close) return 'live';
  // Refused by the browser before any handshake: it failed, the page did not leave.
  if (close.synthetic === 'blocked') return 'handshake-failed';
  if (close.synthetic) return 'navigated';
  const code = close.code;
  if (code === 1006) return c.openedAt === undefined ? 'handshake-failed' : 'abnormal';
  if (code === 1011) return 'server-error';
  if (code === 1000 || code === 1001) return 'clean';
  if (code === 1008 || code === 3000 || code === 3003) return 'policy';
  if (code === 1012 || code === 1013) return 'retry';
  if (code >= 3000 && code <= 4999) return 'app';
  return 'other';
}

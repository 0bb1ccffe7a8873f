// The session model: folds the hook's recorded facts into one record per WebSocket.
//
// Pure (no browser APIs) and incremental: the store feeds batches as they arrive, so the
// functions update the state in place instead of copying it — at 20,000 messages a second a
// copy per event would be the bottleneck. Memory is bounded by `limits`; whatever is evicted
// is counted on the connection so the panel can say so.
//
// Here: the fold itself (documents, batches, events, page context, clearing). What a connection
// record holds is connection.ts, the state's shape state.ts, the bounds bounds.ts, and linking
// a CSP violation to its socket csp.ts.
import type { NetObservation } from '../network/net.ts';
import type { DocInfo, HookEvent, HookEventOf, SeqEvent } from '../wire/protocol.ts';
import { bytesOf, heldBytes, pushMessage, release } from './bounds.ts';
import { applyClock, wallOf } from './clock.ts';
import type { CloseCall, Connection, Direction, MessageRecord, PageContextEvent, SyntheticEnd } from './connection.ts';
import { onInject } from './faults.ts';
import { linkViolation } from './csp.ts';
import { DEFAULT_LIMITS, type DocState, type SessionLimits, type SessionState } from './state.ts';
export { messageBytes } from './bounds.ts';
export {
  type CloseCall,
  type CloseInfo,
  type Connection,
  type ConnectionState,
  type ConnectionStats,
  type CspViolation,
  type Direction,
  type FaultRecord,
  FAULTS_KEPT,
  type MessageRecord,
  type Outcome,
  type ClockContextKind,
  type PageContextEvent,
  type PageContextKind,
  type SyntheticEnd,
  durationOf,
  outcomeOf,
} from './connection.ts';
export { CSP_LINK_MS, violationNames } from './csp.ts';
export { failRules } from './faults.ts';
export { SLEEP_MIN_MS, wallOf } from './clock.ts';
export { DEFAULT_LIMITS, type DocFault, type DocState, type SessionLimits, type SessionState } from './state.ts';

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
    faults: [],
    faultsEvicted: 0,
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
      if (ev.worker) d.worker = { type: ev.worker.type, url: ev.worker.url };
      return;
    case 'page':
      onPage(state, d, ev);
      return;
    case 'clock': {
      const jump = applyClock(d, ev);
      if (jump) pushContext(state, jump);
      return;
    }
    case 'create': {
      const id = connectionId(d.doc, ev.sid);
      const c: Connection = {
        id,
        doc: d.doc,
        sid: ev.sid,
        url: ev.url,
        protocols: ev.protocols,
        createdAt: wallOf(d, ev.t),
        state: ev.threw ? 'closed' : 'connecting',
        closeCalls: [],
        messages: [],
        stats: { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, evicted: 0, missed: 0, maxSentSize: 0, maxReceivedSize: 0 },
      };
      if (ev.stack) c.createStack = ev.stack;
      if (ev.threw) c.createThrew = ev.threw;
      if (ev.rs !== undefined) c.createdState = ev.rs;
      if (d.worker) c.worker = d.worker;
      const old = state.connections.get(id);
      if (!old) state.order.push(id);
      else release(state, old);
      state.connections.set(id, c);
      return;
    }
    case 'csp':
      linkViolation(state, d, ev);
      return;
    case 'inject':
      onInject(state, d, ev);
      return;
  }
  const c = state.connections.get(connectionId(d.doc, ev.sid));
  if (!c) {
    state.orphans++;
    return;
  }
  const at = 't' in ev ? wallOf(d, ev.t) : 0;
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
      if (ev.inj) m.inj = true;
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
        // lastIn is the server's last word on the wire (session/end.ts measures silences from
        // it, the idle and heartbeat rules compare them with timeouts): a message injected from
        // the panel never crossed the wire and must not make a silent server look alive. An
        // injected send did reach the server, so it counts for lastOut like any send.
        if (!ev.inj) c.lastIn = { at, size: ev.size };
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
      if (ev.inj) c.close.injected = true;
      c.state = 'closed';
      return;
  }
}

function onPage(state: SessionState, d: DocState, ev: HookEventOf<'page'>): void {
  const at = wallOf(d, ev.t);
  const rec: PageContextEvent = { doc: d.doc, at, what: ev.what };
  if (ev.persisted !== undefined) rec.persisted = ev.persisted;
  pushContext(state, rec);
  // Navigation, reload and tab close fire no close event in the page (the server sees 1001):
  // the only trace is pagehide, so end the document's live sockets here.
  if (ev.what === 'pagehide') endDocSockets(state, d.doc, at, 'pagehide');
}

function pushContext(state: SessionState, rec: PageContextEvent): void {
  state.context.push(rec);
  if (state.context.length > state.limits.maxContextEvents) {
    state.context.shift();
    state.contextEvicted++;
  }
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
  state.faults = [];
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

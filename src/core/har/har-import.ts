// importHar: our files, Chrome DevTools' own HAR exports and any other HAR's WebSocket entries
// back into a session, with an error naming what and where for anything malformed. See har.ts.
import * as v from 'valibot';

import { DIAGNOSIS_CATEGORIES, type Diagnosis, type DiagnosisCategory } from '../diagnosis/diagnose.ts';
import { fmtDuration, tx, type Text } from '../knowledge/i18n/text.ts';
import { matchIntermediaries } from '../knowledge/intermediaries.ts';
import { zeroDrops, type DropCounters } from '../wire/protocol.ts';
import { parseJson } from './har-json.ts';
import { boundedInert, pickFileHeaders, statusLineOf, trustedFrameTime } from './har-net.ts';
import { matchNetwork } from '../network/net-match.ts';
import { parseFailureText, type NetObservation, type NetSource, type NetView } from '../network/net.ts';
import { capturedBytes, CREATOR_NAME, HAR_FORMAT_VERSION, lastSeen, type ForeignInfo, type HarText } from './har-format.ts';
import {
  check,
  CloseSchema,
  ConnectionMetaSchema,
  DiagnosisSchema,
  EntrySchema,
  LogMetaSchema,
  MAX_DATA_CHARS,
  MAX_SHORT,
  MAX_STACK,
  MAX_URL,
  type EntryIn,
  type WsMessageIn,
} from './har-schema.ts';
import {
  connectionId,
  createSession,
  DEFAULT_LIMITS,
  type CloseCall,
  type Connection,
  type CspViolation,
  type MessageRecord,
  type PageContextEvent,
  type SessionState,
  upsertNet,
} from '../session/session.ts';

/**
 * A session loaded from a file, ready for a store: `state` is a SessionState built with
 * createSession() (connections in file order, context, limits raised so nothing loaded is
 * evicted) — a store can use it in place of its live session. The same objects are also given
 * flat (`connections`, `context`) for code that does not want the state. It is also a valid
 * ExportInput: `exportHar(session, opts)` writes it again.
 */
export interface ImportedSession {
  state: SessionState;
  connections: Connection[];
  context: PageContextEvent[];
  drops: DropCounters;
  /** Diagnoses recorded in the file (ours only): what the exporting panel showed. Re-run diagnoseAll for the current engine's view. */
  diagnoses: Map<string, Diagnosis>;
  pageUrl?: string;
  /** Connections whose close the file does not record (Chrome's HARs): show "close unknown", not "live". */
  closeUnknown: Set<string>;
  /** Handshake response and end time from a foreign HAR, per connection. */
  foreign: Map<string, ForeignInfo>;
  /**
   * Each connection's handshake as the file's network facts tell it: matchNetwork over
   * `connections` and `state.net` (one observation per entry that has them, tied to its
   * connection), as the panel computes it for a live session.
   */
  network: Map<string, NetView>;
  /** Where the network facts of our own files came from at capture (they now read "har"). */
  netSources: Map<string, NetSource[]>;
  /** The latest time in the file, epoch ms: the `now` to diagnose it with. */
  endedAt: number;
  creator: { name: string; version: string };
}

export type HarSource = 'socket-autopsy' | 'chrome' | 'other';

export type ImportResult =
  | { ok: true; session: ImportedSession; warnings: string[]; source: HarSource }
  | { ok: false; error: string };

export interface ImportOptions {
  /** Largest file accepted, in bytes (default 256 MiB). */
  maxBytes?: number;
}

/** Exact wording so that the panel and tests can rely on it. */
export const CHROME_HAR_WARNING = 'this HAR comes from Chrome DevTools: it has messages but no close codes';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isWebSocketEntry(e: Record<string, unknown>): boolean {
  if (e._resourceType === 'websocket' || Array.isArray(e._webSocketMessages) || isObject(e._socketAutopsy)) return true;
  const req = e.request;
  return isObject(req) && typeof req.url === 'string' && /^wss?:\/\//i.test(req.url);
}

/** Reads a HAR file's text. Never throws: a bad file is `{ ok: false, error }` naming what and where. */
export function importHar(textIn: string, opts: ImportOptions = {}): ImportResult {
  try {
    return importUnsafe(textIn, opts);
  } catch (e) {
    // A bug of ours must not take the panel (and its live session) down with it.
    return { ok: false, error: `could not read the file: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function importUnsafe(textIn: string, opts: ImportOptions): ImportResult {
  // A byte order mark (some Windows tools write one) is not JSON; TextDecoder drops it, readFile does not.
  const parsed = parseJson(textIn.charCodeAt(0) === 0xfeff ? textIn.slice(1) : textIn, opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {});
  if (!parsed.ok) return parsed;
  const warnings: string[] = [];
  if (parsed.droppedKeys.length) {
    const shown = parsed.droppedKeys.slice(0, 3).join(', ');
    warnings.push(`ignored ${parsed.droppedKeys.length} key(s) that could reach a prototype (${shown}${parsed.droppedKeys.length > 3 ? ', …' : ''})`);
  }

  const root = parsed.value;
  if (!isObject(root)) return { ok: false, error: 'not a HAR: the file is JSON but not an object' };
  const log = root.log;
  if (!isObject(log)) return { ok: false, error: 'not a HAR: there is no "log" object at the top level' };
  const entries = log.entries;
  if (!Array.isArray(entries)) return { ok: false, error: 'not a HAR: log.entries is missing or not an array' };

  const creatorIn = isObject(log.creator) ? log.creator : {};
  const creator = {
    name: typeof creatorIn.name === 'string' ? creatorIn.name.slice(0, 200) : '',
    version: typeof creatorIn.version === 'string' ? creatorIn.version.slice(0, 200) : '',
  };

  let logMeta: v.InferOutput<typeof LogMetaSchema> | undefined;
  if (log._socketAutopsy !== undefined) {
    const lm = log._socketAutopsy;
    if (isObject(lm) && typeof lm.version === 'number' && lm.version > HAR_FORMAT_VERSION) {
      return { ok: false, error: `log._socketAutopsy.version is ${lm.version}: written by a newer Socket Autopsy (this one reads version ${HAR_FORMAT_VERSION})` };
    }
    const r = check(LogMetaSchema, lm, 'log._socketAutopsy');
    if (!r.ok) return r;
    logMeta = r.value;
  }

  const connections: Connection[] = [];
  const diagnoses = new Map<string, Diagnosis>();
  const closeUnknown = new Set<string>();
  const foreign = new Map<string, ForeignInfo>();
  const observations: NetObservation[] = [];
  const netSources = new Map<string, NetSource[]>();
  const seen = new Map<string, number>();
  let ours = 0;
  let foreignCount = 0;
  let foreignWithMessages = 0;
  let skipped = 0;
  let inferredFailures = 0;
  let oddOpcodes = 0;
  let cutOnImport = 0;

  for (let i = 0; i < entries.length; i++) {
    const raw: unknown = entries[i];
    const base = `log.entries[${i}]`;
    if (!isObject(raw)) return { ok: false, error: `${base} is not an object` };
    if (!isWebSocketEntry(raw)) {
      skipped++;
      continue;
    }
    const r = check(EntrySchema, raw, base);
    if (!r.ok) return r;
    const e = r.value;

    let conn: Connection;
    if (raw._socketAutopsy !== undefined) {
      const built = fromOurs(raw, e, base);
      if (!built.ok) return built;
      conn = built.conn;
      if (built.closeUnknown) closeUnknown.add(conn.id);
      if (built.foreign) foreign.set(conn.id, built.foreign);
      if (built.diagnosis) diagnoses.set(conn.id, built.diagnosis);
      if (built.diagnosisError) warnings.push(`${base}._diagnosis was not kept: ${built.diagnosisError}`);
      if (e._webSocketNetwork) {
        observations.push(ourObservation(e, conn, i));
        if (e._webSocketNetwork.sources.length) netSources.set(conn.id, [...e._webSocketNetwork.sources]);
      }
      ours++;
    } else {
      const built = fromForeign(e, i);
      conn = built.conn;
      if (built.closeUnknown) closeUnknown.add(conn.id);
      foreign.set(conn.id, built.foreign);
      observations.push(built.net);
      if (built.inferredFailure) inferredFailures++;
      oddOpcodes += built.oddOpcodes;
      foreignCount++;
      if (e._webSocketMessages) foreignWithMessages++;
    }
    if (e._webSocketCsp) conn.csp = cspIn(e._webSocketCsp);
    if (e._networkOnly) conn.netOnly = true;
    const dup = seen.get(conn.id);
    if (dup !== undefined) return { ok: false, error: `${base} repeats the connection id ${JSON.stringify(conn.id)} of log.entries[${dup}]` };
    seen.set(conn.id, i);
    for (const m of conn.messages) {
      if (m.data !== undefined && m.data.length > MAX_DATA_CHARS) {
        m.data = m.bin ? m.data.slice(0, MAX_DATA_CHARS - (MAX_DATA_CHARS % 4)) : m.data.slice(0, MAX_DATA_CHARS);
        m.trunc = true;
        cutOnImport++;
      }
    }
    connections.push(conn);
  }

  const source: HarSource =
    ours > 0 && creator.name === CREATOR_NAME ? 'socket-autopsy' : creator.name === 'WebInspector' || entries.some((e) => isObject(e) && '_resourceType' in e) ? 'chrome' : 'other';
  if (foreignCount > 0) {
    if (source === 'chrome') warnings.push(CHROME_HAR_WARNING);
    else if (source === 'other') {
      const who = creator.name ? `${creator.name}` : 'an unknown tool';
      warnings.push(`this HAR comes from ${who}: it has ${foreignWithMessages ? 'messages but ' : 'no WebSocket messages and '}no close codes`);
    } else warnings.push(`${foreignCount} WebSocket entr${foreignCount === 1 ? 'y has' : 'ies have'} no Socket Autopsy data: imported without close codes`);
  }
  if (inferredFailures > 0) {
    warnings.push(
      `${inferredFailures} connection(s) got an HTTP response other than 101 (or a network error): recorded as a failed handshake with code 1006, the code the page sees for every failed handshake`,
    );
  }
  if (oddOpcodes > 0) warnings.push(`skipped ${oddOpcodes} frame(s) that are neither text nor binary (opcode other than 1 or 2)`);
  if (cutOnImport > 0) warnings.push(`${cutOnImport} message(s) longer than ${MAX_DATA_CHARS} characters were cut and marked truncated`);
  if (skipped > 0) warnings.push(`ignored ${skipped} entr${skipped === 1 ? 'y that is' : 'ies that are'} not WebSocket`);
  if (connections.length === 0) warnings.push('this HAR has no WebSocket entries');

  const context: PageContextEvent[] = (logMeta?.context ?? []).map((e) => {
    const ev: PageContextEvent = { doc: e.doc, at: e.at, what: e.what };
    if (e.persisted !== undefined) ev.persisted = e.persisted;
    return ev;
  });
  const drops: DropCounters = logMeta?.drops ? { malformed: logMeta.drops.malformed, evicted: logMeta.drops.evicted, hook: logMeta.drops.hook } : zeroDrops();

  let pageUrl: string | undefined;
  if (Array.isArray(log.pages) && isObject(log.pages[0]) && typeof log.pages[0].title === 'string' && log.pages[0].title.length <= 65536) {
    pageUrl = log.pages[0].title;
  }

  let maxMessages = 0;
  let endedAt = 0;
  for (const c of connections) {
    maxMessages = Math.max(maxMessages, c.messages.length);
    endedAt = Math.max(endedAt, lastSeen(c), c.close?.at ?? 0, foreign.get(c.id)?.endedAt ?? 0);
  }
  for (const e of context) endedAt = Math.max(endedAt, e.at);

  const state = createSession({
    maxMessagesPerConnection: Math.max(DEFAULT_LIMITS.maxMessagesPerConnection, maxMessages),
    maxContextEvents: Math.max(DEFAULT_LIMITS.maxContextEvents, context.length),
    maxNet: Math.max(DEFAULT_LIMITS.maxNet, observations.length),
  });
  for (const c of connections) {
    state.connections.set(c.id, c);
    state.order.push(c.id);
    const d = state.docs.get(c.doc);
    if (!d) state.docs.set(c.doc, { doc: c.doc, url: '', top: true, timeOrigin: c.createdAt, lastSeq: -1, gaps: 0 });
    else if (c.createdAt < d.timeOrigin) d.timeOrigin = c.createdAt;
  }
  state.context = context;
  upsertNet(state, observations);
  const network = matchNetwork(connections, state.net.values()).byConn;

  const session: ImportedSession = { state, connections, context, drops, diagnoses, closeUnknown, foreign, network, netSources, endedAt, creator };
  if (pageUrl !== undefined) session.pageUrl = pageUrl;
  return { ok: true, session, warnings, source };
}

type Built =
  | { ok: true; conn: Connection; closeUnknown: boolean; foreign?: ForeignInfo; diagnosis?: Diagnosis; diagnosisError?: string }
  | { ok: false; error: string };

/** One of our entries: `_socketAutopsy` holds the exact Connection. */
function fromOurs(raw: Record<string, unknown>, e: EntryIn, base: string): Built {
  const metaRaw = raw._socketAutopsy;
  if (isObject(metaRaw) && typeof metaRaw.version === 'number' && metaRaw.version > HAR_FORMAT_VERSION) {
    return { ok: false, error: `${base}._socketAutopsy.version is ${metaRaw.version}: written by a newer Socket Autopsy (this one reads version ${HAR_FORMAT_VERSION})` };
  }
  const mr = check(ConnectionMetaSchema, metaRaw, `${base}._socketAutopsy`);
  if (!mr.ok) return mr;
  const meta = mr.value;
  // Error frames are the network's failure text (read with the handshake, har-net.ts), not messages.
  const wire: readonly WsMessageIn[] = (e._webSocketMessages ?? []).filter((w) => w.type !== 'error');
  if (wire.length !== meta.messagesMeta.length) {
    return {
      ok: false,
      error: `${base}._socketAutopsy.messagesMeta has ${meta.messagesMeta.length} items but ${base}._webSocketMessages has ${wire.length}`,
    };
  }

  const messages: MessageRecord[] = new Array(wire.length);
  for (let j = 0; j < wire.length; j++) {
    const w = wire[j]!;
    const mm = meta.messagesMeta[j]!;
    if ((w.opcode === 2) !== mm.bin || (w.opcode !== 1 && w.opcode !== 2)) {
      return { ok: false, error: `${base}._webSocketMessages[${j}].opcode ${w.opcode} disagrees with ${base}._socketAutopsy.messagesMeta[${j}].bin (${mm.bin})` };
    }
    const m: MessageRecord = { n: mm.n, dir: w.type === 'send' ? 'out' : 'in', at: mm.at ?? w.time * 1000, bin: mm.bin, size: mm.size };
    if (!mm.nodata) m.data = w.data;
    if (mm.trunc) m.trunc = true;
    if (mm.later) m.later = true;
    messages[j] = m;
  }

  const conn: Connection = {
    id: meta.id,
    doc: meta.doc,
    sid: meta.sid,
    url: e.request.url,
    protocols: meta.protocols,
    createdAt: meta.createdAt,
    state: meta.state,
    closeCalls: meta.closeCalls.map((k) => {
      const call: CloseCall = { at: k.at, readyState: k.readyState };
      if (k.code !== undefined) call.code = k.code;
      if (k.reason !== undefined) call.reason = k.reason;
      if (k.stack !== undefined) call.stack = k.stack;
      if (k.threw !== undefined) call.threw = k.threw;
      return call;
    }),
    messages,
    // The file's `evicted` already counts every message it lacks (har-export.ts).
    stats: { ...meta.stats, missed: 0 },
  };
  if (meta.createStack !== undefined) conn.createStack = meta.createStack;
  if (meta.createThrew !== undefined) conn.createThrew = meta.createThrew;
  if (meta.createdState !== undefined) conn.createdState = meta.createdState;
  if (meta.openedAt !== undefined) conn.openedAt = meta.openedAt;
  if (meta.protocol !== undefined) conn.protocol = meta.protocol;
  if (meta.extensions !== undefined) conn.extensions = meta.extensions;
  if (meta.errorAt !== undefined) conn.errorAt = meta.errorAt;
  if (meta.lastIn) conn.lastIn = { at: meta.lastIn.at, size: meta.lastIn.size };
  if (meta.lastOut) conn.lastOut = { at: meta.lastOut.at, size: meta.lastOut.size };

  if (raw._webSocketClose !== undefined) {
    const cr = check(CloseSchema, raw._webSocketClose, `${base}._webSocketClose`);
    if (!cr.ok) return cr;
    const k = cr.value;
    // requested*/closedBy are derived from closeCalls on export: not read back.
    conn.close = { at: k.at, code: k.code, reason: k.reason, wasClean: k.wasClean };
    if (k.synthetic) conn.close.synthetic = k.synthetic;
  }

  const out: Built = { ok: true, conn, closeUnknown: meta.closeUnknown === true };
  if (meta.foreign) {
    const f: ForeignInfo = { status: meta.foreign.status, statusText: meta.foreign.statusText };
    if (meta.foreign.error !== undefined) f.error = meta.foreign.error;
    if (meta.foreign.endedAt !== undefined) f.endedAt = meta.foreign.endedAt;
    out.foreign = f;
  }
  if (raw._diagnosis !== undefined) {
    const d = diagnosisIn(raw._diagnosis, `${base}._diagnosis`);
    if (d.ok) out.diagnosis = d.value;
    else out.diagnosisError = d.error;
  }
  return out;
}

function diagnosisIn(raw: unknown, base: string): { ok: true; value: Diagnosis } | { ok: false; error: string } {
  const r = check(DiagnosisSchema, raw, base);
  if (!r.ok) return r;
  const x = r.value;
  if (!(DIAGNOSIS_CATEGORIES as readonly string[]).includes(x.category)) {
    return { ok: false, error: `${base}.category ${JSON.stringify(x.category.slice(0, 64))} is not a category this version knows` };
  }
  const t = (y: HarText): Text => tx(y.en, y.ja);
  const d: Diagnosis = {
    category: x.category as DiagnosisCategory,
    severity: x.severity,
    headline: t(x.headlineText),
    evidence: x.evidence.map((ev) => ({ fact: ev.fact, ...(ev.at !== undefined ? { at: ev.at } : {}), text: t(ev.text) })),
    causes: x.causes.map(t),
    fixes: x.fixes.map(t),
  };
  if (x.code !== undefined) d.code = x.code;
  if (x.learnMore !== undefined) d.learnMore = x.learnMore;
  if (x.suspect) d.suspect = { name: x.suspect.name, timeoutMs: x.suspect.timeoutMs };
  if (x.chainId !== undefined) d.chainId = x.chainId;
  return { ok: true, value: d };
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (const h of headers) {
    if (isObject(h) && typeof h.name === 'string' && h.name.toLowerCase() === name && typeof h.value === 'string') return h.value.slice(0, 4096);
  }
  return undefined;
}

/**
 * A WebSocket entry written by Chrome (or another tool): messages, handshake status and
 * timings, but no close. The id is `har[-pageref]:<entry index>`: one "document" per HAR page,
 * so reconnect chains are still found within a page load, never across.
 */
function fromForeign(
  e: EntryIn,
  index: number,
): { conn: Connection; closeUnknown: boolean; foreign: ForeignInfo; net: NetObservation; inferredFailure: boolean; oddOpcodes: number } {
  const doc = e.pageref ? `har-${e.pageref.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}` : 'har';
  const createdAt = Date.parse(e.startedDateTime);
  const t = e.timings ?? {};
  const pos = (x: number | undefined): number => (x !== undefined && x > 0 ? x : 0);
  // HAR 1.2: ssl is included in connect, so it is not added again.
  const handshakeMs = pos(t.blocked) + pos(t.dns) + pos(t.connect) + pos(t.send) + pos(t.wait);
  const end = createdAt + Math.max(0, e.time);
  let status = e.response.status;
  // Chrome's `_error` for failed requests (net::ERR_CONNECTION_REFUSED); null on its sockets.
  const named = e.response._error ? boundedInert(e.response._error, MAX_SHORT) : undefined;
  let error = named;
  // Chrome writes a failed handshake as status 0, no headers, and one `error` frame with the
  // browser's failure text: the refusal's status ("Error during WebSocket handshake: Unexpected
  // response code: 403"), the net error ("Error in connection establishment:
  // net::ERR_NAME_NOT_RESOLVED") or a 401 it had no credentials for.
  const frame = status === 0 ? e._webSocketMessages?.find((w) => w.type === 'error') : undefined;
  const frameText = frame ? boundedInert(frame.data, MAX_SHORT) : undefined;
  const failure = frame ? parseFailureText(frame.data.slice(0, MAX_SHORT)) : {};
  if (frameText) {
    error ||= frameText;
    if (failure.status !== undefined) status = failure.status;
  }
  const opened = status === 101;
  // Any other HTTP status fails the handshake (RFC 6455 §4.1), as does a network error.
  const failed = !opened && ((status > 0 && status !== 101) || (error !== undefined && error !== ''));

  const messages: MessageRecord[] = [];
  const nextN = { in: 0, out: 0 };
  let errorAt: number | undefined;
  let oddOpcodes = 0;
  const stats = { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, evicted: 0, missed: 0, maxSentSize: 0, maxReceivedSize: 0 };
  let lastIn: { at: number; size: number } | undefined;
  let lastOut: { at: number; size: number } | undefined;
  for (const w of e._webSocketMessages ?? []) {
    const at = w.time * 1000;
    if (w.type === 'error') {
      // Not always a wall time (har-net.ts trustedFrameTime): then the entry's end is the best we know.
      errorAt ??= trustedFrameTime(at, createdAt) ? at : end;
      continue;
    }
    if (w.opcode !== 1 && w.opcode !== 2) {
      oddOpcodes++;
      continue;
    }
    const bin = w.opcode === 2;
    const dir = w.type === 'send' ? 'out' : 'in';
    const size = capturedBytes(w.data, bin);
    messages.push({ n: nextN[dir]++, dir, at, bin, size, data: w.data });
    if (dir === 'out') {
      stats.sent++;
      stats.bytesSent += size;
      stats.maxSentSize = Math.max(stats.maxSentSize, size);
      lastOut = { at, size };
    } else {
      stats.received++;
      stats.bytesReceived += size;
      stats.maxReceivedSize = Math.max(stats.maxReceivedSize, size);
      lastIn = { at, size };
    }
  }

  const requested = headerValue(e.request.headers, 'sec-websocket-protocol');
  const conn: Connection = {
    id: connectionId(doc, index),
    doc,
    sid: index,
    url: e.request.url,
    protocols: requested ? requested.split(/\s*,\s*/).filter(Boolean) : [],
    createdAt,
    state: failed ? 'closed' : opened ? 'open' : 'connecting',
    closeCalls: [],
    messages,
    stats,
  };
  if (opened) {
    conn.openedAt = createdAt + handshakeMs;
    conn.protocol = headerValue(e.response.headers, 'sec-websocket-protocol') ?? '';
    conn.extensions = headerValue(e.response.headers, 'sec-websocket-extensions') ?? '';
  }
  if (errorAt !== undefined) conn.errorAt = errorAt;
  if (lastIn) conn.lastIn = lastIn;
  if (lastOut) conn.lastOut = lastOut;

  const info: ForeignInfo = { status, statusText: boundedInert(e.response.statusText ?? '', MAX_SHORT) };
  if (error !== undefined && error !== '') info.error = error;
  // Chrome counts a socket's life in `receive` once it has ended; an open one has receive 0.
  if (opened && pos(t.receive) > 0) info.endedAt = end;
  if (failed) {
    // Browsers report 1006 for every failed handshake (docs/network.md: browsers hide the cause from pages).
    conn.close = { at: end, code: 1006, reason: '', wasClean: false };
    if (conn.errorAt === undefined) conn.errorAt = conn.close.at;
  }

  // What the network said, for the diagnosis: the entry is its socket, so the match is exact.
  const net = observationBase(e, conn, index, createdAt);
  const netStatus = statusCode(status);
  if (netStatus !== undefined) net.status = netStatus;
  const line = statusLineOf(e.response.httpVersion, e.response.status, e.response.statusText);
  if (line) net.statusLine = boundedInert(line, NET_LINE_MAX);
  if (e.response.status > 0) net.responseAt = createdAt + handshakeMs;
  const netError = named ?? (frameText !== undefined ? (failure.error ?? frameText) : undefined);
  if (netError) net.error = boundedInert(netError, NET_LINE_MAX);
  const endAt = conn.close?.at ?? info.endedAt;
  if (endAt !== undefined) net.endAt = endAt;
  return { conn, closeUnknown: !failed, foreign: info, net, inferredFailure: failed, oddOpcodes };
}

/** NetObservation's bounds for a status line and an error (net.ts NetObservationSchema). */
const NET_LINE_MAX = 512;
const NET_URL_MAX = 8192;
const NET_CONN_MAX = 200;

/** An HTTP status a response can have; 0 and nonsense mean "none known". */
const statusCode = (n: number): number | undefined => (Number.isInteger(n) && n >= 100 && n <= 999 ? n : undefined);

/** What every entry's observation has: its id, the request and the headers, bounded and inert. */
function observationBase(e: EntryIn, conn: Connection, index: number, at: number, url = e.request.url): NetObservation {
  const o: NetObservation = { id: `har:${index}`, source: 'har', url: url.slice(0, NET_URL_MAX), at };
  // Longer ids are not ours to make; the URL and the order still match it (net-match.ts).
  if (conn.id.length <= NET_CONN_MAX) o.conn = conn.id;
  if (e.request.method) o.method = boundedInert(e.request.method, 16);
  const rq = pickFileHeaders('request', e.request.headers);
  const rs = pickFileHeaders('response', e.response.headers);
  if (rq.headers.length) o.requestHeaders = rq.headers;
  if (rs.headers.length) o.responseHeaders = rs.headers;
  if (rq.dropped + rs.dropped > 0) o.headersDropped = rq.dropped + rs.dropped;
  return o;
}

/** One of our entries that carries `_webSocketNetwork`: Chrome's fields plus ours (har-export.ts). */
function ourObservation(e: EntryIn, conn: Connection, index: number): NetObservation {
  const n = e._webSocketNetwork!;
  const o = observationBase(e, conn, index, n.at, n.url ?? e.request.url);
  const status = statusCode(e.response.status);
  if (status !== undefined) o.status = status;
  if (n.statusLine !== undefined) o.statusLine = boundedInert(n.statusLine, NET_LINE_MAX);
  if (n.responseAt !== undefined) o.responseAt = n.responseAt;
  if (e.response._error) o.error = boundedInert(e.response._error, NET_LINE_MAX);
  if (n.endAt !== undefined) o.endAt = n.endAt;
  const dropped = (o.headersDropped ?? 0) + (n.headersDropped ?? 0);
  if (dropped > 0) o.headersDropped = dropped;
  return o;
}

/** A CSP violation from the file, inert: the policy is the page's text. */
function cspIn(c: NonNullable<EntryIn['_webSocketCsp']>): CspViolation {
  const out: CspViolation = {
    at: c.at,
    directive: boundedInert(c.directive, 256),
    blocked: boundedInert(c.blocked, MAX_URL),
    policy: boundedInert(c.policy, MAX_STACK),
  };
  if (c.disposition !== undefined) out.disposition = boundedInert(c.disposition, 64);
  return out;
}

// ---------------------------------------------------------------------------------------------
// What can still be said of a connection whose close is unknown

/**
 * A headline for a connection imported without close information. When the file says when
 * the socket ended, the silence before that end is still compared with the known proxy and
 * load-balancer idle timeouts — the commonest cause of a 1006 — as the diagnosis engine does.
 */
export function unknownCloseHeadline(conn: Connection, info: ForeignInfo | undefined): Text {
  const end = info?.endedAt;
  if (end === undefined || conn.openedAt === undefined) {
    return tx(
      'Close unknown: the HAR records no close (the socket may still have been open when it was saved)',
      'クローズ不明：HAR にクローズの記録がありません（保存時にまだ接続中だった可能性があります）',
    );
  }
  const lastFrame = Math.max(conn.openedAt, conn.lastIn?.at ?? -Infinity, conn.lastOut?.at ?? -Infinity);
  const silence = end - lastFrame;
  const life = fmtDuration(end - conn.openedAt);
  const quiet = fmtDuration(silence);
  const matches = matchIntermediaries({ silenceMs: silence, lifetimeMs: end - conn.openedAt });
  const best = matches[0];
  if (best) {
    // Intermediaries that share the number are named together, as the diagnosis engine does.
    const name = matches
      .filter((m) => m.intermediary.timeoutMs === best.intermediary.timeoutMs && m.intermediary.basis === best.intermediary.basis)
      .map((m) => m.intermediary.name)
      .join(' / ');
    const to = fmtDuration(best.intermediary.timeoutMs);
    return tx(
      `Close code unknown: ended ${life.en} after opening, ${quiet.en} after the last frame — matches the ${to.en} timeout of ${name}`,
      `クローズコード不明：接続から ${life.ja}後、最後のフレームから ${quiet.ja}後に終了。${name} のタイムアウト（${to.ja}）と一致します`,
    );
  }
  return tx(
    `Close code unknown: ended ${life.en} after opening, ${quiet.en} after the last frame`,
    `クローズコード不明：接続から ${life.ja}後、最後のフレームから ${quiet.ja}後に終了`,
  );
}

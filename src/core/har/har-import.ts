// importHar: our files, Chrome DevTools' own HAR exports and any other HAR's WebSocket entries
// back into a session, with an error naming what and where for anything malformed. See har.ts.
import * as v from 'valibot';
import type { Diagnosis } from '../diagnosis/diagnose.ts';
import { zeroDrops, type DropCounters } from '../wire/protocol.ts';
import { parseJson, isObject } from './har-json.ts';
import { matchNetwork } from '../network/net-match.ts';
import type { NetObservation, NetSource, NetView } from '../network/net.ts';
import { CREATOR_NAME, HAR_FORMAT_VERSION, lastSeen, type ForeignInfo } from './har-format.ts';
import { check, EntrySchema, LogMetaSchema, MAX_DATA_CHARS } from './har-schema.ts';
import {
  createSession,
  DEFAULT_LIMITS,
  type Connection,
  type PageContextEvent,
  type SessionState,
  upsertNet,
} from '../session/session.ts';
// The observation's bound for a worker's script URL (net.ts), kept for the connection too.
const WORKER_URL_MAX = 8192;
import { fromForeign } from './har-foreign.ts';
import { boundedInert } from './har-net.ts';
import { cspIn, fromOurs, ourObservation } from './har-ours.ts';
export { unknownCloseHeadline } from './unknown-close.ts';

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
    if (e._worker) conn.worker = { type: e._worker.type, url: boundedInert(e._worker.url, WORKER_URL_MAX) };
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
    ours > 0 && creator.name === CREATOR_NAME
      ? 'socket-autopsy'
      : // Playwright's recordHar also writes Chrome's `_resourceType`, but it is not Chrome's file (its warning names Playwright).
        creator.name !== 'Playwright' && (creator.name === 'WebInspector' || entries.some((e) => isObject(e) && '_resourceType' in e))
        ? 'chrome'
        : 'other';
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
    if (e.jumpMs !== undefined) ev.jumpMs = e.jumpMs;
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

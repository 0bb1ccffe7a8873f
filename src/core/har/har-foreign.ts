// Reading a WebSocket entry that another tool wrote (Chrome DevTools above all): messages,
// handshake status and timings, but no close; and the network observation every entry
// carries, ours or not.
import { isObject } from './har-json.ts';
import { boundedInert, pickFileHeaders, statusLineOf, trustedFrameTime } from './har-net.ts';
import { parseFailureText, type NetObservation } from '../network/net.ts';
import { capturedBytes, type ForeignInfo } from './har-format.ts';
import { MAX_SHORT, type EntryIn } from './har-schema.ts';
import { connectionId, type Connection, type MessageRecord } from '../session/session.ts';

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
export function fromForeign(
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
  // Playwright's recordHar leaves -1 on a handshake that got no response: none known, as Chrome's 0.
  let status = e.response.status > 0 ? e.response.status : 0;
  // Chrome's `_error` for failed requests (net::ERR_CONNECTION_REFUSED), null on its sockets;
  // Playwright's `_failureText` (its HarTracer copies the socket's error there).
  const namedText = e.response._error || e.response._failureText;
  const named = namedText ? boundedInert(namedText, MAX_SHORT) : undefined;
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
    const at = frameTimeMs(w.time);
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

/**
 * A frame's `time` in epoch ms. Chrome writes seconds (HAR 1.2's habit for its own fields);
 * Playwright's HarTracer writes the frame's `wallTimeMs` as is (playwright-core
 * server/har/harTracer.ts, 1.65). 1e11 tells them apart: as seconds it is the year 5138, as
 * milliseconds 1973, and Chrome's odd non-epoch times (har-net.ts) are far below both.
 */
export const frameTimeMs = (time: number): number => (Math.abs(time) >= 1e11 ? time : time * 1000);

/** NetObservation's bounds for a status line and an error (net.ts NetObservationSchema). */
export const NET_LINE_MAX = 512;
const NET_URL_MAX = 8192;
const NET_CONN_MAX = 200;

/** An HTTP status a response can have; 0 and nonsense mean "none known". */
export const statusCode = (n: number): number | undefined => (Number.isInteger(n) && n >= 100 && n <= 999 ? n : undefined);

/** What every entry's observation has: its id, the request and the headers, bounded and inert. */
export function observationBase(e: EntryIn, conn: Connection, index: number, at: number, url = e.request.url): NetObservation {
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

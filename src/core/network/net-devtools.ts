// A WebSocket entry of DevTools' own network log (chrome.devtools.network: onRequestFinished and
// getHAR, both HAR 1.2 entries) as a network observation. In Chromium this is the one place an
// extension can read why a handshake failed without the debugger: a failed upgrade's entry has
// status 0 and no headers, and its failure as an "error" frame in `_webSocketMessages` carrying
// the browser's own text (measured on Chromium 156, docs/network.md):
//   { type: "error", opcode: -1, data: "Error during WebSocket handshake: Unexpected response code: 403" }
//   { type: "error", opcode: -1, data: "Error in connection establishment: net::ERR_NAME_NOT_RESOLVED" }
// A successful one has status 101 and the response headers.
import { parseFailureText, pickHeaders, type NetObservation } from './net.ts';

type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Obj) : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

function headers(x: unknown): { name: string; value?: string }[] {
  if (!Array.isArray(x)) return [];
  const out: { name: string; value?: string }[] = [];
  for (const h of x.slice(0, 500)) {
    const o = obj(h);
    const name = str(o?.name);
    if (name !== undefined) out.push({ name, value: str(o?.value) ?? '' });
  }
  return out;
}

/** The browser's failure text of a WebSocket entry, if it has one (the last error frame). */
export function failureTextOf(entry: unknown): string | undefined {
  const msgs = obj(entry)?._webSocketMessages;
  if (!Array.isArray(msgs)) return undefined;
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = obj(msgs[i]);
    if (m?.type === 'error' && typeof m.data === 'string') return m.data.slice(0, 512);
  }
  return undefined;
}

/**
 * The observation of one DevTools WebSocket entry, or undefined for anything else. The id is
 * built from what identifies the entry in both onRequestFinished and getHAR (no request id is
 * exposed), so the same request read twice is one observation.
 */
/** Before this (2001-09-09) a start time is not a wall-clock time. */
const PLAUSIBLE_EPOCH_MS = 1e12;

export function netFromDevtoolsEntry(entry: unknown, receivedAt = Date.now()): NetObservation | undefined {
  const e = obj(entry);
  if (!e || e._resourceType !== 'websocket') return undefined;
  const request = obj(e.request);
  const response = obj(e.response);
  const url = str(request?.url);
  const started = str(e.startedDateTime);
  const parsed = started ? Date.parse(started) : NaN;
  if (!url || !/^wss?:/i.test(url) || !started || Number.isNaN(parsed)) return undefined;
  const timed = parsed >= PLAUSIBLE_EPOCH_MS;
  const time = timed && typeof e.time === 'number' && Number.isFinite(e.time) && e.time >= 0 ? e.time : undefined;
  const o: NetObservation = {
    id: `devtools:${started}|${typeof e.time === 'number' ? e.time : ''}|${url.slice(0, 120)}`,
    source: 'devtools',
    url: url.slice(0, 8192),
    at: timed ? parsed : receivedAt,
  };
  if (!timed) o.noTime = true;
  const method = str(request?.method);
  if (method) o.method = method.slice(0, 16);
  const req = pickHeaders('request', headers(request?.headers));
  if (req.headers.length) o.requestHeaders = req.headers;
  const status = response?.status;
  if (typeof status === 'number' && Number.isInteger(status) && status > 0 && status < 1000) {
    o.status = status;
    const text = str(response?.statusText);
    const version = str(response?.httpVersion);
    if (text !== undefined) o.statusLine = `${version || 'HTTP/1.1'} ${status} ${text}`.slice(0, 512);
  }
  const res = pickHeaders('response', headers(response?.headers));
  if (res.headers.length) o.responseHeaders = res.headers;
  const dropped = req.dropped + res.dropped;
  if (dropped) o.headersDropped = dropped;
  const failure = failureTextOf(e) ?? str(response?._error) ?? undefined;
  if (failure) {
    o.error = failure;
    // The text names the refused upgrade's status ("Unexpected response code: 403"): that is the status.
    const said = parseFailureText(failure).status;
    if (said !== undefined && o.status === undefined) o.status = said;
  }
  if (time !== undefined && (o.error || o.status !== undefined)) o.endAt = o.at + time;
  return o;
}

// What the network said about a WebSocket's opening handshake, as the browser's network layer
// (not the page) saw it: the upgrade request, the response's status line and the headers that
// explain a failure, or the network error. The page only ever gets `error` + close 1006 for all
// of these (docs/network.md), so this is where "handshake failed" becomes "401", "DNS" or "502".
//
// Three sources fill it, each with its own blind spots (docs/network.md has the measurements):
// - `webrequest`: the background's webRequest observer. Firefox reports every status and header
//   and names the error (NS_ERROR_UNKNOWN_HOST…). Chromium 156 reports the 101 (and 401/407)
//   response only, and every failure as the bare `net::ERR_FAILED`.
// - `devtools`: DevTools' own network log, read by the panel (chrome.devtools.network), only
//   while DevTools is open. In Chromium it has the browser's failure text with the status code
//   or the real net error ("Unexpected response code: 403", "net::ERR_NAME_NOT_RESOLVED").
// - `har`: an imported HAR entry (ours or Chrome's).
// - `cdp`: the network layer through chrome.debugger, with deep capture on (Chrome): handshake,
//   frame errors with the browser's own text, and the close, for the tab and its workers.
import * as v from 'valibot';
import { redactHeader } from '../privacy/redact-headers.ts';

export const NET_SOURCES = ['webrequest', 'devtools', 'har', 'cdp'] as const;
export type NetSource = (typeof NET_SOURCES)[number];

const MAX_URL = 8192;
/** Frame errors kept per connection: a browser fails the connection at the first, so more is noise. */
export const FRAME_ERRORS_MAX = 8;
/** Chromium's prefix for a failed handshake, in its console text and its frame error alike. */
export const HANDSHAKE_ERROR = 'Error during WebSocket handshake';
/** Headers kept per message, and the length of a name and a value: hostile servers send 10,000. */
export const NET_HEADERS_MAX = 48;
const HEADER_NAME_MAX = 128;
export const HEADER_VALUE_MAX = 1024;

const str = (max: number) => v.pipe(v.string(), v.maxLength(max));
const time = v.pipe(v.number(), v.finite());

export const NetHeaderSchema = v.object({ name: str(HEADER_NAME_MAX), value: str(HEADER_VALUE_MAX + 1) });
export type NetHeader = v.InferOutput<typeof NetHeaderSchema>;
const Headers = v.pipe(v.array(NetHeaderSchema), v.maxLength(NET_HEADERS_MAX));

export const NetObservationSchema = v.object({
  /** Unique per source within a tab: `${source}:${the browser's requestId}`. */
  id: str(160),
  source: v.picklist(NET_SOURCES),
  /** The URL as the network layer saw it (ws:/wss:; Firefox too). */
  url: str(MAX_URL),
  /** Request start, epoch ms. */
  at: time,
  /**
   * The source gave no usable start time (DevTools' log writes 1970 for some failed WebSocket
   * requests, measured on Chromium 156): `at` is when we learned of it, and matching goes by
   * URL, order and outcome only.
   */
  noTime: v.optional(v.boolean()),
  /** The browser's frame id (webRequest), when known. */
  frameId: v.optional(v.number()),
  /** Our document id, when the hub could tell which document made the request. */
  doc: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{8,64}$/))),
  /** A match made by whoever wrote it (a HAR entry is its socket): the connection id. */
  conn: v.optional(str(200)),
  method: v.optional(str(16)),
  requestHeaders: v.optional(Headers),
  status: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(999))),
  statusLine: v.optional(str(512)),
  /** Response headers arrived, epoch ms. */
  responseAt: v.optional(time),
  responseHeaders: v.optional(Headers),
  /** The network error as the browser named it (net::ERR_…, NS_ERROR_…) or DevTools' failure text. */
  error: v.optional(str(512)),
  /** Completed or failed, epoch ms. */
  endAt: v.optional(time),
  /** Headers our bounds left out (too many, or not ones that explain failures). */
  headersDropped: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /**
   * The browser's own text for each frame-level failure of the connection (CDP
   * Network.webSocketFrameError, deep capture only): "Invalid status code", "Could not decode a
   * text frame as UTF-8", "Error during WebSocket handshake: Incorrect 'Sec-WebSocket-Accept'
   * header value"… At most 8, the first ones.
   */
  frameErrors: v.optional(v.pipe(v.array(v.object({ at: time, text: str(512) })), v.maxLength(FRAME_ERRORS_MAX))),
  /** The network layer saw the connection close (CDP Network.webSocketClosed), epoch ms. */
  closedAt: v.optional(time),
  /** The connection was made by a worker (deep capture names it; the network layer alone cannot). */
  worker: v.optional(v.object({ type: v.picklist(['dedicated', 'shared', 'service']), url: str(MAX_URL) })),
});
export type NetObservation = v.InferOutput<typeof NetObservationSchema>;

// ---------------------------------------------------------------------------------------------
// Headers: which we keep, redacted and made inert

/** Response headers that explain a failed or odd upgrade (and the upgrade's own). */
const RESPONSE_KEEP = new Set([
  'retry-after',
  'www-authenticate',
  'proxy-authenticate',
  'location',
  'content-type',
  'content-length',
  'server',
  'via',
  'x-cache',
  'cf-ray',
  'cf-cache-status',
  'upgrade',
  'connection',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
  'sec-websocket-accept',
  'date',
  'x-request-id',
]);
/** Request headers that matter to a handshake (Cookie and Authorization redacted). */
const REQUEST_KEEP = new Set([
  'host',
  'origin',
  'upgrade',
  'connection',
  'sec-websocket-version',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
  'user-agent',
  'cookie',
  'authorization',
  'proxy-authorization',
]);
const keepResponse = (name: string) => RESPONSE_KEEP.has(name) || name.startsWith('x-amzn-') || name.startsWith('x-amz-');

// C0/C1 controls, and the bidi overrides and isolates that can make a value read as something
// else (CVE-2021-42574, "Trojan Source"): shown as their code point, never interpreted.
// eslint-disable-next-line no-control-regex
const INERT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A header value or name made safe to show: no controls, no bidi overrides, bounded. */
export function inert(s: string, max = HEADER_VALUE_MAX): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return cut.replace(INERT, (ch) => `\\u{${ch.charCodeAt(0).toString(16)}}`);
}

// Credentials are reduced at capture by the exports' own rules (core/privacy): the panel never
// holds a cookie, a credential or a token-bearing subprotocol in clear. Other values stay as
// the network sent them, for the user's own eyes; every export redacts them again.
const CAPTURE_REDACTED = new Set(['cookie', 'authorization', 'proxy-authorization', 'sec-websocket-protocol']);
const redactValue = (name: string, value: string): string =>
  CAPTURE_REDACTED.has(name) ? redactHeader(name, value, 'header').value : value;

/**
 * The headers worth keeping of a request or response, in order, redacted and inert, at most
 * NET_HEADERS_MAX; `dropped` counts the rest (not kept by name, or past the bound).
 */
export function pickHeaders(
  kind: 'request' | 'response',
  raw: readonly { name: string; value?: string }[] | undefined,
): { headers: NetHeader[]; dropped: number } {
  const headers: NetHeader[] = [];
  let dropped = 0;
  if (!raw) return { headers, dropped };
  for (const h of raw) {
    const lower = String(h.name).toLowerCase();
    const keep = kind === 'request' ? REQUEST_KEEP.has(lower) : keepResponse(lower);
    if (!keep || headers.length >= NET_HEADERS_MAX) {
      dropped++;
      continue;
    }
    headers.push({ name: inert(String(h.name), HEADER_NAME_MAX - 2), value: inert(redactValue(lower, String(h.value ?? ''))) });
  }
  return { headers, dropped };
}

export function headerOf(headers: readonly NetHeader[] | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

// ---------------------------------------------------------------------------------------------
// DevTools' failure text

/**
 * Reads what Chromium's WebSocket failure text says (the same text its console prints, and
 * DevTools' network log keeps as an "error" frame): the HTTP status of a refused upgrade, or
 * the net error of a connection that never reached the server.
 */
export function parseFailureText(text: string): { status?: number; error?: string } {
  const code = /Unexpected response code:\s*(\d{3})/.exec(text);
  if (code) return { status: Number(code[1]) };
  const net = /\b(net::ERR_[A-Z0-9_]+)/.exec(text);
  if (net) return { error: net[1] };
  // 401 with no credentials to offer: Chromium's auth handler gives up with this text.
  if (/HTTP Authentication failed/i.test(text)) return { status: 401 };
  return {};
}

// ---------------------------------------------------------------------------------------------
// Classes: one per kind of failure, each with its own causes and fixes (diagnosis/net-explain.ts)

export const NET_CLASSES = [
  'unauthorized',
  'forbidden',
  'bad-request',
  'not-found',
  'not-websocket',
  'redirect',
  'upgrade-required',
  'rate-limited',
  'unavailable',
  'server-error',
  'bad-gateway',
  'http-error',
  'dns',
  'refused',
  'reset',
  'timeout',
  'tls',
  'blocked-client',
  'csp',
  'mixed-content',
  'tunnel',
  'invalid-response',
  'subprotocol',
  'unsafe-port',
  'network',
] as const;
export type NetClass = (typeof NET_CLASSES)[number];

/** By the browser's error name; Firefox's NS_ERROR_* and NSS codes and Chromium's net::ERR_*. */
const ERROR_CLASSES: readonly [RegExp, NetClass][] = [
  [/ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED|NS_ERROR_UNKNOWN_HOST|ERR_ADDRESS_UNREACHABLE|NS_ERROR_UNKNOWN_PROXY_HOST/, 'dns'],
  [/ERR_CONNECTION_REFUSED|NS_ERROR_CONNECTION_REFUSED/, 'refused'],
  [/ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_CONNECTION_ABORTED|ERR_EMPTY_RESPONSE|NS_ERROR_NET_RESET|NS_ERROR_NET_INTERRUPT|NS_ERROR_NET_PARTIAL_TRANSFER/, 'reset'],
  [/ERR_TIMED_OUT|ERR_CONNECTION_TIMED_OUT|NS_ERROR_NET_TIMEOUT/, 'timeout'],
  [/ERR_CERT_|ERR_SSL_|ERR_BAD_SSL|SEC_ERROR_|SSL_ERROR_|MOZILLA_PKIX_ERROR_|NS_ERROR_NET_INADEQUATE_SECURITY/, 'tls'],
  [/ERR_BLOCKED_BY_CSP|NS_ERROR_CSP/, 'csp'],
  [/ERR_BLOCKED_BY_CLIENT|ERR_BLOCKED_BY_ADMINISTRATOR|NS_ERROR_BLOCKED_BY_POLICY|NS_ERROR_TRACKING_URI|NS_ERROR_.*_URI$/, 'blocked-client'],
  [/ERR_TUNNEL_CONNECTION_FAILED|ERR_PROXY_CONNECTION_FAILED|ERR_PROXY_|NS_ERROR_PROXY_/, 'tunnel'],
  [/ERR_INVALID_HTTP_RESPONSE|ERR_INVALID_RESPONSE|NS_ERROR_WEBSOCKET_CONNECTION_REFUSED|Sec-WebSocket-Accept/, 'invalid-response'],
  [/Sec-WebSocket-Protocol/, 'subprotocol'],
  [/ERR_UNSAFE_PORT|NS_ERROR_PORT_ACCESS_NOT_ALLOWED/, 'unsafe-port'],
];

export function statusClass(status: number): NetClass | undefined {
  if (status === 101 || status === 0) return undefined;
  if (status === 401 || status === 407) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 400) return 'bad-request';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 426) return 'upgrade-required';
  if (status === 429) return 'rate-limited';
  if (status === 503) return 'unavailable';
  if (status === 502 || status === 504) return 'bad-gateway';
  if (status >= 300 && status < 400) return 'redirect';
  if (status >= 200 && status < 300) return 'not-websocket';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'http-error';
  return 'invalid-response';
}

export function errorClass(error: string): NetClass {
  for (const [re, cls] of ERROR_CLASSES) if (re.test(error)) return cls;
  return 'network';
}

/**
 * What the network said, when it said more than "it worked": a status other than 101 wins over
 * an error (Firefox reports both for a refused upgrade), then the error by name.
 */
export function netClass(n: Pick<NetObservation, 'status' | 'error'>): NetClass | undefined {
  if (n.status !== undefined) {
    const s = statusClass(n.status);
    if (s) return s;
  }
  if (n.error) {
    const parsed = parseFailureText(n.error);
    if (parsed.status !== undefined) return statusClass(parsed.status);
    return errorClass(parsed.error ?? n.error);
  }
  return undefined;
}

/** The short word a list row shows beside the outcome: the status, or the error's kind. */
export function netLabel(n: Pick<NetObservation, 'status' | 'error'>): string | undefined {
  const status = n.status !== undefined && n.status !== 0 ? n.status : n.error ? parseFailureText(n.error).status : undefined;
  if (status !== undefined && status !== 101) return String(status);
  const cls = netClass(n);
  if (!cls) return status === 101 ? '101' : undefined;
  return CLASS_LABEL[cls] ?? cls;
}

const CLASS_LABEL: Partial<Record<NetClass, string>> = {
  dns: 'DNS',
  refused: 'refused',
  reset: 'reset',
  timeout: 'timeout',
  tls: 'TLS',
  'blocked-client': 'blocked',
  csp: 'CSP',
  'mixed-content': 'mixed',
  tunnel: 'proxy',
  'invalid-response': 'invalid',
  subprotocol: 'subprotocol',
  'unsafe-port': 'port',
  network: 'failed',
};

/** What one connection's handshake looked like on the network, merged from every source. */
export interface NetView {
  url: string;
  at: number;
  method?: string;
  requestHeaders?: NetHeader[];
  status?: number;
  statusLine?: string;
  responseAt?: number;
  responseHeaders?: NetHeader[];
  /** The most telling error: a named one over the bare net::ERR_FAILED. */
  error?: string;
  endAt?: number;
  headersDropped?: number;
  /** The browser's own text for each frame-level failure, oldest first, at most FRAME_ERRORS_MAX (cdp, HAR). */
  frameErrors?: { at: number; text: string }[];
  /** The network layer saw the connection close (cdp), epoch ms. */
  closedAt?: number;
  /** The worker that made the connection, as the network layer named it (cdp). */
  worker?: { type: 'dedicated' | 'shared' | 'service'; url: string };
  sources: NetSource[];
  /** The observation ids merged here. */
  ids: string[];
}

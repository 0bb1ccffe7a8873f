// What the network said about a handshake that failed (docs/network.md, "What the diagnosis
// relies on"), as a verdict and as evidence: the status or error and their sources, the headers
// that explain it, Retry-After. The page only ever gets `error` + 1006; the network layer, the
// page's CSP violation event and the constructor's exception say which failure it was.
import { fmtClock, fmtDuration, type Text } from '../knowledge/i18n/text.ts';
import { headerOf, inert, netClass, netLabel, parseFailureText, type NetView } from '../network/net.ts';
import { NE, sourceNames } from '../knowledge/i18n/network.ts';
import type { Connection } from '../session/session.ts';
import type { Evidence, Facts, NetVerdict } from './facts.ts';

/** Network values are quoted at most this long: they come from the server, which may be hostile. */
const QUOTE_MAX = 200;
export const POLICY_MAX = 300;
export const q = (s: string, max = QUOTE_MAX): string => inert(s.trim(), max);

const RFC6455_4_1 = 'https://www.rfc-editor.org/rfc/rfc6455#section-4.1';
export const LEARN = {
  handshake: RFC6455_4_1,
  status: (status: number) => `https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/${status}`,
  rateLimit: 'https://www.rfc-editor.org/rfc/rfc6585#section-4',
  csp: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/connect-src',
  mixed: 'https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content',
  port: 'https://fetch.spec.whatwg.org/#port-blocking',
} as const;

/** RFC 9110 §15 reason phrases of the statuses a refused upgrade usually carries. */
const REASON: Readonly<Record<number, string>> = {
  101: 'Switching Protocols',
  200: 'OK',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The HTTP status of the answer: the response's own, or the one in DevTools' failure text. */
export function statusOf(view: NetView): number | undefined {
  if (view.status !== undefined && view.status !== 0) return view.status;
  return view.error ? parseFailureText(view.error).status : undefined;
}

export const statusText = (status: number): string => `${status}${REASON[status] ? ` ${REASON[status]}` : ''}`;

/**
 * What the network (or the page's CSP check) says of a socket that never opened, or nothing
 * when it says nothing more than "failed" would: no view, a pending request, a plain 101.
 */
export function netVerdict(conn: Connection, view: NetView | undefined): NetVerdict | undefined {
  const csp = conn.csp;
  // A report-only policy blocks nothing: its violation is not why the socket failed.
  if (csp && csp.disposition !== 'report') {
    return { cls: 'csp', label: 'CSP', said: q(`${csp.directive} ${csp.blocked}`), at: csp.at };
  }
  if (!view) return undefined;
  let cls = netClass(view);
  // A 101 the page never saw open, for a socket that asked for subprotocols: the server selected
  // none, or one not asked for, and the browser failed the socket (RFC 6455 §4.1; WHATWG
  // WebSockets, "establish a WebSocket connection"). A redacted answer (a token) cannot be compared.
  if (view.status === 101 && conn.openedAt === undefined && conn.protocols.length && (cls === undefined || cls === 'network')) {
    const chosen = headerOf(view.responseHeaders, 'sec-websocket-protocol')?.trim();
    if (!chosen || (!chosen.includes('[redacted]') && !conn.protocols.includes(chosen))) cls = 'subprotocol';
  }
  if (!cls) return undefined;
  const label = cls === 'subprotocol' ? 'subprotocol' : (netLabel(view) ?? cls);
  const out: NetVerdict = { cls, label, at: view.at, sources: [...view.sources] };
  // What the source said, as it said it: the status line, unless it is a 101 beside a telling
  // error (a subprotocol refused after the upgrade); else the error, unless it is the bare
  // "failed" beside a known status (Chromium's webRequest for a 401); else the status.
  const status = statusOf(view);
  const bare = view.error !== undefined && netClass({ error: view.error }) === 'network';
  const responseAt = view.responseAt ?? view.endAt ?? view.at;
  if (view.statusLine && view.status === status && (status !== 101 || !view.error || bare)) {
    out.said = q(view.statusLine, 120);
    out.at = responseAt;
  } else if (view.error && !(status !== undefined && bare)) {
    out.said = q(view.error);
    out.at = view.endAt ?? view.responseAt ?? view.at;
  } else if (status !== undefined) {
    out.said = `HTTP ${statusText(status)}`;
    out.at = responseAt;
  }
  return out;
}

/** The network's own record: status and error with their times and sources. */
export function netEvidence(view: NetView): Evidence[] {
  const out: Evidence[] = [];
  const by = sourceNames(view.sources);
  const status = statusOf(view);
  if (status !== undefined) {
    const at = view.responseAt ?? view.endAt ?? view.at;
    const line = view.status === status && view.statusLine ? q(view.statusLine, 120) : `HTTP ${statusText(status)}`;
    out.push({ fact: 'net.status', at, text: NE.status(line, fmtClock(at), by) });
  }
  if (view.error) {
    const at = view.endAt ?? view.responseAt ?? view.at;
    out.push({ fact: 'net.error', at, text: NE.error(q(view.error), fmtClock(at), by) });
  }
  return out;
}

/** The named headers of one side of the handshake that the network view kept, as evidence. */
function headerEvidence(side: 'request' | 'response', view: NetView | undefined, names: readonly string[]): Evidence[] {
  const out: Evidence[] = [];
  const headers = side === 'request' ? view?.requestHeaders : view?.responseHeaders;
  for (const name of names) {
    const value = headerOf(headers, name);
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out.push(
      side === 'request'
        ? { fact: `net.request.${lower}`, text: NE.requestHeader(name, q(value)) }
        : { fact: `net.header.${lower}`, text: NE.responseHeader(name, q(value)) },
    );
  }
  return out;
}

export const responseHeaders = (view: NetView | undefined, names: readonly string[]): Evidence[] => headerEvidence('response', view, names);
export const requestHeaders = (view: NetView | undefined, names: readonly string[]): Evidence[] => headerEvidence('request', view, names);

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, the date read against the
 * time the response arrived. Undefined when it is neither.
 */
export function retryAfterMs(value: string, responseAt: number): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const ms = Number(v) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // An HTTP-date always names a weekday or a month; Date.parse alone also takes bare numbers.
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - responseAt) : undefined;
}

/** Retry-After evidence, and whether the client's next attempt honoured it. */
export function retryEvidence(f: Facts, view: NetView | undefined): { evidence: Evidence[]; wait?: Text } {
  const raw = headerOf(view?.responseHeaders, 'retry-after');
  if (!view || raw === undefined) return { evidence: view?.responseHeaders ? [{ fact: 'net.retryAfter.none', text: NE.noRetryAfter }] : [] };
  const ref = view.responseAt ?? view.endAt ?? view.at;
  const ms = retryAfterMs(raw, ref);
  if (ms === undefined) return { evidence: [{ fact: 'net.header.retry-after', text: NE.retryAfterUnreadable(q(raw, 80)) }] };
  const wait = fmtDuration(ms);
  const evidence: Evidence[] = [{ fact: 'net.header.retry-after', at: ref, text: NE.retryAfter(q(raw, 80), wait, fmtClock(ref + ms)) }];
  const nextId = f.pos?.chain.connectionIds[f.pos.index + 1];
  const next = nextId ? f.byId.get(nextId) : undefined;
  if (next && next.createdAt - ref < ms) {
    evidence.push({ fact: 'net.retryAfter.ignored', at: next.createdAt, text: NE.retriedTooSoon(fmtDuration(next.createdAt - ref), wait) });
  }
  return { evidence, wait };
}

/** Host, port and origin of a ws(s) URL, for the texts that name them. */
export function endpoint(url: string): { host: string; hostPort: string; origin: string } {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::(\d+))?/i.exec(url.trim());
  if (!m) return { host: q(url, 120), hostPort: q(url, 120), origin: '' };
  const scheme = m[1]!.toLowerCase();
  const host = q(m[2]!, 120);
  const port = m[3] ?? (scheme === 'wss' || scheme === 'https' ? '443' : '80');
  return { host, hostPort: `${host}:${port}`, origin: `${scheme}://${host}${m[3] ? `:${m[3]}` : ''}` };
}

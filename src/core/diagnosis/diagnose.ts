// The diagnosis engine: from what the hook saw of one connection (and its neighbours and
// the page's context events) to a category, the evidence, ranked causes and fixes.
//
// Order of the rules, most decisive first: the constructor threw → what the network (or the
// page's CSP check) said of a handshake that never opened → still live → ended by navigation →
// the page itself closed it → the close code. For 1006 the code says only "no
// close frame", so the timing decides: never opened (handshake), offline, suspended, a large
// send just before, a known intermediary timeout, a long silence, or none of these.
import { DIAGNOSIS_CATEGORIES, type DiagnosisCategory } from '../knowledge/categories.ts';
import { describeCode, PHOENIX_HEARTBEAT_REASON, type CodeInfo, type Severity } from '../knowledge/close-codes.ts';
import { BACKOFF, C, E, F, H } from '../knowledge/i18n/diagnosis.ts';
import { concat, fmtBytes, fmtClock, fmtDuration, type Text } from '../knowledge/i18n/text.ts';
import { heartbeatFor, matchIntermediaries, type IntermediaryMatch } from '../knowledge/intermediaries.ts';
import { chainIndex, findReconnectChains, median, RECONNECT_WINDOW_MS, endedBadly, type ReconnectChain } from '../session/reconnect.ts';
import { headerOf, inert, netClass, netLabel, parseFailureText, type NetClass, type NetSource, type NetView } from '../network/net.ts';
import { NC, NE, NF, NH, sourceNames } from '../knowledge/i18n/network.ts';
import type { CloseCall, CloseInfo, Connection, PageContextEvent } from '../session/session.ts';

export { DIAGNOSIS_CATEGORIES, type DiagnosisCategory };

export interface Evidence {
  /** Stable id of the fact: 'close.code', 'open.never', 'lastIn', 'offline', 'closeCall', 'reconnect'… */
  fact: string;
  /** Epoch ms of the fact, when it has one. */
  at?: number;
  text: Text;
}

export interface Diagnosis {
  category: DiagnosisCategory;
  severity: Severity;
  code?: number;
  headline: Text;
  evidence: Evidence[];
  /** Most likely first. */
  causes: Text[];
  fixes: Text[];
  learnMore?: string;
  /** The intermediary whose timeout the timing matches (names joined when they share the number). */
  suspect?: { name: string; timeoutMs: number };
  /** The reconnect chain the connection belongs to. */
  chainId?: string;
  /** What the network (or the page's CSP / mixed-content check) said, when it explains the end. */
  net?: NetVerdict;
}

export interface DiagnoseContext {
  /** Every connection of the session, in creation order. */
  connections: readonly Connection[];
  /** Page context events (online/offline/visibility/freeze/pagehide) of the session. */
  context: readonly PageContextEvent[];
  /** Time of the analysis, epoch ms. */
  now: number;
  /** Precomputed chains (diagnoseAll passes them so they are found once per session). */
  chains?: readonly ReconnectChain[];
  /** Each connection's handshake as the network saw it (net-match.ts), by connection id. */
  network?: ReadonlyMap<string, NetView>;
}

/** The thresholds the rules use, in one place so the panel can state them. */
export const RULES = {
  /**
   * An idle cut of unknown origin: at least 2 s of silence in both directions right before a
   * 1006 that nothing else explains. Real intermediaries wait 30 s and more, but test rigs
   * and dev proxies (like the lab's idle proxy) cut after a few seconds; below 2 s the
   * silence is just normal pacing between messages.
   */
  idleMinSilenceMs: 2_000,
  /** From here the silence is "long" and the idle explanation clearly the most likely. */
  longSilenceMs: 20_000,
  /**
   * The browser fires `offline` when the OS reports the link down; the socket's own death is
   * noticed a moment earlier or later (RST, keep-alive), and a flapping link comes back
   * just before the close event. 5 s covers that lag without catching unrelated blips.
   */
  offlineWindowMs: 5_000,
  /** Same idea for resume: a socket killed during suspension reports its close on resume. */
  suspendWindowMs: 5_000,
  /** A send this large is worth suspecting against message limits (API Gateway: 32 KB frames). */
  largeSendBytes: 64 * 1024,
  /** …when the cut follows it this closely (the peer rejects on receipt, not minutes later). */
  largeSendWindowMs: 2_000,
  /** A socket still connecting after this long is worth a warning. */
  stuckConnectingMs: 10_000,
  reconnectWindowMs: RECONNECT_WINDOW_MS,
} as const;

/** Categories after which a client is expected to reconnect. */
const SHOULD_RECONNECT: ReadonlySet<DiagnosisCategory> = new Set([
  'idle-timeout',
  'offline',
  'suspended',
  'abnormal',
  'server-error',
  'going-away',
  'retry-later',
]);

/** Categories where a recognised library's note (heartbeat defaults…) helps explain. */
const LIBRARY_NOTE_CATEGORIES: ReadonlySet<DiagnosisCategory> = new Set([
  'idle-timeout',
  'abnormal',
  'suspended',
  'no-status',
  'closed-by-page',
]);

/** Everything the rules look at, computed once. */
interface Facts {
  conn: Connection;
  ctx: DiagnoseContext;
  close: CloseInfo | undefined;
  info: CodeInfo | undefined;
  /** The page's first effective close() call before the close, if any. */
  pageCall: CloseCall | undefined;
  byId: ReadonlyMap<string, Connection>;
  /** This connection's place in the reconnect chains, if it is in one. */
  pos: { chain: ReconnectChain; index: number } | undefined;
  events: PageContextEvent[];
}

/** The network's verdict on a handshake, as a diagnosis carries it (markdown.ts prints it). */
export interface NetVerdict {
  cls: NetClass;
  /** The short word a list row shows: the status, or the error's kind ("DNS", "CSP", "mixed"). */
  label: string;
  /** What the source said, as it said it, bounded: the status line, the error text, the CSP directive. */
  said?: string;
  /** When it said it, epoch ms. */
  at?: number;
  sources?: NetSource[];
}

// diagnoseAll calls diagnose once per connection with the same arrays: index them once.
const byIdCache = new WeakMap<readonly Connection[], Map<string, Connection>>();
const chainCache = new WeakMap<readonly ReconnectChain[], Map<string, { chain: ReconnectChain; index: number }>>();

function indexById(conns: readonly Connection[]): Map<string, Connection> {
  let m = byIdCache.get(conns);
  // A caller that grows the same array in place must not get a stale index.
  if (!m || m.size !== conns.length) {
    m = new Map(conns.map((c) => [c.id, c]));
    byIdCache.set(conns, m);
  }
  return m;
}

function indexChains(chains: readonly ReconnectChain[]): Map<string, { chain: ReconnectChain; index: number }> {
  let m = chainCache.get(chains);
  if (!m) {
    m = chainIndex(chains);
    chainCache.set(chains, m);
  }
  return m;
}

export function diagnose(conn: Connection, ctx: DiagnoseContext): Diagnosis {
  const chains = ctx.chains ?? findReconnectChains(ctx.connections, { now: ctx.now });
  const f = facts(conn, ctx, chains);
  const d = classify(f);
  addLibrary(d, f);
  addReconnect(d, f);
  return d;
}

/** Diagnoses every connection of a session, sharing the reconnect analysis. */
export function diagnoseAll(ctx: DiagnoseContext): Map<string, Diagnosis> {
  const chains = ctx.chains ?? findReconnectChains(ctx.connections, { now: ctx.now });
  const out = new Map<string, Diagnosis>();
  for (const c of ctx.connections) out.set(c.id, diagnose(c, { ...ctx, chains }));
  return out;
}

function facts(conn: Connection, ctx: DiagnoseContext, chains: readonly ReconnectChain[]): Facts {
  const close = conn.close;
  const info = close ? describeCode(close.code, codeContext(conn, close)) : undefined;
  const pageCall = conn.closeCalls.find(
    (c) => !c.threw && (c.readyState === 0 || c.readyState === 1) && (!close || c.at <= close.at),
  );
  const byId = indexById(ctx.connections);
  // Network and visibility state are the tab's, whichever frame's hook recorded them.
  const events = [...ctx.context].sort((a, b) => a.at - b.at);
  return { conn, ctx, close, info, pageCall, byId, pos: indexChains(chains).get(conn.id), events };
}

function codeContext(conn: Connection, close: CloseInfo): { protocol: string; url: string; reason: string } {
  // The requested subprotocols count too: a server refusing them (graphql-ws 4406) negotiates none.
  return { protocol: conn.protocol || conn.protocols.join(','), url: conn.url, reason: close.reason };
}

function classify(f: Facts): Diagnosis {
  const { conn, close, info } = f;
  if (conn.createThrew) {
    // Firefox throws for a URL the page's CSP blocks, then reports the violation: the policy is the why.
    const csp = conn.csp && conn.csp.disposition !== 'report' ? netVerdict(conn, undefined) : undefined;
    if (!csp) return createFailed(f, conn.createThrew);
    const d = netFailed(f, undefined, csp);
    d.evidence.unshift({ fact: 'create.threw', at: conn.createdAt, text: E.createThrew(conn.createThrew) });
    return d;
  }
  // Before the close-code rules: a failed handshake's close is always 1006 (the page is told
  // nothing more, RFC 6455 §4.1), and a socket blocked at creation gets a synthetic end.
  const net = networkRule(f);
  if (net) return net;
  if (!close || !info) return live(f);
  if (close.synthetic) return navigated(f, close);
  if (f.pageCall && [1000, 1001, 1005, 1006].includes(close.code)) return closedByPage(f, close, f.pageCall);
  const code = close.code;
  if (code === 1006 || code === 1015) return conn.openedAt === undefined || code === 1015 ? handshakeFailed(f, close) : drop(f, close);
  if (code === 1009) return tooBig(f, close, info);
  if (code === 1011) return serverError(f, close, info);
  if (code === 1000) return close.reason === PHOENIX_HEARTBEAT_REASON ? phoenix(f, close) : byServer(f, close, info);
  if (code === 1001) return goingAway(f, close, info);
  const simple = SIMPLE[code];
  if (simple) return coded(f, close, info, simple);
  if (code >= 3000 && code <= 4999) return coded(f, close, info, 'app-code');
  return coded(f, close, info, 'unknown-code');
}

/** Codes whose catalogue entry is the whole story. */
const SIMPLE: Readonly<Partial<Record<number, DiagnosisCategory>>> = {
  1002: 'protocol-error',
  // A required extension that was not negotiated is a protocol-level mismatch.
  1010: 'protocol-error',
  1003: 'unsupported-data',
  1005: 'no-status',
  1007: 'invalid-payload',
  1008: 'policy',
  1012: 'retry-later',
  1013: 'retry-later',
  1014: 'retry-later',
};

// ---------------------------------------------------------------------------------------
// Rules

function createFailed(f: Facts, msg: string): Diagnosis {
  const evidence: Evidence[] = [{ fact: 'create.threw', at: f.conn.createdAt, text: E.createThrew(msg) }];
  const base = { category: 'create-failed' as const, severity: 'error' as const, evidence };
  // The constructor throws SecurityError for a ws: URL from an https: page (mixed content, MDN
  // "Mixed content"; loopback hosts exempt) and for a port on the Fetch standard's bad-port list.
  if (/^SecurityError\b/.test(msg)) {
    if (/\bport\b/i.test(msg)) {
      return {
        ...base,
        headline: NH.unsafePortThrew,
        causes: [NC.unsafePort],
        fixes: [NF.otherPort, F.createRead],
        learnMore: LEARN.port,
        net: { cls: 'unsafe-port', label: 'port', said: q(msg), at: f.conn.createdAt },
      };
    }
    if (/^ws:/i.test(f.conn.url.trim())) {
      evidence.push({ fact: 'create.mixed', text: NE.mixed(q(f.conn.url)) });
      return {
        ...base,
        headline: NH.mixedContent,
        causes: [NC.mixed],
        fixes: [NF.useWss, F.createRead],
        learnMore: LEARN.mixed,
        net: { cls: 'mixed-content', label: 'mixed', said: q(msg), at: f.conn.createdAt },
      };
    }
  }
  return {
    ...base,
    headline: H.createFailed(msg),
    causes: [C.createUrl, C.createProtocols, C.createMixed],
    fixes: [F.createRead, F.checkUrl, F.createWss],
  };
}

function live(f: Facts): Diagnosis {
  const { conn, ctx } = f;
  const evidence: Evidence[] = [];
  if (conn.openedAt === undefined) {
    const age = ctx.now - conn.createdAt;
    evidence.push({ fact: 'open.never', at: conn.createdAt, text: E.connectingFor(fmtDuration(age)) });
    const stuck = age >= RULES.stuckConnectingMs;
    return {
      category: 'live',
      severity: stuck ? 'warning' : 'info',
      headline: H.connecting(fmtDuration(age)),
      evidence,
      causes: stuck ? [C.handshakeStatus, C.handshakeRefused, C.handshakeTls] : [],
      fixes: stuck ? [F.networkPanel, F.checkUrl] : [],
    };
  }
  evidence.push(...timing(conn, ctx.now));
  const call = f.pageCall;
  if (call) {
    evidence.push(...callEvidence(call));
    return {
      category: 'live',
      severity: 'info',
      headline: H.closing(fmtDuration(ctx.now - call.at)),
      evidence,
      causes: [],
      fixes: [],
    };
  }
  return { category: 'live', severity: 'info', headline: H.live(fmtDuration(ctx.now - conn.openedAt)), evidence, causes: [], fixes: [] };
}

function navigated(f: Facts, close: CloseInfo): Diagnosis {
  const gone = close.synthetic === 'frame-gone';
  return {
    category: 'navigated',
    severity: 'info',
    code: close.code,
    headline: gone ? H.frameGone : H.navigated,
    evidence: [{ fact: gone ? 'frame-gone' : 'pagehide', at: close.at, text: E.synthetic(fmtClock(close.at), gone) }],
    causes: [gone ? C.frameGone : C.navigated],
    fixes: [F.nothingNavigated],
    learnMore: f.info?.learnMore,
  };
}

function closedByPage(f: Facts, close: CloseInfo, call: CloseCall): Diagnosis {
  const { conn, info } = f;
  const evidence: Evidence[] = [closeEvidence(close, info), ...callEvidence(call)];
  const base = { category: 'closed-by-page' as const, code: close.code, learnMore: info?.learnMore };
  if (call.readyState === 0 || conn.openedAt === undefined) {
    evidence.push({ fact: 'open.never', at: conn.createdAt, text: E.neverOpened(fmtDuration(close.at - conn.createdAt)) });
    return {
      ...base,
      severity: 'warning',
      headline: H.byPageWhileConnecting,
      evidence,
      causes: [C.strictMode, C.connectTimeout, C.pageCode],
      fixes: [F.strictMode, F.followStack],
    };
  }
  if (call.reason === PHOENIX_HEARTBEAT_REASON) return phoenix(f, close, evidence);
  if (close.code === 1006) {
    return {
      ...base,
      severity: 'warning',
      headline: H.byPageNoEcho(call.code, call.reason),
      evidence: [...evidence, ...timing(conn, close.at)],
      causes: [C.noEcho, C.pageCode],
      fixes: [F.echoClose, F.followStack],
    };
  }
  return {
    ...base,
    severity: 'info',
    headline: H.byPage(call.code, call.reason),
    evidence: [...evidence, ...reasonEvidence(close)],
    causes: [C.pageCode, C.pageLibrary],
    fixes: [F.followStack],
  };
}

function phoenix(f: Facts, close: CloseInfo, evidence: Evidence[] = [closeEvidence(close, f.info)]): Diagnosis {
  const info = f.info;
  return {
    category: 'closed-by-page',
    severity: 'warning',
    code: close.code,
    headline: H.phoenixHeartbeat,
    evidence: [...evidence, ...reasonEvidence(close), ...timing(f.conn, close.at), ...suspendEvidence(f, close)],
    causes: [...(info?.causes ?? [])],
    fixes: [F.phoenixCheck, F.onResume],
    learnMore: info?.learnMore,
  };
}

function handshakeFailed(f: Facts, close: CloseInfo): Diagnosis {
  const { conn, info } = f;
  const evidence: Evidence[] = [
    closeEvidence(close, info),
    { fact: 'open.never', at: conn.createdAt, text: E.neverOpened(fmtDuration(close.at - conn.createdAt)) },
  ];
  if (conn.errorAt !== undefined) evidence.push({ fact: 'error', at: conn.errorAt, text: E.errorEvent });
  const off = offlineAround(f.events, close.at, -Infinity);
  if (off) evidence.push(...off.evidence);
  const causes: Text[] =
    close.code === 1015
      ? [C.handshakeTls, C.handshakeStatus, C.handshakeHidden]
      : [C.handshakeStatus, C.handshakeRefused, C.handshakeDns, C.handshakeTls, C.handshakeBlocked, C.handshakeHidden];
  if (off) causes.unshift(C.wasOffline);
  return {
    category: 'handshake-failed',
    severity: 'error',
    code: close.code,
    headline: H.handshakeFailed(close.code),
    evidence,
    causes,
    fixes: off ? [F.onlineEvent, F.networkPanel, F.checkUrl] : [F.networkPanel, F.serverLogsHandshake, F.auth, F.checkUrl],
    learnMore: info?.learnMore,
  };
}

// ---------------------------------------------------------------------------------------
// What the network said about a handshake that failed (docs/network.md, "What the diagnosis
// relies on"). The page only ever gets `error` + 1006; the network layer, the page's CSP
// violation event and the constructor's exception say which failure it was.

/** Network values are quoted at most this long: they come from the server, which may be hostile. */
const QUOTE_MAX = 200;
const POLICY_MAX = 300;
const q = (s: string, max = QUOTE_MAX): string => inert(s.trim(), max);

const RFC6455_4_1 = 'https://www.rfc-editor.org/rfc/rfc6455#section-4.1';
const LEARN = {
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
function statusOf(view: NetView): number | undefined {
  if (view.status !== undefined && view.status !== 0) return view.status;
  return view.error ? parseFailureText(view.error).status : undefined;
}

const statusText = (status: number): string => `${status}${REASON[status] ? ` ${REASON[status]}` : ''}`;

/**
 * What the network (or the page's CSP check) says of a socket that never opened, or nothing
 * when it says nothing more than "failed" would: no view, a pending request, a plain 101.
 */
function netVerdict(conn: Connection, view: NetView | undefined): NetVerdict | undefined {
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

function networkRule(f: Facts): Diagnosis | undefined {
  const { conn, close } = f;
  const blocked = close?.synthetic === 'blocked';
  if (!conn.netOnly && !blocked) {
    // Only a page socket that never opened and ended on its own. After open the drop rules
    // decide; a page that called close() while connecting, or navigated away, caused whatever
    // abort the network then logged.
    if (conn.openedAt !== undefined || !close || close.synthetic || f.pageCall) return undefined;
  }
  const view = f.ctx.network?.get(conn.id);
  const verdict = netVerdict(conn, view);
  if (verdict) return netFailed(f, view, verdict);
  if (blocked) return blockedUnknown(f);
  if (conn.netOnly) return netOnlySeen(f, view);
  return undefined;
}

/** The network's own record: status and error with their times and sources. */
function netEvidence(view: NetView): Evidence[] {
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

function responseHeaders(view: NetView | undefined, names: readonly string[]): Evidence[] {
  const out: Evidence[] = [];
  for (const name of names) {
    const value = headerOf(view?.responseHeaders, name);
    if (value !== undefined) out.push({ fact: `net.header.${name.toLowerCase()}`, text: NE.responseHeader(name, q(value)) });
  }
  return out;
}

function requestHeaders(view: NetView | undefined, names: readonly string[]): Evidence[] {
  const out: Evidence[] = [];
  for (const name of names) {
    const value = headerOf(view?.requestHeaders, name);
    if (value !== undefined) out.push({ fact: `net.request.${name.toLowerCase()}`, text: NE.requestHeader(name, q(value)) });
  }
  return out;
}

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
function retryEvidence(f: Facts, view: NetView | undefined): { evidence: Evidence[]; wait?: Text } {
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
function endpoint(url: string): { host: string; hostPort: string; origin: string } {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::(\d+))?/i.exec(url.trim());
  if (!m) return { host: q(url, 120), hostPort: q(url, 120), origin: '' };
  const scheme = m[1]!.toLowerCase();
  const host = q(m[2]!, 120);
  const port = m[3] ?? (scheme === 'wss' || scheme === 'https' ? '443' : '80');
  return { host, hostPort: `${host}:${port}`, origin: `${scheme}://${host}${m[3] ? `:${m[3]}` : ''}` };
}

/** The causes and fixes of one class; `x` holds what the texts quote. */
interface Explained {
  body: Text;
  causes: Text[];
  fixes: Text[];
  learnMore?: string;
  evidence?: Evidence[];
}

function explain(f: Facts, view: NetView | undefined, v: NetVerdict): Explained {
  const { conn } = f;
  const status = view ? statusOf(view) : undefined;
  const s = status === undefined ? v.label : String(status);
  const learnStatus = status !== undefined ? LEARN.status(status) : LEARN.handshake;
  const { host, hostPort, origin } = endpoint(view?.url ?? conn.url);
  // The error's name ("net::ERR_CERT_DATE_INVALID") rather than DevTools' whole sentence: the
  // evidence quotes the sentence as it was said.
  const error = q(view?.error ? (parseFailureText(view.error).error ?? view.error) : v.label, 120);
  const at = fmtClock(v.at ?? view?.at ?? conn.createdAt);
  const via = [headerOf(view?.responseHeaders, 'via'), headerOf(view?.responseHeaders, 'server')].filter((x) => x !== undefined);
  const who = via.length ? ` (${via.map((x) => q(x, 80)).join(', ')})` : '';
  switch (v.cls) {
    case 'unauthorized': {
      if (status === 407) {
        return {
          body: NH.proxyAuth,
          causes: [NC.proxyAuth, NC.proxyPac],
          fixes: [NF.proxySignIn],
          learnMore: learnStatus,
          evidence: responseHeaders(view, ['Proxy-Authenticate', 'Via']),
        };
      }
      const challenge = headerOf(view?.responseHeaders, 'www-authenticate');
      const evidence = [...responseHeaders(view, ['WWW-Authenticate']), ...requestHeaders(view, ['Cookie', 'Authorization'])];
      if (view?.requestHeaders?.length && headerOf(view.requestHeaders, 'cookie') === undefined) evidence.push({ fact: 'net.request.cookie.none', text: NE.noCookie });
      const scheme = challenge ? /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)/.exec(challenge)?.[1] : undefined;
      return {
        body: NH.unauthorized(s),
        causes: [NC.noCredentials, NC.sameSite, NC.tokenExpired, ...(scheme ? [NC.authScheme(q(scheme, 40))] : [])],
        fixes: [NF.checkCredentials, NF.refreshToken, NF.cookieSite, F.auth],
        learnMore: learnStatus,
        evidence,
      };
    }
    case 'forbidden': {
      const pageOrigin = headerOf(view?.requestHeaders, 'origin');
      return {
        body: NH.forbidden,
        causes: [NC.originList(pageOrigin ? q(pageOrigin, 120) : ''), NC.role, NC.csrf],
        fixes: [NF.allowOrigin(pageOrigin ? q(pageOrigin, 120) : ''), NF.serverReason, F.auth],
        learnMore: learnStatus,
        evidence: [...requestHeaders(view, ['Origin']), ...responseHeaders(view, ['Server', 'Via'])],
      };
    }
    case 'bad-request':
      return {
        body: NH.badRequest,
        causes: [NC.hopByHop, NC.wrongQuery, NC.badHandshake],
        fixes: [NF.forwardUpgrade, F.checkUrl, NF.serverReason],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'Via', 'Content-Type']),
      };
    case 'not-found':
      return {
        body: NH.notFound(statusText(status ?? 404)),
        causes: [NC.wrongPath, NC.routeMissing, NC.proxyRoute, NC.hopByHop],
        fixes: [F.checkUrl, NF.routeTable, NF.devProxyWs, NF.forwardUpgrade],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'Via', 'Content-Type']),
      };
    case 'not-websocket': {
      const type = headerOf(view?.responseHeaders, 'content-type');
      return {
        body: NH.notWebSocket(statusText(status ?? 200)),
        causes: [NC.htmlFallback(type ? q(type, 80) : ''), NC.notEndpoint, NC.hopByHop],
        fixes: [F.checkUrl, NF.devProxyWs, NF.forwardUpgrade],
        learnMore: LEARN.handshake,
        evidence: responseHeaders(view, ['Content-Type', 'Content-Length', 'Server']),
      };
    }
    case 'redirect': {
      const location = headerOf(view?.responseHeaders, 'location');
      const loc = location ? q(location) : '';
      return {
        body: NH.redirect(statusText(status ?? 302)),
        causes: [NC.redirect(loc), NC.ssoRedirect],
        fixes: [NF.finalUrl(loc), F.checkUrl],
        learnMore: LEARN.handshake,
        evidence: location !== undefined ? responseHeaders(view, ['Location']) : view?.responseHeaders ? [{ fact: 'net.header.location.none', text: NE.noResponseHeader('Location') }] : [],
      };
    }
    case 'upgrade-required':
      return {
        body: NH.upgradeRequired,
        causes: [NC.version, NC.needsTls],
        fixes: [NF.versionTls],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Upgrade', 'Sec-WebSocket-Version', 'Server']),
      };
    case 'rate-limited':
    case 'unavailable': {
      const r = retryEvidence(f, view);
      const limited = v.cls === 'rate-limited';
      return {
        body: r.wait ? concat(limited ? NH.rateLimited : NH.unavailable, NH.waitFor(r.wait)) : limited ? NH.rateLimited : NH.unavailable,
        causes: limited ? [NC.rateLimit, NC.sharedQuota] : [NC.overloaded, NC.limitAs503],
        fixes: [r.wait ? NF.waitRetryAfter(r.wait) : NF.backOff, ...(limited ? [] : [NF.backendHealth, F.serverLogsAt(at)])],
        learnMore: limited ? LEARN.rateLimit : learnStatus,
        evidence: [...r.evidence, ...responseHeaders(view, ['Server', 'Via'])],
      };
    }
    case 'server-error':
      return {
        body: NH.serverError(statusText(status ?? 500)),
        causes: [NC.handlerFailed, NC.noWsSupport],
        fixes: [F.serverLogsAt(at), F.serverLogsHandshake],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'X-Request-Id']),
      };
    case 'bad-gateway':
      return {
        body: status === 504 ? NH.gatewayTimeout : NH.badGateway(statusText(status ?? 502)),
        causes: status === 504 ? [NC.upstreamSlow(who), NC.upstreamDown(who)] : [NC.upstreamDown(who), NC.upstreamBroken],
        fixes: [NF.upstreamCheck(at), NF.forwardUpgrade],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'Via', 'X-Cache', 'CF-Ray']),
      };
    case 'http-error':
      return {
        body: NH.httpError(statusText(status ?? 0)),
        causes: [NC.httpStatus(statusText(status ?? 0)), C.handshakeStatus],
        fixes: [NF.serverReason, F.checkUrl],
        learnMore: learnStatus,
        evidence: responseHeaders(view, ['Server', 'Via', 'Content-Type']),
      };
    case 'dns':
      return { body: NH.dns(host), causes: [NC.dns(host), NC.dnsDown], fixes: [NF.resolve(host), F.checkUrl], learnMore: LEARN.handshake };
    case 'refused':
      return {
        body: NH.refused(hostPort),
        causes: [NC.refused(hostPort), NC.firewallReject],
        fixes: [NF.startServer(hostPort), F.checkUrl],
        learnMore: LEARN.handshake,
      };
    case 'reset':
      return {
        body: NH.reset,
        causes: [NC.reset, NC.tlsMismatch],
        fixes: [F.serverLogsHandshake, NF.proxiesSupportWs, F.checkUrl],
        learnMore: LEARN.handshake,
      };
    case 'timeout':
      return { body: NH.timeout, causes: [NC.timeout, NC.portFiltered], fixes: [NF.tryFromHere, F.checkUrl], learnMore: LEARN.handshake };
    case 'tls':
      return {
        body: NH.tls(error),
        causes: [NC.tls(error), NC.tlsIntercept],
        fixes: [NF.openHttps(host)],
        learnMore: LEARN.handshake,
      };
    case 'blocked-client':
      return { body: NH.blockedClient(error), causes: [NC.extension, NC.policy], fixes: [NF.noExtensions, NF.consoleSays] };
    case 'csp': {
      const csp = conn.csp;
      const directive = csp ? q(csp.directive, 60) : 'connect-src';
      const evidence: Evidence[] = [];
      if (csp) {
        evidence.push({ fact: 'csp', at: csp.at, text: NE.csp(directive, q(csp.blocked), fmtClock(csp.at)) });
        if (csp.policy) evidence.push({ fact: 'csp.policy', text: NE.cspPolicy(q(csp.policy, POLICY_MAX)) });
      }
      return {
        body: NH.csp(directive),
        causes: [NC.csp(directive), NC.cspElsewhere],
        fixes: [NF.allowConnectSrc(origin), NF.everyPolicy],
        learnMore: LEARN.csp,
        evidence,
      };
    }
    case 'tunnel':
      return { body: NH.tunnel, causes: [NC.tunnel, NC.proxyBlocksWs], fixes: [NF.proxySettings], learnMore: LEARN.handshake };
    case 'invalid-response': {
      const firefox = /NS_ERROR_WEBSOCKET_CONNECTION_REFUSED/.test(view?.error ?? '');
      return {
        body: NH.invalidResponse,
        causes: firefox ? [NC.firefoxNoUpgrade, NC.notEndpoint, NC.invalidResponse] : [NC.invalidResponse, NC.middlebox],
        fixes: [NF.rawResponse(q(httpUrl(view?.url ?? conn.url))), NF.forwardUpgrade],
        learnMore: LEARN.handshake,
        evidence: responseHeaders(view, ['Upgrade', 'Connection', 'Sec-WebSocket-Accept', 'Content-Type', 'Server']),
      };
    }
    case 'subprotocol': {
      const asked = q(conn.protocols.join(', ') || (headerOf(view?.requestHeaders, 'sec-websocket-protocol') ?? ''));
      const chosen = headerOf(view?.responseHeaders, 'sec-websocket-protocol');
      const evidence: Evidence[] = [];
      if (asked) evidence.push({ fact: 'net.protocols.asked', text: NE.asked(asked) });
      evidence.push(chosen === undefined ? { fact: 'net.protocols.none', text: NE.answeredNone } : { fact: 'net.protocols.answered', text: NE.answered(q(chosen)) });
      return {
        body: NH.subprotocol,
        causes: [
          chosen === undefined ? NC.subprotocolNone(asked || '?') : NC.subprotocolOther(asked || '?', q(chosen)),
          NC.subprotocolUnknown,
          NC.subprotocolToken,
        ],
        fixes: [NF.echoProtocol],
        learnMore: LEARN.handshake,
        evidence,
      };
    }
    case 'unsafe-port':
      return { body: NH.unsafePort(hostPort.slice(hostPort.lastIndexOf(':') + 1)), causes: [NC.unsafePort], fixes: [NF.otherPort], learnMore: LEARN.port };
    case 'mixed-content':
      return { body: NH.mixedContent, causes: [NC.mixed], fixes: [NF.useWss], learnMore: LEARN.mixed };
    case 'network':
      return {
        body: NH.network(error),
        // Nothing separates the causes: say so, and keep the generic ranking.
        causes: [NC.cannotTell, C.handshakeStatus, C.handshakeRefused, C.handshakeDns, C.handshakeTls, C.handshakeBlocked],
        fixes: [NF.tellMore, F.serverLogsHandshake, F.auth, F.checkUrl],
        learnMore: LEARN.handshake,
        evidence: /net::ERR_FAILED/.test(view?.error ?? '') ? [{ fact: 'net.bare', text: NE.bareFailure }] : [],
      };
  }
}

/** The http(s) URL of a ws(s) one, for tools that speak HTTP (curl). */
const httpUrl = (url: string): string => url.trim().replace(/^ws(s?):/i, 'http$1:');

/** Classes where the server answered: the browser was online, whatever the events say. */
const ANSWERED: ReadonlySet<NetClass> = new Set([
  'unauthorized', 'forbidden', 'bad-request', 'not-found', 'not-websocket', 'redirect', 'upgrade-required',
  'rate-limited', 'unavailable', 'server-error', 'bad-gateway', 'http-error', 'subprotocol', 'invalid-response',
]);
/** Classes decided in the browser, before any request: offline does not explain them. */
const LOCAL: ReadonlySet<NetClass> = new Set(['csp', 'mixed-content', 'unsafe-port', 'blocked-client']);

function netFailed(f: Facts, view: NetView | undefined, v: NetVerdict): Diagnosis {
  const { conn, close, info } = f;
  const x = explain(f, view, v);
  const evidence: Evidence[] = [];
  if (close && !close.synthetic) evidence.push(closeEvidence(close, info));
  if (conn.netOnly) evidence.push({ fact: 'net.only', text: NE.netOnly });
  else if (close) evidence.push({ fact: 'open.never', at: conn.createdAt, text: E.neverOpened(fmtDuration(close.at - conn.createdAt)) });
  if (close?.synthetic === 'blocked' || conn.createdState === 3) evidence.push({ fact: 'create.closed', at: conn.createdAt, text: NE.closedAtCreate });
  if (conn.errorAt !== undefined) evidence.push({ fact: 'error', at: conn.errorAt, text: E.errorEvent });
  if (view) evidence.push(...netEvidence(view));
  evidence.push(...(x.evidence ?? []));
  const causes = [...x.causes];
  const off = close && !LOCAL.has(v.cls) ? offlineAround(f.events, close.at, -Infinity) : undefined;
  if (off) {
    evidence.push(...off.evidence);
    if (!ANSWERED.has(v.cls)) causes.unshift(C.wasOffline);
  }
  const d: Diagnosis = {
    category: 'handshake-failed',
    severity: 'error',
    headline: concat(conn.netOnly ? NH.leadNetOnly : NH.lead, x.body),
    evidence,
    causes,
    fixes: off && !ANSWERED.has(v.cls) ? [F.onlineEvent, ...x.fixes] : x.fixes,
    net: v,
  };
  if (close) d.code = close.code;
  if (x.learnMore) d.learnMore = x.learnMore;
  return d;
}

/** Blocked at creation (no close event ever, Chromium 156) with nothing saying by what. */
function blockedUnknown(f: Facts): Diagnosis {
  const { conn, close } = f;
  const evidence: Evidence[] = [{ fact: 'create.closed', at: conn.createdAt, text: NE.closedAtCreate }];
  if (conn.errorAt !== undefined) evidence.push({ fact: 'error', at: conn.errorAt, text: E.errorEvent });
  const d: Diagnosis = {
    category: 'handshake-failed',
    severity: 'error',
    headline: NH.blockedUnknown,
    evidence,
    causes: [NC.cspMissed, NC.extension, NC.policy],
    fixes: [NF.consoleSays, NF.everyPolicy],
    learnMore: LEARN.csp,
  };
  if (close) d.code = close.code;
  return d;
}

/** Seen on the network only, and the network says it did not fail (a 101, or no answer yet). */
function netOnlySeen(f: Facts, view: NetView | undefined): Diagnosis {
  return {
    // 'live': nothing failed that we can see, and nothing says it ended.
    category: 'live',
    severity: 'info',
    headline: view?.status === 101 ? NH.netOnlyUpgraded : NH.netOnlyPending,
    evidence: [{ fact: 'net.only', text: NE.netOnly }, ...(view ? netEvidence(view) : [])],
    causes: [],
    fixes: [],
  };
}

/** 1006 after open: the connection was cut. Timing and context decide by whom. */
function drop(f: Facts, close: CloseInfo): Diagnosis {
  const { conn, info } = f;
  const openedAt = conn.openedAt ?? conn.createdAt;
  const lastFrame = Math.max(openedAt, conn.lastIn?.at ?? -Infinity, conn.lastOut?.at ?? -Infinity);
  const silenceMs = close.at - lastFrame;
  const lifetimeMs = close.at - openedAt;
  const base = {
    code: close.code,
    learnMore: info?.learnMore,
    evidence: [closeEvidence(close, info), ...timing(conn, close.at)],
  };
  const matches = matchIntermediaries({ silenceMs, lifetimeMs });

  const off = offlineAround(f.events, close.at, openedAt - RULES.offlineWindowMs);
  if (off) {
    return {
      ...base,
      category: 'offline',
      severity: 'warning',
      headline: H.offline,
      evidence: [...base.evidence, ...off.evidence],
      causes: [C.offline, C.networkSwitch],
      fixes: [F.onlineEvent, F.resync, F.reconnectBackoff],
    };
  }

  const suspended = suspendEvidence(f, close);
  if (suspended.length > 0) {
    const d: Diagnosis = {
      ...base,
      category: 'suspended',
      severity: 'warning',
      headline: H.suspended,
      evidence: [...base.evidence, ...suspended],
      causes: [C.suspended, C.throttled, ...(suspended.some((e) => e.fact === 'bfcache') ? [C.bfcache] : [])],
      fixes: [F.onResume, F.serverPings, F.resync],
    };
    // A throttled heartbeat is exactly what lets a proxy's idle timer expire: say which one.
    if (matches[0]) applyIntermediary(d, matches, { silenceMs, lifetimeMs, lastFrame }, false);
    return d;
  }

  const big = largeSend(conn, close.at);
  if (big) {
    const before = fmtDuration(close.at - big.at);
    return {
      ...base,
      category: 'message-too-big',
      severity: 'error',
      headline: H.largeSend(fmtBytes(big.size), before),
      evidence: [
        ...base.evidence,
        { fact: 'lastOut.size', at: big.at, text: E.largeSend(fmtBytes(big.size), before) },
        { fact: 'maxSent', text: E.maxSent(fmtBytes(conn.stats.maxSentSize)) },
      ],
      causes: [C.sizeLimitDrop, C.sizeGateway, C.sizeCrash],
      fixes: [F.chunk, F.raiseLimit, F.serverLogsAt(fmtClock(close.at))],
    };
  }

  if (matches[0]) {
    const d: Diagnosis = {
      ...base,
      category: 'idle-timeout',
      severity: 'warning',
      headline: H.abnormal,
      evidence: [...base.evidence],
      causes: [],
      fixes: [],
    };
    applyIntermediary(d, matches, { silenceMs, lifetimeMs, lastFrame }, true);
    d.fixes.push(F.reconnectBackoff);
    return d;
  }

  const nextFailed = failedSuccessor(f, close);
  if (silenceMs >= RULES.idleMinSilenceMs && !nextFailed) {
    const silence = fmtDuration(silenceMs);
    const causes =
      silenceMs >= RULES.longSilenceMs
        ? [C.idleUnknown(silence), C.noHeartbeat, C.serverIdleDestroy, C.crashLooksSame]
        : [C.idleUnknown(silence), C.crashLooksSame, C.serverIdleDestroy];
    return {
      ...base,
      category: 'idle-timeout',
      severity: 'warning',
      headline: H.idleUnknown(silence),
      evidence: [...base.evidence, { fact: 'silence', at: lastFrame, text: E.silence(silence) }, { fact: 'silence.pings', text: E.invisiblePings }],
      causes,
      fixes: [
        F.findIntermediaries,
        F.heartbeat(fmtDuration(heartbeatFor(silenceMs)), silence),
        F.serverLogsAt(fmtClock(close.at)),
        F.reconnectBackoff,
      ],
    };
  }

  const evidence = [...base.evidence];
  if (conn.errorAt !== undefined) evidence.push({ fact: 'error', at: conn.errorAt, text: E.errorEvent });
  if (nextFailed) {
    evidence.push({ fact: 'reconnect.failed', at: nextFailed.createdAt, text: E.nextFailed(fmtDuration(nextFailed.createdAt - close.at)) });
  }
  return {
    ...base,
    category: 'abnormal',
    severity: 'error',
    headline: nextFailed ? H.serverDown : H.abnormal,
    evidence,
    causes: nextFailed
      ? [C.serverDown, C.crashLooksSame, C.tcpReset]
      : [C.crashLooksSame, C.tcpReset, C.serverTerminate, C.networkSwitch, C.invalidCloseCode],
    fixes: [F.serverLogsAt(fmtClock(close.at)), F.serverPings, F.reconnectBackoff],
  };
}

/** Fills an idle/lifetime diagnosis from intermediary matches (closest first). */
function applyIntermediary(
  d: Diagnosis,
  matches: readonly IntermediaryMatch[],
  { silenceMs, lifetimeMs, lastFrame }: { silenceMs: number; lifetimeMs: number; lastFrame: number },
  setHeadline: boolean,
): void {
  const best = matches[0]!;
  const it = best.intermediary;
  // Intermediaries with the very same default are indistinguishable by timing: name them all.
  const same = matches.filter((m) => m.intermediary.timeoutMs === it.timeoutMs && m.intermediary.basis === it.basis);
  const name = same.map((m) => m.intermediary.name).join(' / ');
  const timeout = fmtDuration(it.timeoutMs);
  d.suspect = { name, timeoutMs: it.timeoutMs };
  d.learnMore = it.docs;
  if (it.basis === 'idle') {
    if (setHeadline) d.headline = H.idleKnown(fmtDuration(silenceMs), name, timeout);
    d.evidence.push({ fact: 'silence', at: lastFrame, text: E.silence(fmtDuration(silenceMs)) });
    d.causes.push(C.idleKnown(name, timeout));
    for (const m of matches) {
      if (!same.includes(m)) d.evidence.push({ fact: 'silence.alt', text: E.otherMatch(m.intermediary.name, fmtDuration(m.intermediary.timeoutMs)) });
    }
    d.causes.push(C.noHeartbeat);
    d.fixes.push(F.heartbeat(fmtDuration(heartbeatFor(it.timeoutMs)), timeout), ...same.map((m) => m.intermediary.remedy));
  } else {
    if (setHeadline) d.headline = H.lifetimeKnown(fmtDuration(lifetimeMs), name, timeout);
    d.evidence.push({ fact: 'lifetime', text: E.lifetime(fmtDuration(lifetimeMs)) });
    d.causes.push(C.lifetimeKnown(name, timeout));
    // Traffic does not reset a lifetime cap, so the timing is the only clue: weaker than an
    // idle match, and a crash at that moment would look the same.
    d.causes.push(C.crashLooksSame);
    d.fixes.push(...same.map((m) => m.intermediary.remedy));
  }
}

function tooBig(f: Facts, close: CloseInfo, info: CodeInfo): Diagnosis {
  const { conn } = f;
  const evidence: Evidence[] = [closeEvidence(close, info), ...reasonEvidence(close)];
  evidence.push({ fact: 'maxSent', text: E.maxSent(fmtBytes(conn.stats.maxSentSize)) });
  if (conn.lastOut) {
    evidence.push({ fact: 'lastOut.size', at: conn.lastOut.at, text: E.lastSent(fmtBytes(conn.lastOut.size), fmtDuration(close.at - conn.lastOut.at)) });
  }
  if (conn.stats.maxReceivedSize > 0) evidence.push({ fact: 'maxReceived', text: E.maxReceived(fmtBytes(conn.stats.maxReceivedSize)) });
  return {
    category: 'message-too-big',
    severity: 'error',
    code: close.code,
    headline: H.tooBig(fmtBytes(conn.stats.maxSentSize)),
    evidence,
    causes: [...info.causes, C.sizeServerLib],
    fixes: [F.chunk, F.raiseLimit],
    learnMore: info.learnMore,
  };
}

function serverError(f: Facts, close: CloseInfo, info: CodeInfo): Diagnosis {
  const { conn } = f;
  const evidence: Evidence[] = [
    closeEvidence(close, info),
    ...reasonEvidence(close),
    { fact: 'close.at', at: close.at, text: E.serverLogs(fmtClock(close.at)) },
  ];
  if (conn.lastOut && close.at - conn.lastOut.at <= RULES.largeSendWindowMs) {
    evidence.push({
      fact: 'lastOut',
      at: conn.lastOut.at,
      text: E.trigger(fmtBytes(conn.lastOut.size), fmtDuration(close.at - conn.lastOut.at)),
    });
  }
  evidence.push({ fact: 'closeCall.none', text: E.noCloseCall });
  return {
    category: 'server-error',
    severity: 'error',
    code: close.code,
    headline: close.reason ? H.serverErrorReason(close.reason) : H.serverErrorNoReason,
    evidence,
    causes: [...info.causes],
    fixes: [F.serverLogsAt(fmtClock(close.at)), F.wrapHandlers, F.logConnId],
    learnMore: info.learnMore,
  };
}

function byServer(f: Facts, close: CloseInfo, info: CodeInfo): Diagnosis {
  return {
    category: 'closed-by-server',
    severity: 'info',
    code: close.code,
    headline: H.byServer(close.reason),
    evidence: [closeEvidence(close, info), ...reasonEvidence(close), { fact: 'closeCall.none', text: E.noCloseCall }],
    // No close() call from the page: "the page closed it" is ruled out, the server's side remains.
    causes: [C.serverDeliberate, C.serverHeartbeat],
    fixes: [...info.fixes],
    learnMore: info.learnMore,
  };
}

function goingAway(f: Facts, close: CloseInfo, info: CodeInfo): Diagnosis {
  return {
    category: 'going-away',
    severity: 'info',
    code: close.code,
    headline: H.goingAway(close.reason),
    evidence: [closeEvidence(close, info), ...reasonEvidence(close), { fact: 'closeCall.none', text: E.noCloseCall }],
    // The page got a close event, so it did not navigate away itself: the server's side remains.
    causes: [C.deploy, C.shutdown],
    fixes: [...info.fixes],
    learnMore: info.learnMore,
  };
}

function coded(f: Facts, close: CloseInfo, info: CodeInfo, category: DiagnosisCategory): Diagnosis {
  const evidence: Evidence[] = [closeEvidence(close, info), ...reasonEvidence(close)];
  if (f.pageCall) evidence.push(...callEvidence(f.pageCall));
  return {
    category,
    severity: category === 'unknown-code' ? 'warning' : info.severity,
    code: close.code,
    headline: H.coded(info.name, close.code, close.reason),
    evidence,
    causes: [...info.causes],
    fixes: [...info.fixes],
    learnMore: info.learnMore,
  };
}

// ---------------------------------------------------------------------------------------
// Evidence helpers

function closeEvidence(close: CloseInfo, info: CodeInfo | undefined): Evidence {
  const name = info?.name ?? { en: '', ja: '' };
  return { fact: 'close.code', at: close.at, text: E.closeEvent(close.code, name, fmtClock(close.at)) };
}

function reasonEvidence(close: CloseInfo): Evidence[] {
  return close.reason ? [{ fact: 'close.reason', text: E.reason(close.reason) }] : [{ fact: 'close.reason', text: E.noReason }];
}

/** When it opened and when the last frames went each way, relative to `end`. */
function timing(conn: Connection, end: number): Evidence[] {
  const out: Evidence[] = [];
  if (conn.openedAt !== undefined) {
    out.push({ fact: 'open', at: conn.openedAt, text: E.opened(fmtClock(conn.openedAt), fmtDuration(end - conn.openedAt)) });
  }
  if (conn.lastIn) out.push({ fact: 'lastIn', at: conn.lastIn.at, text: E.lastIn(fmtBytes(conn.lastIn.size), fmtDuration(end - conn.lastIn.at)) });
  if (conn.lastOut) out.push({ fact: 'lastOut', at: conn.lastOut.at, text: E.lastOut(fmtBytes(conn.lastOut.size), fmtDuration(end - conn.lastOut.at)) });
  if (!conn.lastIn && !conn.lastOut && conn.openedAt !== undefined) out.push({ fact: 'frames.none', text: E.noFrames });
  return out;
}

function callEvidence(call: CloseCall): Evidence[] {
  const out: Evidence[] = [{ fact: 'closeCall', at: call.at, text: E.closeCall(call.code, call.reason, fmtClock(call.at)) }];
  if (call.readyState === 0) out.push({ fact: 'closeCall.connecting', at: call.at, text: E.closeCallConnecting });
  const frame = topFrame(call.stack);
  if (frame) out.push({ fact: 'closeCall.stack', text: E.closeCallFrom(frame) });
  return out;
}

/**
 * The caller's frame: the first stack line that is not the hook's own. Chrome writes
 * "    at fn (url:line:col)", Firefox "fn@url:line:col".
 */
export function topFrame(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  for (const raw of stack.split('\n')) {
    const line = raw.trim();
    const isFrame = line.startsWith('at ') || /@.+:\d+/.test(line);
    if (!isFrame) continue;
    if (/(chrome|moz)-extension:\/\/|socket-autopsy/.test(line)) continue;
    return line.replace(/^at /, '');
  }
  return undefined;
}

const rel = (at: number, ref: number): Text => (at <= ref ? E.before(fmtDuration(ref - at)) : E.after(fmtDuration(at - ref)));

/**
 * The browser was offline around `at`: an `offline` no later than `at` + window whose next
 * `online` (if any) came no earlier than `at` − window. `from` ignores offline spans that ended
 * before the socket even existed.
 */
function offlineAround(events: readonly PageContextEvent[], at: number, from: number): { evidence: Evidence[] } | undefined {
  const W = RULES.offlineWindowMs;
  let found: { off: PageContextEvent; on: PageContextEvent | undefined } | undefined;
  events.forEach((e, i) => {
    if (e.what !== 'offline' || e.at > at + W) return;
    const on = events.slice(i + 1).find((x) => x.what === 'online');
    if (on && (on.at < at - W || on.at < from)) return;
    found = { off: e, on };
  });
  if (!found) return undefined;
  const evidence: Evidence[] = [{ fact: 'offline', at: found.off.at, text: E.offline(fmtClock(found.off.at), rel(found.off.at, at)) }];
  if (found.on) evidence.push({ fact: 'online', at: found.on.at, text: E.online(fmtClock(found.on.at), rel(found.on.at, at)) });
  return { evidence };
}

const SUSPEND_START = (e: PageContextEvent): boolean =>
  e.what === 'hidden' || e.what === 'freeze' || (e.what === 'pagehide' && e.persisted === true);
const SUSPEND_END = (e: PageContextEvent): boolean => e.what === 'visible' || e.what === 'resume' || e.what === 'pageshow';

/**
 * The page was hidden, frozen or in the bfcache when the socket died: a start no later than
 * the close, with no end before close − window (a socket killed while suspended reports its
 * close on resume, a moment after the end event).
 */
function suspendEvidence(f: Facts, close: CloseInfo): Evidence[] {
  const events = f.events;
  const W = RULES.suspendWindowMs;
  let spanStart = -1;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.at > close.at + W) break;
    if (SUSPEND_START(e) && e.at <= close.at) {
      if (spanStart === -1) spanStart = i;
    } else if (SUSPEND_END(e)) {
      if (e.at >= close.at - W) break; // the span reached the close: keep it
      spanStart = -1; // the page was back well before the close
    }
  }
  if (spanStart === -1) return [];
  const out: Evidence[] = [];
  for (const e of events.slice(spanStart)) {
    if (e.at > close.at + W) break;
    const clock = fmtClock(e.at);
    const r = rel(e.at, close.at);
    if (e.what === 'hidden') out.push({ fact: 'hidden', at: e.at, text: E.hidden(clock, r) });
    else if (e.what === 'freeze') out.push({ fact: 'freeze', at: e.at, text: E.freeze(clock, r) });
    else if (e.what === 'pagehide' && e.persisted) out.push({ fact: 'bfcache', at: e.at, text: E.bfcache(clock, r) });
    else if (SUSPEND_END(e)) {
      out.push({ fact: 'resume', at: e.at, text: E.resumed(clock, r) });
      break;
    }
  }
  return out;
}

/** A large outbound message shortly before `at`. Messages are in time order; scan from the end. */
function largeSend(conn: Connection, at: number): { at: number; size: number } | undefined {
  for (let i = conn.messages.length - 1; i >= 0; i--) {
    const m = conn.messages[i]!;
    if (m.at > at) continue;
    if (at - m.at > RULES.largeSendWindowMs) break;
    if (m.dir === 'out' && m.size >= RULES.largeSendBytes) return { at: m.at, size: m.size };
  }
  const last = conn.lastOut;
  if (last && last.size >= RULES.largeSendBytes && last.at <= at && at - last.at <= RULES.largeSendWindowMs) return last;
  return undefined;
}

/** The next socket to the same endpoint, if it failed its handshake: the server was gone. */
function failedSuccessor(f: Facts, close: CloseInfo): Connection | undefined {
  const pos = f.pos;
  const nextId = pos?.chain.connectionIds[pos.index + 1];
  const next = nextId ? f.byId.get(nextId) : undefined;
  if (!next || next.openedAt !== undefined || !next.close || next.close.at < close.at) return undefined;
  return next.close.code === 1006 || next.close.code === 1015 ? next : undefined;
}

// ---------------------------------------------------------------------------------------
// Cross-cutting additions

function addLibrary(d: Diagnosis, f: Facts): void {
  const lib = f.info?.library;
  if (!lib) return;
  d.evidence.push({ fact: 'library', text: E.library(lib.name) });
  if (LIBRARY_NOTE_CATEGORIES.has(d.category)) d.causes.push(...(f.info?.notes ?? []));
}

function addReconnect(d: Diagnosis, f: Facts): void {
  const { conn, ctx, pos } = f;
  const window = fmtDuration(RULES.reconnectWindowMs);
  if (!pos) {
    const close = conn.close;
    if (close && SHOULD_RECONNECT.has(d.category) && endedBadly(conn) && ctx.now - close.at >= RULES.reconnectWindowMs) {
      d.evidence.push({ fact: 'reconnect.none', text: E.noReconnect(window) });
      // Replaces the generic "reconnect with backoff": here we know nothing reconnected.
      d.fixes = [...d.fixes.filter((x) => x !== F.reconnectBackoff), F.addReconnect];
    }
    return;
  }
  const { chain, index } = pos;
  d.chainId = chain.id;
  if (index > 0) {
    d.evidence.push({
      fact: 'reconnect',
      at: conn.createdAt,
      text: E.reconnect(index, chain.attempts, fmtDuration(chain.delaysMs[index - 1] ?? 0)),
    });
  }
  const nextId = chain.connectionIds[index + 1];
  const next = nextId ? f.byId.get(nextId) : undefined;
  if (next) {
    d.evidence.push({ fact: 'reconnect.next', at: next.createdAt, text: E.reconnectNext(fmtDuration(chain.delaysMs[index] ?? 0)) });
  }
  if (chain.attempts >= 2) d.evidence.push({ fact: 'reconnect.backoff', text: E.backoff(describeBackoff(chain)) });
  if (chain.storm) {
    d.evidence.push({ fact: 'reconnect.storm', text: E.storm(chain.attempts, fmtDuration(median(chain.delaysMs))) });
    d.fixes.push(F.stormBackoff);
    if (d.severity === 'info') d.severity = 'warning';
  } else if (chain.attempts >= 3 && !chain.jitter && chain.backoff !== 'irregular') {
    d.fixes.push(F.addJitter);
  }
  if (chain.gaveUp && index === chain.connectionIds.length - 1) {
    d.evidence.push({ fact: 'reconnect.gaveUp', text: E.gaveUp(chain.attempts, window) });
    d.fixes.push(F.keepRetrying);
  }
}

export function describeBackoff(chain: Pick<ReconnectChain, 'backoff' | 'jitter' | 'factor' | 'stepMs' | 'delaysMs'>): Text {
  switch (chain.backoff) {
    case 'none':
      return BACKOFF.none;
    case 'constant':
      return BACKOFF.constant(fmtDuration(median(chain.delaysMs)), chain.jitter);
    case 'linear':
      return BACKOFF.linear(fmtDuration(chain.stepMs ?? 0), chain.jitter);
    case 'exponential':
      return BACKOFF.exponential(chain.factor ?? 2, chain.jitter);
    case 'irregular':
      return BACKOFF.irregular;
  }
}

// The diagnosis engine: from what the hook saw of one connection (and its neighbours and
// the page's context events) to a category, the evidence, ranked causes and fixes.
//
// Order of the rules, most decisive first: the constructor threw → still live → ended by
// navigation → the page itself closed it → the close code. For 1006 the code says only "no
// close frame", so the timing decides: never opened (handshake), offline, suspended, a large
// send just before, a known intermediary timeout, a long silence, or none of these.
import { describeCode, PHOENIX_HEARTBEAT_REASON, type CodeInfo, type Severity } from './close-codes.ts';
import { BACKOFF, C, E, F, H } from './i18n/diagnosis.ts';
import { fmtBytes, fmtClock, fmtDuration, type Text } from './i18n/text.ts';
import { heartbeatFor, matchIntermediaries, type IntermediaryMatch } from './intermediaries.ts';
import { chainIndex, findReconnectChains, median, RECONNECT_WINDOW_MS, endedBadly, type ReconnectChain } from './reconnect.ts';
import type { NetClass, NetView } from './net.ts';
import type { CloseCall, CloseInfo, Connection, PageContextEvent } from './session.ts';

export const DIAGNOSIS_CATEGORIES = [
  'live',
  'handshake-failed',
  'idle-timeout',
  'offline',
  'suspended',
  'message-too-big',
  'abnormal',
  'navigated',
  'server-error',
  'closed-by-page',
  'closed-by-server',
  'going-away',
  'no-status',
  'protocol-error',
  'unsupported-data',
  'invalid-payload',
  'policy',
  'retry-later',
  'app-code',
  'unknown-code',
  'create-failed',
] as const;
export type DiagnosisCategory = (typeof DIAGNOSIS_CATEGORIES)[number];

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
  net?: { cls: NetClass; label: string };
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
  if (conn.createThrew) return createFailed(f, conn.createThrew);
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
  return {
    category: 'create-failed',
    severity: 'error',
    headline: H.createFailed(msg),
    evidence: [{ fact: 'create.threw', at: f.conn.createdAt, text: E.createThrew(msg) }],
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

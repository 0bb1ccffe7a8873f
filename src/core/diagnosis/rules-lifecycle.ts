// Rules decided by the socket's life rather than its close code: the constructor threw, still
// live, the page navigated away, the page closed it itself (and Phoenix's heartbeat close), or a
// handshake that failed with nothing from the network to say why.
import { PHOENIX_HEARTBEAT_REASON } from '../knowledge/close-codes.ts';
import { E, H } from '../knowledge/i18n/diagnosis.ts';
import { C, F } from '../knowledge/i18n/diagnosis-causes.ts';
import { fmtClock, fmtDuration, type Text } from '../knowledge/i18n/text.ts';
import { NE, NH } from '../knowledge/i18n/network.ts';
import { NC, NF } from '../knowledge/i18n/network-causes.ts';
import type { CloseCall, CloseInfo } from '../session/session.ts';
import { callEvidence, closeEvidence, offlineAround, reasonEvidence, suspendEvidence, timing } from './evidence.ts';
import { type Draft, type Evidence, type Facts, RULES } from './facts.ts';
import { LEARN, q } from './net-verdict.ts';

export function createFailed(f: Facts, msg: string): Draft {
  const evidence: Evidence[] = [{ fact: 'create.threw', at: f.conn.createdAt, text: E.createThrew(msg) }];
  const base = { category: 'create-failed' as const, severity: 'error' as const, evidence };
  // The constructor throws SecurityError for a ws: URL from an https: page (mixed content, MDN
  // "Mixed content"; loopback hosts exempt) and for a port on the Fetch standard's bad-port list.
  if (/^SecurityError\b/.test(msg)) {
    // What the browser refused, said as the network class it amounts to.
    const refused = (cls: 'unsafe-port' | 'mixed-content', label: string, headline: Text, causes: Text[], fixes: Text[], learnMore: string): Draft => ({
      ...base,
      headline,
      causes,
      fixes,
      learnMore,
      net: { cls, label, said: q(msg), at: f.conn.createdAt },
    });
    if (/\bport\b/i.test(msg)) return refused('unsafe-port', 'port', NH.unsafePortThrew, [NC.unsafePort], [NF.otherPort, F.createRead], LEARN.port);
    if (/^ws:/i.test(f.conn.url.trim())) {
      evidence.push({ fact: 'create.mixed', text: NE.mixed(q(f.conn.url)) });
      return refused('mixed-content', 'mixed', NH.mixedContent, [NC.mixed], [NF.useWss, F.createRead], LEARN.mixed);
    }
  }
  return {
    ...base,
    headline: H.createFailed(msg),
    causes: [C.createUrl, C.createProtocols, C.createMixed],
    fixes: [F.createRead, F.checkUrl, F.createWss],
  };
}

export function live(f: Facts): Draft {
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

export function navigated(f: Facts, close: CloseInfo): Draft {
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

export function closedByPage(f: Facts, close: CloseInfo, call: CloseCall): Draft {
  const { conn, info } = f;
  const evidence: Evidence[] = [closeEvidence(close, info), ...callEvidence(call)];
  const base = { category: 'closed-by-page' as const, code: close.code, learnMore: info?.learnMore };
  // A worker's socket (deep capture) was closed by the worker's code: same rule, its own words.
  const closer = conn.worker !== undefined ? 'worker' : 'page';
  if (call.readyState === 0 || conn.openedAt === undefined) {
    evidence.push({ fact: 'open.never', at: conn.createdAt, text: E.neverOpened(fmtDuration(close.at - conn.createdAt)) });
    return {
      ...base,
      severity: 'warning',
      headline: H.byPageWhileConnecting(closer),
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
      headline: H.byPageNoEcho(closer, call.code, call.reason),
      evidence: [...evidence, ...timing(conn, close.at)],
      causes: [C.noEcho, C.pageCode],
      fixes: [F.echoClose, F.followStack],
    };
  }
  return {
    ...base,
    severity: 'info',
    headline: H.byPage(closer, call.code, call.reason),
    evidence: [...evidence, ...reasonEvidence(close)],
    causes: [C.pageCode, C.pageLibrary],
    fixes: [F.followStack],
  };
}

export function phoenix(f: Facts, close: CloseInfo, evidence: Evidence[] = [closeEvidence(close, f.info)]): Draft {
  const info = f.info;
  return {
    category: 'heartbeat-lost',
    severity: 'warning',
    code: close.code,
    headline: H.phoenixHeartbeat,
    evidence: [...evidence, ...reasonEvidence(close), ...timing(f.conn, close.at), ...suspendEvidence(f, close)],
    causes: [...(info?.causes ?? [])],
    fixes: [F.phoenixCheck, F.onResume],
    learnMore: info?.learnMore,
  };
}

export function handshakeFailed(f: Facts, close: CloseInfo): Draft {
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

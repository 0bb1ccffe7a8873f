// 1006 after open: the connection was cut without a close frame, and the code says nothing
// more. Context and timing decide by whom, each with how sure it is: offline (the browser
// said so), a page frozen or hidden over the silence, a send over a known size limit, a known
// intermediary's timeout (rules-timing.ts), a silence nothing known explains, or none of these.
import { E, H } from '../knowledge/i18n/diagnosis.ts';
import { C, F } from '../knowledge/i18n/diagnosis-causes.ts';
import { HCause, HE } from '../knowledge/i18n/honest.ts';
import { SLEEP } from '../knowledge/i18n/sleep.ts';
import { fmtBytes, fmtClock, fmtDuration } from '../knowledge/i18n/text.ts';
import { exceededLimit } from '../knowledge/size-limits.ts';
import type { CloseInfo, PageContextEvent } from '../session/session.ts';
import { closeEvidence, failedSuccessor, largeSend, offlineAround, rel, suspendEvidence, timing } from './evidence.ts';
import { type Draft, type Evidence, type Facts, RULES } from './facts.ts';
import { silenceEvidence, timedCut, timingMatches } from './rules-timing.ts';

/** 1006 after open: the connection was cut. Timing and context decide by whom. */
export function drop(f: Facts, close: CloseInfo): Draft {
  const { conn, info, end } = f;
  const openedAt = conn.openedAt ?? conn.createdAt;
  const silenceMs = end?.silenceMs ?? close.at - openedAt;
  const base = {
    code: close.code,
    learnMore: info?.learnMore,
    evidence: [closeEvidence(close, info), ...timing(conn, close.at), ...silenceEvidence(end, close)],
  };

  const off = offlineAround(f.events, close.at, openedAt - RULES.offlineWindowMs);
  if (off) {
    return {
      ...base,
      category: 'offline',
      severity: 'warning',
      confidence: 'likely',
      headline: H.offline,
      evidence: [...base.evidence, ...off.evidence],
      causes: [C.offline, C.networkSwitch],
      fixes: [F.onlineEvent, F.resync, F.reconnectBackoff],
    };
  }

  // A sleep of the machine during the silence before the cut (the page's clock fell behind the
  // wall clock): the strongest context there is, the close is reported on wake-up.
  const slept = sleepBefore(f, close, openedAt);
  if (slept) {
    return {
      ...base,
      category: 'suspended',
      severity: 'warning',
      confidence: 'likely',
      headline: SLEEP.headline(fmtDuration(slept.jumpMs ?? 0)),
      evidence: [...base.evidence, { fact: 'sleep', at: slept.at, text: SLEEP.evidence(fmtDuration(slept.jumpMs ?? 0), fmtClock(slept.at), rel(slept.at, close.at)) }],
      causes: [SLEEP.cause, C.suspended],
      fixes: [SLEEP.fix, F.onResume, F.resync],
    };
  }

  const suspended = suspendEvidence(f, close);
  if (suspended.length > 0 && strongSuspend(suspended, close, silenceMs)) {
    const d: Draft = {
      ...base,
      category: 'suspended',
      severity: 'warning',
      confidence: 'likely',
      headline: H.suspended,
      evidence: [...base.evidence, ...suspended],
      causes: [C.suspended, C.throttled, ...(suspended.some((e) => e.fact === 'bfcache') ? [C.bfcache] : [])],
      fixes: [F.onResume, F.serverPings, F.resync],
    };
    // A throttled heartbeat is exactly what lets a proxy's idle timer expire: say which one.
    const m = end ? timingMatches(end)[0] : undefined;
    if (m) {
      d.suspect = { name: m.intermediary.name, timeoutMs: m.intermediary.timeoutMs };
      d.causes.push(C.idleKnown(m.intermediary.name, fmtDuration(m.intermediary.timeoutMs)));
    }
    return d;
  }

  const big = largeSend(conn, close.at);
  const limit = big ? exceededLimit(conn.url, big.size) : undefined;
  if (big && limit) {
    const before = fmtDuration(close.at - big.at);
    return {
      ...base,
      category: 'message-too-big',
      severity: 'error',
      confidence: 'likely',
      headline: H.largeSend(fmtBytes(big.size), before),
      evidence: [
        ...base.evidence,
        { fact: 'lastOut.size', at: big.at, text: E.largeSend(fmtBytes(big.size), before) },
        { fact: 'sizeLimit', text: HE.sizeLimit(limit.service, limit.label, limit.unit === 'frame') },
        { fact: 'maxSent', text: E.maxSent(fmtBytes(conn.stats.maxSentSize)) },
      ],
      learnMore: limit.docs,
      causes: [C.sizeLimitDrop, C.sizeGateway, C.sizeCrash],
      fixes: [F.chunk, F.raiseLimit, F.serverLogsAt(fmtClock(close.at))],
    };
  }

  const nextFailed = failedSuccessor(f, close);
  const d = (end && timedCut(end, close, base, nextFailed !== undefined)) ?? abnormal(f, close, base.evidence, nextFailed);
  // Weak context kept as secondary notes: they may have helped, they do not explain the end.
  if (suspended.length > 0) {
    d.evidence.push(...suspended, { fact: 'hidden.weak', text: HE.hiddenWeak });
    d.causes.push(HCause.hidden);
  }
  if (big) {
    d.evidence.push({ fact: 'lastOut.size', at: big.at, text: HE.largeSendPossible(fmtBytes(big.size), fmtDuration(close.at - big.at)) });
    d.causes.push(HCause.sizePossible(fmtBytes(big.size)));
  }
  return d;
}

/** Freeze, bfcache, or a hidden period that covers most of a long silence. */
function strongSuspend(ev: readonly Evidence[], close: CloseInfo, silenceMs: number): boolean {
  if (ev.some((e) => e.fact === 'freeze' || e.fact === 'bfcache')) return true;
  const hidden = ev.find((e) => e.fact === 'hidden');
  if (hidden?.at === undefined) return false;
  const hiddenFor = close.at - hidden.at;
  return hiddenFor >= RULES.hiddenLongMs && hiddenFor >= silenceMs / 2;
}

function abnormal(f: Facts, close: CloseInfo, base: Evidence[], nextFailed: ReturnType<typeof failedSuccessor>): Draft {
  const { conn, info } = f;
  const evidence = [...base];
  if (conn.errorAt !== undefined) evidence.push({ fact: 'error', at: conn.errorAt, text: E.errorEvent });
  if (nextFailed) {
    evidence.push({ fact: 'reconnect.failed', at: nextFailed.createdAt, text: E.nextFailed(fmtDuration(nextFailed.createdAt - close.at)) });
  }
  return {
    code: close.code,
    learnMore: info?.learnMore,
    category: 'abnormal',
    severity: 'error',
    // A reconnect that could not even connect says the server was gone; otherwise one of several.
    confidence: nextFailed ? 'likely' : 'possible',
    headline: nextFailed ? H.serverDown : H.abnormal,
    evidence,
    causes: nextFailed
      ? [C.serverDown, C.crashLooksSame, C.tcpReset]
      : [C.crashLooksSame, C.tcpReset, C.serverTerminate, C.networkSwitch, C.invalidCloseCode],
    fixes: [F.serverLogsAt(fmtClock(close.at)), F.serverPings, F.reconnectBackoff],
  };
}

/**
 * A sleep the page noticed (session/clock.ts: its clock jumped ahead) after the socket's last
 * frame and no later than a moment after the close: the close of a socket that died asleep is
 * reported on wake-up, around when the jump is seen.
 */
function sleepBefore(f: Facts, close: CloseInfo, openedAt: number): PageContextEvent | undefined {
  const conn = f.conn;
  const lastFrame = Math.max(openedAt, conn.lastIn?.at ?? -Infinity, conn.lastOut?.at ?? -Infinity);
  return f.events.find((e) => e.what === 'sleep' && e.at >= lastFrame && e.at <= close.at + RULES.suspendWindowMs);
}

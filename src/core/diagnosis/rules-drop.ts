// 1006 after open: the connection was cut without a close frame, and the code says nothing
// more. Timing and context decide by whom: offline, a suspended tab, a large send just before,
// a known intermediary's idle or lifetime timeout, a long silence, or none of these.
import { E, H } from '../knowledge/i18n/diagnosis.ts';
import { C, F } from '../knowledge/i18n/diagnosis-causes.ts';
import { fmtBytes, fmtClock, fmtDuration } from '../knowledge/i18n/text.ts';
import { heartbeatFor, matchIntermediaries, type IntermediaryMatch } from '../knowledge/intermediaries.ts';
import type { CloseInfo } from '../session/session.ts';
import { closeEvidence, failedSuccessor, largeSend, offlineAround, suspendEvidence, timing } from './evidence.ts';
import { type Diagnosis, type Facts, RULES } from './facts.ts';

/** 1006 after open: the connection was cut. Timing and context decide by whom. */
export function drop(f: Facts, close: CloseInfo): Diagnosis {
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

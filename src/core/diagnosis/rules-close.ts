// Rules for a close frame whose code says what happened: too big, a server error, a server's
// clean close, going away, and every other code by its catalogue entry.
import type { DiagnosisCategory } from '../knowledge/categories.ts';
import type { CodeInfo } from '../knowledge/close-codes.ts';
import { E, H } from '../knowledge/i18n/diagnosis.ts';
import { C, F } from '../knowledge/i18n/diagnosis-causes.ts';
import { fmtBytes, fmtClock, fmtDuration } from '../knowledge/i18n/text.ts';
import type { CloseInfo } from '../session/session.ts';
import { callEvidence, closeEvidence, reasonEvidence } from './evidence.ts';
import { type Draft, type Evidence, type Facts, RULES } from './facts.ts';

export function tooBig(f: Facts, close: CloseInfo, info: CodeInfo): Draft {
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

export function serverError(f: Facts, close: CloseInfo, info: CodeInfo): Draft {
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

export function byServer(f: Facts, close: CloseInfo, info: CodeInfo): Draft {
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

export function goingAway(f: Facts, close: CloseInfo, info: CodeInfo): Draft {
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

export function coded(f: Facts, close: CloseInfo, info: CodeInfo, category: DiagnosisCategory): Draft {
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

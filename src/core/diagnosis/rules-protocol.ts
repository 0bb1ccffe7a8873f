// What the application protocol said about the end: its own goodbye or error frame (the real
// reason, in the server's words, where the WebSocket close says little), and its heartbeat
// (the beat the client waited for and did not get; or beats kept to the very end, which clears
// the server). Claims rest on a protocol recognised as certain or likely, never on a "possible"
// one: a JSON chat that merely looks like Socket.IO must not be explained as Socket.IO.
import { PC, PE, PF, PH } from '../knowledge/i18n/protocols.ts';
import { HC, HF } from '../knowledge/i18n/honest.ts';
import { F } from '../knowledge/i18n/diagnosis-causes.ts';
import { fmtClock, fmtDuration, joinTexts, type Text } from '../knowledge/i18n/text.ts';
import type { HeartbeatFinding, TrackedClose } from '../protocols/index.ts';
import type { CloseInfo } from '../session/session.ts';
import { callEvidence, closeEvidence, reasonEvidence, timing } from './evidence.ts';
import type { Diagnosis, Draft, Evidence, Facts } from './facts.ts';
import { REJECTED, type ProtoFacts } from './proto-facts.ts';

/** The server ended it at the protocol level: its reason is the connection's real reason. */
export function appClosed(f: Facts, close: CloseInfo, p: ProtoFacts, c: TrackedClose): Draft {
  const reason = c.close.reason;
  const rejected = reason !== undefined && REJECTED.test(reason);
  const category = rejected ? 'policy' : c.cls === 'error' ? 'server-error' : 'closed-by-server';
  const headline = rejected ? PH.appRejected(p.label, c.type, reason) : c.cls === 'error' ? PH.appError(p.label, c.type, reason) : PH.appClose(p.label, c.type, reason);
  const evidence: Evidence[] = [{ fact: 'protocol.close', at: c.at, text: PE.frame(p.label, c.type, reason) }];
  if (c.close.detail && c.close.detail !== reason) evidence.push({ fact: 'protocol.detail', text: PE.detail(c.close.detail) });
  if (c.close.reconnect !== undefined) evidence.push({ fact: 'protocol.reconnect', text: PE.reconnect(c.close.reconnect) });
  evidence.push(closeEvidence(close, f.info), ...reasonEvidence(close), ...(f.pageCall ? callEvidence(f.pageCall) : []), ...timing(f.conn, close.at));
  return {
    category,
    severity: category === 'closed-by-server' ? 'warning' : 'error',
    confidence: p.certain ? 'certain' : 'likely',
    code: close.code,
    headline,
    evidence,
    causes: [headline],
    fixes: rejected ? [PF.auth, PF.appReason] : [PF.appReason],
    appClose: { protocol: p.label, type: c.type, ...(reason !== undefined ? { reason } : {}), ...(c.close.code !== undefined ? { code: c.close.code } : {}) },
  };
}

/** The client library closed it because the server's beat was overdue: the server (or the path from it) went silent. */
export function clientGaveUp(f: Facts, close: CloseInfo, p: ProtoFacts, hb: HeartbeatFinding): Draft {
  const over = hb.overdue!;
  const clock = fmtClock(over.dueAt);
  const window = hb.giveUpMs !== undefined ? fmtDuration(hb.giveUpMs) : undefined;
  const headline = PH.clientGaveUp(p.label, clock, window);
  return {
    category: 'heartbeat-lost',
    severity: 'warning',
    // That the beat stopped is measured; whether the server or the path stalled is not.
    confidence: 'likely',
    code: close.code,
    headline,
    evidence: [closeEvidence(close, f.info), ...(f.pageCall ? callEvidence(f.pageCall) : []), ...timing(f.conn, close.at)],
    causes: [headline],
    competitors: [PC.frozen(clock), PC.path(clock), HC.network(clock)],
    fixes: [HF.checkServerAt(clock), F.onResume],
  };
}

/** What the heartbeat adds to any diagnosis: the terms, and what happened to the beats. */
export function addHeartbeat(d: Diagnosis, f: Facts): void {
  const hb = f.proto?.heartbeat;
  if (!hb || !f.proto) return;
  const label = f.proto.label;
  d.evidence.push({ fact: 'protocol.terms', text: PE.terms(label, termsText(hb), hb.terms.from, hb.terms.source === 'default') });
  const over = hb.overdue;
  if (over?.dir === 'in') {
    d.evidence.push(
      f.proto.heartbeat?.terms.pinger === 'client'
        ? { fact: 'protocol.unanswered', at: over.dueAt, text: PE.unanswered(over.missed, fmtDuration(over.silentMs)) }
        : { fact: 'protocol.overdue', at: over.dueAt, text: PE.overdueIn(fmtClock(over.dueAt), over.missed, fmtDuration(over.silentMs)) },
    );
  } else if (over?.dir === 'out') {
    d.evidence.push({ fact: 'protocol.overdueOut', at: over.dueAt, text: PE.overdueOut(fmtClock(over.dueAt), over.missed) });
    if (d.category !== 'closed-by-page' && d.category !== 'heartbeat-lost') {
      d.causes.unshift(PH.serverGaveUp(label, fmtDuration(over.silentMs)));
      d.fixes.push(PF.keepBeating);
    }
  } else if (hb.keptToEnd && hb.inbound) {
    const kept = PE.keptToEnd(hb.inbound.count);
    d.evidence.push({ fact: 'protocol.keptToEnd', text: kept });
    // A server that beat to the end did not crash or stall: for a cut, that moves the blame.
    if (d.category === 'abnormal' || d.category === 'idle-timeout') d.causes.unshift(kept);
  }
  if (hb.gaps) d.evidence.push({ fact: 'protocol.gaps', text: PE.gaps });
}

/** The page's own app-level goodbye, as evidence on a close the page made. */
export function addClientClose(d: Diagnosis, f: Facts): void {
  const c = f.proto?.clientClose;
  if (!c || !f.proto || d.category !== 'closed-by-page') return;
  d.evidence.push({ fact: 'protocol.clientClose', at: c.at, text: PE.clientFrame(f.proto.label, c.type, c.close.reason) });
}

function termsText(hb: HeartbeatFinding): Text {
  const t = hb.terms;
  const parts: Text[] = [];
  const server = t.serverEveryMs ?? (t.pinger !== 'client' ? t.intervalMs : undefined);
  const client = t.clientEveryMs ?? (t.pinger !== 'server' ? t.intervalMs : undefined);
  if (server) parts.push(PE.serverEvery(fmtDuration(server)));
  if (client) parts.push(PE.clientEvery(fmtDuration(client)));
  if (t.intervalMs !== undefined && t.timeoutMs !== undefined) parts.push(PE.giveUp(fmtDuration(t.intervalMs), fmtDuration(t.timeoutMs), fmtDuration(t.intervalMs + t.timeoutMs)));
  return joinTexts(parts);
}

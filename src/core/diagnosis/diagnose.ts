// The diagnosis engine: from what the hook saw of one connection (and its neighbours and
// the page's context events) to a category, the evidence, ranked causes and fixes.
//
// Order of the rules, most decisive first: the constructor threw → what the network (or the
// page's CSP check) said of a handshake that never opened → still live → ended by navigation →
// the page itself closed it → the close code. For 1006 the code says only "no
// close frame", so the timing decides: never opened (handshake), offline, suspended, a large
// send just before, a known intermediary timeout, a long silence, or none of these.
//
// classify() below is that order; each family of rules is a module of its own (rules-*.ts), what
// they all look at is facts.ts, the evidence they share evidence.ts, and what is added to every
// diagnosis whatever the rule (library notes, the reconnect chain) notes.ts.
import { DIAGNOSIS_CATEGORIES, type DiagnosisCategory } from '../knowledge/categories.ts';
import { PHOENIX_HEARTBEAT_REASON } from '../knowledge/close-codes.ts';
import { E } from '../knowledge/i18n/diagnosis.ts';
import { findReconnectChains } from '../session/reconnect.ts';
import type { Connection } from '../session/session.ts';
import { type DiagnoseContext, type Diagnosis, type Draft, type Facts, facts } from './facts.ts';
import { netVerdict } from './net-verdict.ts';
import { addLibrary, addReconnect } from './notes.ts';
import { byServer, coded, goingAway, serverError, tooBig } from './rules-close.ts';
import { drop } from './rules-drop.ts';
import { closedByPage, createFailed, handshakeFailed, live, navigated, phoenix } from './rules-lifecycle.ts';
import { codedEvidence, heartbeatClosed } from './rules-library.ts';
import { timedCoded } from './rules-timing.ts';
import { addClientClose, addHeartbeat, appClosed, clientGaveUp } from './rules-protocol.ts';
import { netFailed, networkRule } from './rules-network.ts';
import { protocolErrorRule, workerEvidence } from './rules-protocol-error.ts';
import { injectedEnd, withFaults } from './rules-injected.ts';
export { topFrame } from './evidence.ts';
export { type Competitor, type Confidence, type DiagnoseContext, type Diagnosis, type Evidence, type NetVerdict, RULES } from './facts.ts';
export { retryAfterMs } from './net-verdict.ts';
export { describeBackoff } from './notes.ts';

export { DIAGNOSIS_CATEGORIES, type DiagnosisCategory };

export function diagnose(conn: Connection, ctx: DiagnoseContext): Diagnosis {
  const chains = ctx.chains ?? findReconnectChains(ctx.connections, { now: ctx.now });
  const f = facts(conn, ctx, chains);
  // A fault injected from the panel is the developer's own doing: it comes before any rule that
  // would read the same end as a real failure (rules-injected.ts).
  const draft = injectedEnd(f) ?? withFaults(classify(f), f);
  const d: Diagnosis = { ...draft, confidence: draft.confidence ?? 'certain' };
  const worker = workerEvidence(f, ctx.network?.get(conn.id));
  if (worker) d.evidence.push(worker);
  addLibrary(d, f);
  addHeartbeat(d, f);
  addClientClose(d, f);
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

function classify(f: Facts): Draft {
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
  // The browser said why it failed the connection (deep capture, or a HAR): that beats every
  // reading of the 1006 below, the page's own close() call included (a server may answer the
  // page's close with a reserved code, and the page then sees 1006, not its own code).
  const broken = protocolErrorRule(f, f.ctx.network?.get(conn.id));
  if (broken) return broken;
  if (!close || !info) return live(f);
  if (close.synthetic) return navigated(f, close);
  const end = f.end;
  // The application protocol's own goodbye or error, when it was the server's last word, is the
  // real reason whatever the WebSocket close says (clients often close the socket themselves after it).
  const app = f.proto?.serverClose;
  if (app && f.proto) return appClosed(f, close, f.proto, app);
  // The client library closed it once the server's heartbeat was overdue.
  const hb = f.proto?.heartbeat;
  if (hb?.overdue?.dir === 'in' && f.pageCall && f.proto) return clientGaveUp(f, close, f.proto, hb);
  // A library that gave up on a silent server closed it: the page's call, the server's silence.
  if (end?.heartbeat && close.reason !== PHOENIX_HEARTBEAT_REASON && f.pageCall) return heartbeatClosed(f, close, end.heartbeat);
  // Whatever the code, a close the page asked for is the page's own decision.
  if (f.pageCall) return closedByPage(f, close, f.pageCall);
  const code = close.code;
  // Some proxies close an idle socket with a close frame (an LB's 1001 "going away"): timing first.
  const timed = (code === 1000 || code === 1001) && end?.opened ? timedCoded(end, close, { code, learnMore: info.learnMore, evidence: codedEvidence(f, close) }) : undefined;
  if (timed) return timed;
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

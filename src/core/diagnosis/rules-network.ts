// Rules for a handshake the network (or the browser's own checks) saw fail, was blocked before
// any request, or was seen on the network only.
import { E } from '../knowledge/i18n/diagnosis.ts';
import { C, F } from '../knowledge/i18n/diagnosis-causes.ts';
import { concat, fmtDuration } from '../knowledge/i18n/text.ts';
import type { NetClass, NetView } from '../network/net.ts';
import { NE, NH } from '../knowledge/i18n/network.ts';
import { NC, NF } from '../knowledge/i18n/network-causes.ts';
import { closeEvidence, offlineAround } from './evidence.ts';
import type { Draft, Evidence, Facts, NetVerdict } from './facts.ts';
import { explain } from './net-explain.ts';
import { LEARN, netEvidence, netVerdict } from './net-verdict.ts';
import { live } from './rules-lifecycle.ts';

export function networkRule(f: Facts): Draft | undefined {
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

/** Classes where the server answered: the browser was online, whatever the events say. */
const ANSWERED: ReadonlySet<NetClass> = new Set([
  'unauthorized', 'forbidden', 'bad-request', 'not-found', 'not-websocket', 'redirect', 'upgrade-required',
  'rate-limited', 'unavailable', 'server-error', 'bad-gateway', 'http-error', 'subprotocol', 'invalid-response',
]);
/** Classes decided in the browser, before any request: offline does not explain them. */
const LOCAL: ReadonlySet<NetClass> = new Set(['csp', 'mixed-content', 'unsafe-port', 'blocked-client']);

export function netFailed(f: Facts, view: NetView | undefined, v: NetVerdict): Draft {
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
  const d: Draft = {
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
function blockedUnknown(f: Facts): Draft {
  const { conn, close } = f;
  const evidence: Evidence[] = [{ fact: 'create.closed', at: conn.createdAt, text: NE.closedAtCreate }];
  if (conn.errorAt !== undefined) evidence.push({ fact: 'error', at: conn.errorAt, text: E.errorEvent });
  const d: Draft = {
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
function netOnlySeen(f: Facts, view: NetView | undefined): Draft {
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

// Faults the developer injected from the panel (core/faults/): a connection whose end was one
// (the panel dropped it, closed it as the server would, or failed the attempt by a fail-next
// rule) is explained as that, never as a real failure; a connection that ended inside the window
// of an injected fault (a silence, dropped inbound messages, a delay, blocked sends) is explained
// as caused by it, the normal rule's reading kept as evidence; any other connection with faults
// keeps its rule and gets one evidence line per fault.
//
// "Inside the window" (RULES.faultSlackMs after the window closes still counts):
// - silence: [at, at + ms]; a client's heartbeat give-up, or an end by the server or the browser
//   (the page could not answer the server's pings it never saw);
// - drop-next: from `at` to the first real inbound message after it (by then the n were eaten),
//   or to the end if none came; the same ends as a silence;
// - delay of RULES.faultDelayMinMs or more: from `at` until turned off (delay 0, clear); a
//   client's heartbeat give-up only (the server still hears the page);
// - block-sends: from `at` until turned off; an end by the server or the browser only (it missed
//   the page's sends, its pongs among them).
// A close the page asked for that is not a known heartbeat give-up stays the page's decision.
import { endpointOf } from '../session/reconnect.ts';
import type { Connection, FaultRecord } from '../session/session.ts';
import { fmtClock, fmtDuration, type Text } from '../knowledge/i18n/text.ts';
import { DURING, FC, FE, FF, FH, failRule, faultEvidence } from '../knowledge/i18n/faults.ts';
import { closeEvidence, timing } from './evidence.ts';
import { type Draft, type Evidence, type Facts, RULES } from './facts.ts';

function lastOf(list: readonly FaultRecord[], ok: (r: FaultRecord) => boolean): FaultRecord | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (ok(list[i]!)) return list[i];
  return undefined;
}

/** Every fault of the connection as evidence (refused ones too: they were about it). */
export function faultsEvidence(c: Connection): Evidence[] {
  const out: Evidence[] = (c.faults ?? []).map((r) => ({ fact: r.ok ? `fault.${r.op}` : 'fault.refused', at: r.at, text: faultEvidence(r) }));
  if (c.faultsDropped) out.unshift({ fact: 'fault.dropped', text: FE.dropped(c.faultsDropped) });
  return out;
}

/** The connection ended by an injected fault: the panel's drop or close, or a fail-next rule. */
export function injectedEnd(f: Facts): Draft | undefined {
  const { conn, close } = f;
  const faults = conn.faults ?? [];
  const failed = lastOf(faults, (r) => r.ok && r.op === 'fail-next');
  if (!close?.injected && !failed) return undefined;
  let headline: Text;
  if (failed) {
    const rule = docRule(f, failed);
    headline = FH.failed(failRule(rule ?? failed, rule?.at));
  } else {
    const by = lastOf(faults, (r) => r.ok && (r.op === 'drop' || r.op === 'close'));
    const at = fmtClock(by?.at ?? close!.at);
    headline =
      by?.op === 'close' || (!by && close!.code !== 1006)
        ? FH.closed(at, close!.code, f.info?.name.en ?? '', close!.reason)
        : FH.dropped(at);
  }
  const evidence: Evidence[] = [...faultsEvidence(conn)];
  if (close) evidence.push(closeEvidence(close, f.info), ...timing(conn, close.at));
  return {
    category: 'injected',
    severity: 'info',
    confidence: 'certain',
    ...(close ? { code: close.code } : {}),
    headline,
    evidence,
    causes: [FC.test],
    fixes: [FF.recovery],
  };
}

/** The document's fail-next rule in force when the attempt was made, to the same endpoint. */
function docRule(f: Facts, failed: FaultRecord): FaultRecord | undefined {
  const rules = f.ctx.faults;
  if (!rules) return undefined;
  const ep = endpointOf(f.conn.url);
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (r.doc !== f.conn.doc || r.op !== 'fail-next' || !r.ok || r.at > f.conn.createdAt) continue;
    if (r.url !== undefined && r.url !== f.conn.url && endpointOf(r.url) !== ep) continue;
    if (failed.as !== undefined && r.as !== undefined && r.as !== failed.as) continue;
    return r;
  }
  return undefined;
}

/**
 * A draft of the normal rules, given the connection's faults: their evidence added, and the
 * category turned to `injected` when the end came inside a fault's window (the header says how).
 */
export function withFaults(d: Draft, f: Facts): Draft {
  const faults = f.conn.faults;
  if (!faults?.length) return d;
  d.evidence.push(...faultsEvidence(f.conn));
  const trigger = triggerOf(d, f);
  if (!trigger) return d;
  return {
    category: 'injected',
    severity: 'info',
    confidence: 'likely',
    ...(d.code !== undefined ? { code: d.code } : {}),
    headline: FH.gaveUp(trigger.who, trigger.during),
    evidence: [...d.evidence, { fact: 'fault.otherwise', text: FE.otherwise(d.headline) }],
    causes: [FC.caused],
    fixes: trigger.who === 'client' ? [FF.heartbeat, FF.recovery] : [FF.recovery],
    ...(d.learnMore !== undefined ? { learnMore: d.learnMore } : {}),
  };
}

function triggerOf(d: Draft, f: Facts): { who: 'client' | 'server'; during: Text } | undefined {
  const { close, end, conn } = f;
  if (!close || close.synthetic || !end) return undefined;
  const faults = conn.faults ?? [];
  const at = close.at;
  const slack = RULES.faultSlackMs;
  const client = d.category === 'heartbeat-lost' || end.heartbeat !== undefined;
  const server = !client && (end.by === 'server' || end.by === 'browser');
  const who = client ? 'client' : 'server';
  /** When the fault at index i was turned off (a later one of `ops`), if it was. */
  const offAt = (i: number, ops: readonly string[]): number | undefined => faults.slice(i + 1).find((r) => r.ok && ops.includes(r.op))?.at;
  for (let i = faults.length - 1; i >= 0; i--) {
    const r = faults[i]!;
    if (!r.ok || r.at > at) continue;
    const clock = fmtClock(r.at);
    switch (r.op) {
      case 'silence': {
        const until = Math.min(r.at + (r.ms ?? 0), offAt(i, ['clear']) ?? Infinity);
        if ((client || server) && at <= until + slack) return { who, during: DURING.silence(fmtDuration(r.ms ?? 0), clock) };
        break;
      }
      case 'drop-next': {
        const through = conn.messages.find((m) => m.dir === 'in' && !m.inj && m.at > r.at)?.at;
        if ((client || server) && (through === undefined || at <= through + slack)) return { who, during: DURING.dropNext(r.n ?? 0, clock) };
        break;
      }
      case 'delay': {
        if (!client || (r.ms ?? 0) < RULES.faultDelayMinMs) break;
        const off = offAt(i, ['delay', 'clear']);
        if (off === undefined || at <= off + slack) return { who, during: DURING.delay(fmtDuration(r.ms ?? 0), clock) };
        break;
      }
      case 'block-sends': {
        if (!server || !r.pattern) break;
        const off = offAt(i, ['block-sends', 'clear']);
        if (off === undefined || at <= off + slack) return { who, during: DURING.blocked(r.pattern, clock) };
        break;
      }
    }
  }
  return undefined;
}

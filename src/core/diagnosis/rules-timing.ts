// What the timing of an end can say, and how sure it is: silence in each direction, a known
// intermediary's idle or lifetime timeout (likely), a silence no known timeout explains
// (possible: a crash, an intermediary or the network, side by side), a socket that carried no
// traffic (idle cut and lifetime cap cannot be told apart). Used for 1006 after open and for
// 1000/1001 close frames, which some proxies send on idle too (an LB's "going away").
import { HC, HCause, HE, HF, HH, type Competitor } from '../knowledge/i18n/honest.ts';
import { C, F } from '../knowledge/i18n/diagnosis-causes.ts';
import { E, H } from '../knowledge/i18n/diagnosis.ts';
import { fmtClock, fmtDuration } from '../knowledge/i18n/text.ts';
import { heartbeatFor, matchIntermediaries, type IntermediaryMatch } from '../knowledge/intermediaries.ts';
import type { ConnectionEnd } from '../session/end.ts';
import type { CloseInfo } from '../session/session.ts';
import type { Draft, Evidence } from './facts.ts';
import { RULES } from './facts.ts';

/** Silence since the last inbound and the last outbound frame, as evidence. */
export function silenceEvidence(end: ConnectionEnd | undefined, close: CloseInfo): Evidence[] {
  if (end?.silenceInMs === undefined || end.silenceOutMs === undefined) return [];
  return [
    { fact: 'silence.in', at: close.at - end.silenceInMs, text: HE.silenceIn(fmtDuration(end.silenceInMs)) },
    { fact: 'silence.out', at: close.at - end.silenceOutMs, text: HE.silenceOut(fmtDuration(end.silenceOutMs)) },
  ];
}

/** Intermediaries matching the end's timing; idle ones need silence in both directions. */
export function timingMatches(end: ConnectionEnd): IntermediaryMatch[] {
  if (end.silenceMs === undefined || end.lifetimeMs === undefined) return [];
  return matchIntermediaries({ silenceMs: end.silenceMs, lifetimeMs: end.lifetimeMs });
}

type Base = Pick<Draft, 'code' | 'learnMore' | 'evidence'>;

/**
 * A 1006 after open that offline, suspension and size did not explain. Returns undefined when
 * timing says nothing (a cut right after traffic): the caller's plain "abnormal" applies.
 */
export function timedCut(end: ConnectionEnd, close: CloseInfo, base: Base, failedNext: boolean): Draft | undefined {
  const matches = timingMatches(end);
  const clock = fmtClock(close.at);
  const silenceMs = end.silenceMs ?? 0;
  if (matches[0] && end.noFrames) return noTraffic(end, matches, base, clock);
  if (matches[0]) return known(end, matches, base, clock, H.idleKnown, H.lifetimeKnown);
  const silence = fmtDuration(silenceMs);
  const serverSilent =
    end.silenceInMs !== undefined && end.silenceOutMs !== undefined &&
    end.silenceInMs >= RULES.serverSilentMinMs && end.silenceOutMs < RULES.idleMinSilenceMs;
  if (serverSilent && !failedNext) {
    const inSilence = fmtDuration(end.silenceInMs!);
    return {
      ...base,
      category: 'abnormal',
      severity: 'error',
      confidence: 'possible',
      headline: HH.serverSilent(inSilence),
      causes: [HCause.serverStopped(inSilence), C.crashLooksSame, C.tcpReset],
      competitors: [HC.crash(clock), HC.network(clock)],
      fixes: [F.serverLogsAt(clock), F.serverPings, F.reconnectBackoff],
    };
  }
  if (silenceMs >= RULES.idleMinSilenceMs && !failedNext) {
    return {
      ...base,
      category: 'abnormal',
      severity: 'warning',
      confidence: 'possible',
      headline: HH.cutAfterSilence(silence),
      evidence: [...base.evidence, { fact: 'silence.pings', text: E.invisiblePings }],
      // Not ranked: the recording cannot tell them apart, the competitors say what would.
      causes: [C.crashLooksSame, C.idleUnknown(silence), C.networkSwitch],
      competitors: [HC.crash(clock), HC.intermediary(silence), HC.network(clock)],
      fixes: [
        F.serverLogsAt(clock),
        F.findIntermediaries,
        F.heartbeat(fmtDuration(heartbeatFor(silenceMs)), silence),
        F.reconnectBackoff,
      ],
    };
  }
  return undefined;
}

/** A 1000/1001 close frame whose silence matches a known idle timeout: some proxies close so. */
export function timedCoded(end: ConnectionEnd, close: CloseInfo, base: Base): Draft | undefined {
  if (end.noFrames) return undefined;
  const matches = timingMatches(end).filter((m) => m.intermediary.basis === 'idle');
  if (!matches[0]) return undefined;
  const clock = fmtClock(close.at);
  const code = close.code;
  const d = known(end, matches, base, clock, (s, name, t) => HH.coded(code, s, name, t), H.lifetimeKnown);
  d.competitors = [code === 1001 ? HC.deploy(clock) : HC.serverDeliberate(clock), ...(d.competitors ?? []).slice(1)];
  d.severity = 'warning';
  return d;
}

type Headline = (silence: ReturnType<typeof fmtDuration>, name: string, timeout: ReturnType<typeof fmtDuration>) => Draft['headline'];

function names(matches: readonly IntermediaryMatch[]): { best: IntermediaryMatch; same: IntermediaryMatch[]; name: string } {
  const best = matches[0]!;
  const it = best.intermediary;
  // Intermediaries with the very same default are indistinguishable by timing: name them all.
  const same = matches.filter((m) => m.intermediary.timeoutMs === it.timeoutMs && m.intermediary.basis === it.basis);
  return { best, same, name: same.map((m) => m.intermediary.name).join(' / ') };
}

/** Timing within tolerance of a known timeout: that intermediary is likely, a crash still possible. */
function known(end: ConnectionEnd, matches: readonly IntermediaryMatch[], base: Base, clock: string, idle: Headline, life: Headline): Draft {
  const { best, same, name } = names(matches);
  const it = best.intermediary;
  const timeout = fmtDuration(it.timeoutMs);
  const silence = fmtDuration(end.silenceMs ?? 0);
  const d: Draft = {
    ...base,
    evidence: [...base.evidence],
    category: 'idle-timeout',
    severity: 'warning',
    confidence: 'likely',
    headline: H.abnormal,
    causes: [],
    fixes: [],
    suspect: { name, timeoutMs: it.timeoutMs },
    learnMore: it.docs,
  };
  const competitors: Competitor[] = [HC.crash(clock)];
  if (it.basis === 'idle') {
    d.headline = idle(silence, name, timeout);
    d.evidence.push({ fact: 'silence', at: end.at - (end.silenceMs ?? 0), text: E.silence(silence) });
    d.causes.push(C.idleKnown(name, timeout));
    for (const m of matches) {
      if (!same.includes(m)) d.evidence.push({ fact: 'silence.alt', text: E.otherMatch(m.intermediary.name, fmtDuration(m.intermediary.timeoutMs)) });
    }
    d.causes.push(C.noHeartbeat, C.crashLooksSame);
    d.fixes.push(F.heartbeat(fmtDuration(heartbeatFor(it.timeoutMs)), timeout), ...same.map((m) => m.intermediary.remedy));
  } else {
    const lifetime = fmtDuration(end.lifetimeMs ?? 0);
    d.headline = life(lifetime, name, timeout);
    d.evidence.push({ fact: 'lifetime', text: E.lifetime(lifetime) });
    // Traffic does not reset a lifetime cap, so the timing is the only clue: a crash at that
    // moment would look the same.
    d.causes.push(C.lifetimeKnown(name, timeout), C.crashLooksSame);
    d.fixes.push(...same.map((m) => m.intermediary.remedy));
  }
  competitors.push(HC.network(clock));
  d.competitors = competitors;
  d.fixes.push(F.reconnectBackoff);
  return d;
}

/**
 * No frame either way: the silence is the lifetime, so an idle timer and a lifetime cap expire
 * at the same moment. Name the match, but as one of two, and let a heartbeat decide.
 */
function noTraffic(end: ConnectionEnd, matches: readonly IntermediaryMatch[], base: Base, clock: string): Draft {
  const { best, same, name } = names(matches);
  const timeout = fmtDuration(best.intermediary.timeoutMs);
  const lifetime = fmtDuration(end.lifetimeMs ?? 0);
  return {
    ...base,
    evidence: [...base.evidence, { fact: 'silence', at: end.at - (end.silenceMs ?? 0), text: E.silence(lifetime) }],
    category: 'idle-timeout',
    severity: 'warning',
    confidence: 'possible',
    headline: HH.noTraffic(lifetime, name, timeout),
    suspect: { name, timeoutMs: best.intermediary.timeoutMs },
    learnMore: best.intermediary.docs,
    causes: same.map((m) => (m.intermediary.basis === 'idle' ? C.idleKnown(m.intermediary.name, timeout) : C.lifetimeKnown(m.intermediary.name, timeout))),
    competitors: [HC.idleNoTraffic(timeout), HC.lifetime(name, timeout), HC.crash(clock)],
    fixes: [HF.heartbeatTest(fmtDuration(heartbeatFor(best.intermediary.timeoutMs)), timeout), F.reconnectBackoff],
  };
}

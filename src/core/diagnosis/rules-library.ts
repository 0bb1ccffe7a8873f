// A client library's own close after its heartbeat (or connection acknowledgement) timed out:
// the page called close(), but what happened is that the server, or the path to it, went silent
// for the library's window. Recognised in knowledge/client-heartbeats.ts.
import type { HeartbeatClose } from '../knowledge/client-heartbeats.ts';
import { E } from '../knowledge/i18n/diagnosis.ts';
import { F } from '../knowledge/i18n/diagnosis-causes.ts';
import { HC, HE, HF, HH } from '../knowledge/i18n/honest.ts';
import { fmtClock, fmtDuration } from '../knowledge/i18n/text.ts';
import type { CloseInfo } from '../session/session.ts';
import { callEvidence, closeEvidence, reasonEvidence, timing } from './evidence.ts';
import type { Draft, Evidence, Facts } from './facts.ts';
import { silenceEvidence } from './rules-timing.ts';

export function heartbeatClosed(f: Facts, close: CloseInfo, hb: HeartbeatClose): Draft {
  const window = hb.windowMs !== undefined ? fmtDuration(hb.windowMs) : undefined;
  const clock = fmtClock(close.at);
  const evidence: Evidence[] = [closeEvidence(close, f.info), ...(f.pageCall ? callEvidence(f.pageCall) : [])];
  evidence.push(...timing(f.conn, close.at), ...silenceEvidence(f.end, close));
  evidence.push({ fact: 'library.heartbeat', text: HE.libraryWindow(hb.library, window) });
  return {
    // A heartbeat that went unanswered is a lost link, not a goodbye; an ack timeout or a close
    // the app's own code also sends stays the page's close.
    category: hb.what === 'heartbeat' && !hb.alsoByApp ? 'heartbeat-lost' : 'closed-by-page',
    severity: 'warning',
    // The library's own close says its timer expired; why the server was silent is open.
    confidence: 'likely',
    code: close.code,
    headline: hb.what === 'ack' ? HH.ack(hb.library) : HH.heartbeat(hb.library, window),
    evidence,
    causes: [HE.libraryWindow(hb.library, window)],
    competitors: [HC.crash(clock), HC.network(clock)],
    fixes: [HF.checkServerAt(clock), F.onResume],
    learnMore: hb.docs,
  };
}

/** The close frame, its reason and the absence of a close() call: what a coded close shows. */
export function codedEvidence(f: Facts, close: CloseInfo): Evidence[] {
  return [closeEvidence(close, f.info), ...reasonEvidence(close), { fact: 'closeCall.none', text: E.noCloseCall }, ...silenceEvidence(f.end, close)];
}

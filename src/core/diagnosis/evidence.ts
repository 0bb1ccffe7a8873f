// Evidence the rules share: the close frame and reason, timing, the page's close() call and its
// caller, offline and suspension around the end, a large send before it, a failed successor.
import type { CodeInfo } from '../knowledge/close-codes.ts';
import { E } from '../knowledge/i18n/diagnosis.ts';
import { fmtBytes, fmtClock, fmtDuration, type Text } from '../knowledge/i18n/text.ts';
import type { CloseCall, CloseInfo, Connection, PageContextEvent } from '../session/session.ts';
import { type Evidence, type Facts, RULES } from './facts.ts';

export function closeEvidence(close: CloseInfo, info: CodeInfo | undefined): Evidence {
  const name = info?.name ?? { en: '', ja: '' };
  return { fact: 'close.code', at: close.at, text: E.closeEvent(close.code, name, fmtClock(close.at)) };
}

export function reasonEvidence(close: CloseInfo): Evidence[] {
  return close.reason ? [{ fact: 'close.reason', text: E.reason(close.reason) }] : [{ fact: 'close.reason', text: E.noReason }];
}

/** When it opened and when the last frames went each way, relative to `end`. */
export function timing(conn: Connection, end: number): Evidence[] {
  const out: Evidence[] = [];
  if (conn.openedAt !== undefined) {
    out.push({ fact: 'open', at: conn.openedAt, text: E.opened(fmtClock(conn.openedAt), fmtDuration(end - conn.openedAt)) });
  }
  if (conn.lastIn) out.push({ fact: 'lastIn', at: conn.lastIn.at, text: E.lastIn(fmtBytes(conn.lastIn.size), fmtDuration(end - conn.lastIn.at)) });
  if (conn.lastOut) out.push({ fact: 'lastOut', at: conn.lastOut.at, text: E.lastOut(fmtBytes(conn.lastOut.size), fmtDuration(end - conn.lastOut.at)) });
  if (!conn.lastIn && !conn.lastOut && conn.openedAt !== undefined) out.push({ fact: 'frames.none', text: E.noFrames });
  return out;
}

export function callEvidence(call: CloseCall): Evidence[] {
  const out: Evidence[] = [{ fact: 'closeCall', at: call.at, text: E.closeCall(call.code, call.reason, fmtClock(call.at)) }];
  if (call.readyState === 0) out.push({ fact: 'closeCall.connecting', at: call.at, text: E.closeCallConnecting });
  const frame = topFrame(call.stack);
  if (frame) out.push({ fact: 'closeCall.stack', text: E.closeCallFrom(frame) });
  return out;
}

/**
 * The caller's frame: the first stack line that is not the hook's own. Chrome writes
 * "    at fn (url:line:col)", Firefox "fn@url:line:col".
 */
export function topFrame(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  for (const raw of stack.split('\n')) {
    const line = raw.trim();
    const isFrame = line.startsWith('at ') || /@.+:\d+/.test(line);
    if (!isFrame) continue;
    if (/(chrome|moz)-extension:\/\/|socket-autopsy/.test(line)) continue;
    return line.replace(/^at /, '');
  }
  return undefined;
}

export const rel = (at: number, ref: number): Text => (at <= ref ? E.before(fmtDuration(ref - at)) : E.after(fmtDuration(at - ref)));

/**
 * The browser was offline around `at`: an `offline` no later than `at` + window whose next
 * `online` (if any) came no earlier than `at` − window. `from` ignores offline spans that ended
 * before the socket even existed.
 */
export function offlineAround(events: readonly PageContextEvent[], at: number, from: number): { evidence: Evidence[] } | undefined {
  const W = RULES.offlineWindowMs;
  let found: { off: PageContextEvent; on: PageContextEvent | undefined } | undefined;
  events.forEach((e, i) => {
    if (e.what !== 'offline' || e.at > at + W) return;
    const on = events.slice(i + 1).find((x) => x.what === 'online');
    if (on && (on.at < at - W || on.at < from)) return;
    found = { off: e, on };
  });
  if (!found) return undefined;
  const evidence: Evidence[] = [{ fact: 'offline', at: found.off.at, text: E.offline(fmtClock(found.off.at), rel(found.off.at, at)) }];
  if (found.on) evidence.push({ fact: 'online', at: found.on.at, text: E.online(fmtClock(found.on.at), rel(found.on.at, at)) });
  return { evidence };
}

const SUSPEND_START = (e: PageContextEvent): boolean =>
  e.what === 'hidden' || e.what === 'freeze' || (e.what === 'pagehide' && e.persisted === true);
const SUSPEND_END = (e: PageContextEvent): boolean => e.what === 'visible' || e.what === 'resume' || e.what === 'pageshow';

/**
 * The page was hidden, frozen or in the bfcache when the socket died: a start no later than
 * the close, with no end before close − window (a socket killed while suspended reports its
 * close on resume, a moment after the end event).
 */
export function suspendEvidence(f: Facts, close: CloseInfo): Evidence[] {
  const events = f.events;
  const W = RULES.suspendWindowMs;
  let spanStart = -1;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.at > close.at + W) break;
    if (SUSPEND_START(e) && e.at <= close.at) {
      if (spanStart === -1) spanStart = i;
    } else if (SUSPEND_END(e)) {
      if (e.at >= close.at - W) break; // the span reached the close: keep it
      spanStart = -1; // the page was back well before the close
    }
  }
  if (spanStart === -1) return [];
  const out: Evidence[] = [];
  for (const e of events.slice(spanStart)) {
    if (e.at > close.at + W) break;
    const clock = fmtClock(e.at);
    const r = rel(e.at, close.at);
    if (e.what === 'hidden') out.push({ fact: 'hidden', at: e.at, text: E.hidden(clock, r) });
    else if (e.what === 'freeze') out.push({ fact: 'freeze', at: e.at, text: E.freeze(clock, r) });
    else if (e.what === 'pagehide' && e.persisted) out.push({ fact: 'bfcache', at: e.at, text: E.bfcache(clock, r) });
    else if (SUSPEND_END(e)) {
      out.push({ fact: 'resume', at: e.at, text: E.resumed(clock, r) });
      break;
    }
  }
  return out;
}

/** A large outbound message shortly before `at`. Messages are in time order; scan from the end. */
export function largeSend(conn: Connection, at: number): { at: number; size: number } | undefined {
  for (let i = conn.messages.length - 1; i >= 0; i--) {
    const m = conn.messages[i]!;
    if (m.at > at) continue;
    if (at - m.at > RULES.largeSendWindowMs) break;
    if (m.dir === 'out' && m.size >= RULES.largeSendBytes) return { at: m.at, size: m.size };
  }
  const last = conn.lastOut;
  if (last && last.size >= RULES.largeSendBytes && last.at <= at && at - last.at <= RULES.largeSendWindowMs) return last;
  return undefined;
}

/** The next socket to the same endpoint, if it failed its handshake: the server was gone. */
export function failedSuccessor(f: Facts, close: CloseInfo): Connection | undefined {
  const pos = f.pos;
  const nextId = pos?.chain.connectionIds[pos.index + 1];
  const next = nextId ? f.byId.get(nextId) : undefined;
  if (!next || next.openedAt !== undefined || !next.close || next.close.at < close.at) return undefined;
  return next.close.code === 1006 || next.close.code === 1015 ? next : undefined;
}

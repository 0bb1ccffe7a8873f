// From the page's monotonic clock to wall time.
//
// Every `t` is the page's performance.now(), and a document's hello gives performance.timeOrigin:
// timeOrigin + t is wall time as long as the two clocks run together. They part after a sleep
// (performance.now() may not advance while the machine sleeps: HR-Time's note on monotonic
// clocks; platforms differ) or when the system clock is set, and then every time shown, and every
// "check the server logs at HH:MM:SS", would be off by the sleep. The hook sends a `clock` anchor
// whenever the offset moved by more than CLOCK_STEP_MS (page-hook/emit.ts); here each `t` is mapped
// with the latest anchor at or before it, and each jump becomes a page context event a rule can
// read ("a sleep of N s right before the cut").
import { CLOCK_STEP_MS } from '../wire/limits.ts';
import type { HookEventOf } from '../wire/protocol.ts';
import type { PageContextEvent } from './connection.ts';
import type { ClockAnchor, DocState } from './state.ts';

/** A forward jump at least this large is called a sleep: no clock correction moves a minute. */
export const SLEEP_MIN_MS = 30_000;

/** Anchors kept per document; only the latest ones map new events, older ones are history. */
const ANCHORS_MAX = 64;

/** wall − (timeOrigin + t) in effect at `t`: 0 before the first anchor. */
function offsetAt(d: DocState, t: number): number {
  const a = d.anchors;
  if (a === undefined) return 0;
  for (let i = a.length - 1; i >= 0; i--) if (a[i]!.t <= t) return a[i]!.offset;
  return 0;
}

/** Wall time (ms since the epoch) of the document's monotonic `t`. */
export function wallOf(d: DocState, t: number): number {
  return d.anchors === undefined ? d.timeOrigin + t : d.timeOrigin + t + offsetAt(d, t);
}

/**
 * Takes an anchor in; returns the context event for the jump it reveals, if it moved the offset
 * by more than CLOCK_STEP_MS (the hook sends none that does not, but a replay or an older hook
 * may), with `at` its wall time and `jumpMs` the size (positive: wall time ran ahead).
 */
export function applyClock(d: DocState, ev: HookEventOf<'clock'>): PageContextEvent | undefined {
  const offset = ev.wall - (d.timeOrigin + ev.t);
  const jump = offset - offsetAt(d, ev.t);
  const anchor: ClockAnchor = { t: ev.t, offset };
  const a = (d.anchors ??= []);
  // In order of t: the hook sends them so, but a list kept sorted costs nothing here.
  let i = a.length;
  while (i > 0 && a[i - 1]!.t > ev.t) i--;
  a.splice(i, 0, anchor);
  if (a.length > ANCHORS_MAX) a.shift();
  if (Math.abs(jump) <= CLOCK_STEP_MS) return undefined;
  return { doc: d.doc, at: ev.wall, what: jump >= SLEEP_MIN_MS ? 'sleep' : 'clock-jump', jumpMs: Math.round(jump) };
}

// How the message list shows and filters a message's application-protocol frames: its label
// (first frame's type, "+N" for more, the latency of an answer), its class for colour, and
// whether it passes the heartbeat toggle and the frame-type pick. Plain functions over the
// decode results (core/protocols/track.ts), tested without a DOM.
import type { MessageResult } from '../../core/protocols/index.ts';
import type { FrameClass } from '../../core/protocols/types.ts';

export interface FrameFilter {
  /** Hide messages whose every frame is a heartbeat. */
  hideHeartbeats: boolean;
  /** Only messages with a frame of this type ('' = any). */
  type: string;
}

export const NO_FRAME_FILTER: FrameFilter = { hideHeartbeats: false, type: '' };

export interface FrameCell {
  text: string;
  cls: FrameClass | 'raw' | 'none';
  /** Longer text for the tooltip: every frame's type, id and topic, or why it is raw. */
  title: string;
}

const fmtMs = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`);

export function frameCell(r: MessageResult | undefined): FrameCell {
  if (!r) return { text: '', cls: 'none', title: '' };
  if ('uncaptured' in r) return { text: '', cls: 'none', title: '' };
  if ('error' in r) return { text: 'raw', cls: 'raw', title: r.error };
  const first = r.frames[0];
  if (!first) return { text: '', cls: 'none', title: '' };
  const more = r.frames.length > 1 ? ` +${r.frames.length - 1}` : '';
  const lat = r.latencyMs.find((x) => x !== undefined);
  const cls = r.frames.some((f) => f.cls === 'error') ? 'error' : r.frames.some((f) => f.cls === 'close') ? 'close' : first.cls;
  const title = r.frames
    .map((f) => [f.type, f.id !== undefined ? `id=${f.id}` : '', f.topic ? `@ ${f.topic}` : '', f.partial ? '(partial)' : ''].filter(Boolean).join(' '))
    .join('\n');
  return { text: `${first.type}${more}${lat !== undefined ? ` · ${fmtMs(lat)}` : ''}`, cls, title };
}

/** Whether a message passes the frame filter. Messages that did not decode pass unless a type is picked. */
export function passesFrames(r: MessageResult | undefined, f: FrameFilter): boolean {
  if (!f.hideHeartbeats && !f.type) return true;
  const frames = r && 'frames' in r ? r.frames : undefined;
  if (f.hideHeartbeats && frames && frames.length > 0 && frames.every((x) => x.cls === 'heartbeat')) return false;
  if (f.type) return !!frames?.some((x) => x.type === f.type);
  return true;
}

/** The frame types seen, most frequent first (for the type pick), at most `max`. */
export function frameTypes(results: Iterable<MessageResult | undefined>, max = 50): string[] {
  const count = new Map<string, number>();
  for (const r of results) {
    if (!r || !('frames' in r)) continue;
    for (const f of r.frames) count.set(f.type, (count.get(f.type) ?? 0) + 1);
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, max).map(([t]) => t);
}

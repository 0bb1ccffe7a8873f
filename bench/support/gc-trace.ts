// The page's garbage-collection time over a stretch of a benchmark: a Chrome trace (CDP Tracing
// on the browser target) of V8's GC categories, summed on the renderers' main threads.
//
// Categories `v8.gc` and `disabled-by-default-v8.gc` hold V8's GC phases, nested (a "MajorGC"
// around its "V8.GC_MARK_COMPACTOR" around its steps) and on several threads (the background
// markers, sweepers and scavenger tasks run on worker threads, where they take a core but not
// the page's thread). So the figure is the union of the GC intervals on each `CrRendererMain`
// thread: the time the page's own thread spent collecting. In these benchmarks the page is the
// only document (no DevTools, an MV3 extension's worker runs on a worker thread), so every
// renderer main thread is the page's. `Performance.getMetrics` was checked first: it reports
// heap sizes, script and task durations, but no GC time (Chromium 156).
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  ph: string;
  name: string;
  cat: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

export interface GcTrace {
  /** Stops the trace and returns the ms of GC on the renderers' main threads. */
  stop(): Promise<number>;
}

export async function traceGc(cdp: CDPSession): Promise<GcTrace> {
  const events: TraceEvent[] = [];
  const onData = (m: { value: unknown[] }) => {
    for (const e of m.value) events.push(e as TraceEvent);
  };
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['v8.gc', 'disabled-by-default-v8.gc', '__metadata'] },
    transferMode: 'ReportEvents',
  });
  return {
    async stop() {
      const done = new Promise<void>((res) => cdp.once('Tracing.tracingComplete', () => res()));
      await cdp.send('Tracing.end');
      await done;
      cdp.off('Tracing.dataCollected', onData);
      return gcOnMainThreads(events);
    },
  };
}

/** ms covered by GC events (the union, nesting counted once) on threads named CrRendererMain. */
export function gcOnMainThreads(events: readonly TraceEvent[]): number {
  const main = new Set<string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') main.add(`${e.pid}:${e.tid}`);
  const spans = new Map<string, Array<[number, number]>>();
  const open = new Map<string, number[]>();
  for (const e of events) {
    const k = `${e.pid}:${e.tid}`;
    if (!main.has(k) || !e.cat.includes('v8.gc')) continue;
    const list = spans.get(k) ?? spans.set(k, []).get(k)!;
    if (e.ph === 'X' && e.dur !== undefined) list.push([e.ts, e.ts + e.dur]);
    else if (e.ph === 'B') (open.get(k) ?? open.set(k, []).get(k)!).push(e.ts);
    else if (e.ph === 'E') {
      const b = open.get(k)?.pop();
      if (b !== undefined) list.push([b, e.ts]);
    }
  }
  let us = 0;
  for (const list of spans.values()) {
    list.sort((a, b) => a[0] - b[0]);
    let end = -Infinity;
    for (const [s, f] of list) {
      if (f <= end) continue;
      us += f - Math.max(s, end);
      end = f;
    }
  }
  return us / 1000;
}

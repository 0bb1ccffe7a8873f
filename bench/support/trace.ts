// A Chrome trace of the whole browser while a scenario runs, and which of the extension's
// threads each long task ran on. PerformanceObserver `longtask` sees only the panel's main
// thread; the trace also sees the panel's deriver worker and the service worker (the hub).
import type { BrowserContext } from 'playwright';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; labels?: string };
}

/** The mark the panel writes on its main thread (performance.mark): tells its pid and tid in the trace. */
export const PANEL_MARK = 'sa-bench-panel-main';

/**
 * `toplevel` has every task with its wall and thread time; `blink.user_timing` has the panel's
 * mark. Nothing heavier: tracing costs every renderer on a 2-core machine.
 */
const LIGHT = ['toplevel', 'blink.user_timing', '__metadata'];

export async function startTrace(context: BrowserContext, categories: string[] = LIGHT): Promise<() => Promise<TraceEvent[]>> {
  const browser = context.browser();
  if (!browser) throw new Error('no browser object to trace');
  const cdp = await browser.newBrowserCDPSession();
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (m) => {
    for (const e of m.value) events.push(e as unknown as TraceEvent);
  });
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: categories }, transferMode: 'ReportEvents' });
  return async () => {
    const done = new Promise<void>((res) => cdp.once('Tracing.tracingComplete', () => res()));
    await cdp.send('Tracing.end');
    await done;
    await cdp.detach();
    return events;
  };
}

export const isTask = (e: TraceEvent) => e.ph === 'X' && e.dur !== undefined && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');

export interface LongTask {
  thread: 'panel main' | 'deriver worker' | 'service worker';
  wallMs: number;
  threadMs: number;
}

/**
 * Tasks of 50 ms or more on the panel's main thread (found by PANEL_MARK), on a dedicated
 * worker of the panel's process (the deriver) and on a service worker thread, longest first.
 * A task nested in another (a nested run loop) is counted once, as the outer one.
 */
export function extensionLongTasks(events: readonly TraceEvent[], minMs = 50): { tasks: LongTask[]; panelFound: boolean } {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const mark = events.find((e) => e.name === PANEL_MARK);
  const threadOf = (e: TraceEvent): LongTask['thread'] | undefined => {
    const name = names.get(`${e.pid}:${e.tid}`) ?? '';
    if (mark && e.pid === mark.pid && e.tid === mark.tid) return 'panel main';
    if (mark && e.pid === mark.pid && name.startsWith('DedicatedWorker')) return 'deriver worker';
    if (name.startsWith('ServiceWorker')) return 'service worker';
    return undefined;
  };
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (!isTask(e) || e.dur! < minMs * 1000 || !threadOf(e)) continue;
    const k = `${e.pid}:${e.tid}`;
    byThread.set(k, [...(byThread.get(k) ?? []), e]);
  }
  const tasks: LongTask[] = [];
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    let end = -Infinity;
    for (const e of list) {
      if (e.ts < end) continue;
      end = e.ts + e.dur!;
      tasks.push({ thread: threadOf(e)!, wallMs: e.dur! / 1000, threadMs: (e.tdur ?? 0) / 1000 });
    }
  }
  return { tasks: tasks.sort((a, b) => b.wallMs - a.wallMs), panelFound: mark !== undefined };
}

/** The longest task of each watched thread, whatever its length. */
export function longestByThread(events: readonly TraceEvent[]): Partial<Record<LongTask['thread'], number>> {
  const { tasks } = extensionLongTasks(events, 0);
  const out: Partial<Record<LongTask['thread'], number>> = {};
  for (const t of tasks) out[t.thread] = Math.max(out[t.thread] ?? 0, t.wallMs);
  return out;
}

/** "longest 38 ms (panel main), 2 tasks ≥ 50 ms: 61 ms deriver worker, 55 ms panel main". */
export function describeLongTasks(events: readonly TraceEvent[], listed = 8): string {
  const { tasks, panelFound } = extensionLongTasks(events);
  const longest = longestByThread(events);
  const top = (Object.entries(longest) as Array<[string, number]>).sort((a, b) => b[1] - a[1])[0];
  const head = top ? `longest ${Math.round(top[1])} ms (${top[0]})` : 'no task seen';
  const each = tasks.slice(0, listed).map((t) => `${Math.round(t.wallMs)} ms ${t.thread} (${Math.round(t.threadMs)} ms thread)`);
  const more = tasks.length > listed ? `, … ${tasks.length - listed} more` : '';
  const per = (Object.entries(longest) as Array<[string, number]>).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
  return `${head}, ${tasks.length} tasks ≥ 50 ms${tasks.length ? `: ${each.join(', ')}${more}` : ''}; longest per thread: ${per}${panelFound ? '' : ' (panel mark not found)'}`;
}

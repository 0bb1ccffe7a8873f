// What the panel's long tasks are made of: a Chrome trace of the "panel longest task" scenario
// (panel.bench.ts), then, for every task of 50 ms or more on a renderer's main thread, its wall
// time, its thread time (CPU actually given to it) and the trace events inside it by name.
// A tool for finding what to cut, not a benchmark: `npm run bench` holds the figures.
//
//   npx tsx bench/trace-panel.ts [--seconds 4] [--rate 20000] [DEBUG_BUILD_DIR]
//
// A task whose thread time is a small part of its wall time was waiting: for the CPU (this
// machine has two cores, shared with the page, DevTools, the server) or for a synchronous call.
import { writeFileSync } from 'node:fs';
import { startLab } from '../lab/server.ts';
import { LONGTASKS, openPanel, preparePaced } from './panel.bench.ts';
import { extensionBuild } from './support/build.ts';
import { describeLongTasks, PANEL_MARK, type TraceEvent } from './support/trace.ts';


function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv.splice(i, 2)[1]) : fallback;
}

function analyze(events: TraceEvent[]): void {
  const threadName = new Map<string, string>();
  const procLabel = new Map<number, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
    if (e.ph === 'M' && (e.name === 'process_labels' || e.name === 'process_name')) procLabel.set(e.pid, `${procLabel.get(e.pid) ?? ''} ${e.args?.labels ?? e.args?.name ?? ''}`.trim());
  }
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const k = `${e.pid}:${e.tid}`;
    if (threadName.get(k) !== 'CrRendererMain') continue;
    let list = byThread.get(k);
    if (!list) byThread.set(k, (list = []));
    list.push(e);
  }
  for (const [k, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts);
    const tasks = list.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur! >= 50_000);
    const pid = Number(k.split(':')[0]);
    const all = list.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
    const busy = all.reduce((s, e) => s + e.dur!, 0);
    const cpu = all.reduce((s, e) => s + (e.tdur ?? 0), 0);
    console.log(`\n${procLabel.get(pid) ?? '(unlabelled)'} pid ${pid}: ${all.length} tasks, ${Math.round(busy / 1000)} ms wall, ${Math.round(cpu / 1000)} ms thread; ${tasks.length} ≥ 50 ms`);
    for (const t of tasks.slice(0, 12)) {
      const inner = new Map<string, { dur: number; tdur: number; n: number }>();
      for (const e of list) {
        if (e === t || e.ts < t.ts || e.ts + e.dur! > t.ts + t.dur!) continue;
        const x = inner.get(e.name) ?? { dur: 0, tdur: 0, n: 0 };
        x.dur += e.dur!;
        x.tdur += e.tdur ?? 0;
        x.n++;
        inner.set(e.name, x);
      }
      const top = [...inner].sort((a, b) => b[1].dur - a[1].dur).slice(0, 8);
      console.log(`  task ${Math.round(t.dur! / 1000)} ms wall, ${Math.round((t.tdur ?? 0) / 1000)} ms thread: ${top.map(([n, x]) => `${n}×${x.n} ${Math.round(x.dur / 1000)}/${Math.round(x.tdur / 1000)}`).join(', ')}`);
    }
  }
}

async function main(argv: string[]): Promise<void> {
  const seconds = arg(argv, '--seconds', 4);
  const rate = arg(argv, '--rate', 20_000);
  const dir = argv[0] ?? (await extensionBuild('debug'));
  const lab = await startLab();
  const r = await openPanel(dir, lab);
  try {
    await preparePaced(r, lab, rate, rate * seconds, 'trace');
    await r.panel.eval(LONGTASKS);
    const browser = r.b.context.browser();
    if (!browser) throw new Error('no browser object to trace');
    const cdp = await browser.newBrowserCDPSession();
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (m) => {
      for (const e of m.value) events.push(e as unknown as TraceEvent);
    });
    const done = new Promise<void>((res) => cdp.once('Tracing.tracingComplete', () => res()));
    await cdp.send('Tracing.start', {
      traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'blink.user_timing', 'disabled-by-default-v8.gc', 'disabled-by-default-devtools.timeline.stack', '__metadata'] },
      transferMode: 'ReportEvents',
    });
    await r.panel.eval(`performance.mark(${JSON.stringify(PANEL_MARK)})`);
    await r.b.page.evaluate('window.__paced.send("go")');
    await new Promise((res) => setTimeout(res, (seconds + 2) * 1000));
    await cdp.send('Tracing.end');
    await done;
    const lt = await r.panel.eval<{ max: number; n: number; total: number }>('window.__lt');
    console.log(`panel longtask observer: max ${Math.round(lt.max)} ms, ${lt.n} tasks ≥ 50 ms`);
    writeFileSync('/tmp/panel-trace.json', JSON.stringify(events));
    console.log(`by thread (panel main, its deriver worker, the service worker): ${describeLongTasks(events)}`);
    analyze(events);
  } finally {
    await r.b.close();
    await lab.close();
  }
}

await main(process.argv.slice(2));

// Extension builds side by side against no extension: the page's time to receive or send N
// small messages, alternating rounds, medians. For checking that a change to the hook or relay
// helped before it goes into `npm run bench` (whose figures are what the README quotes).
//
//   npx tsx bench/compare-builds.ts DIR_A DIR_B [DIR_C…] [send|receive|binary] [N] [panel] [rounds=R]
//
// Every argument that is a folder is a build (two or more; the first is called "old", the
// second "new" in the output, as before). Beside each median ratio, the spread of the
// per-round ratios (each round's time over the same round's no-tool time): on a shared machine
// a difference inside that spread is noise. And the CPU all of each browser's processes used
// (median, over the no-tool browser's), which other jobs on the machine stretch less than
// wall-clock time; the page's main-thread CPU (the same over the no-tool page's); and the
// page's GC time (support/gc-trace.ts).
//
// With `panel`, the builds run with DevTools open on our panel (the panel then reads DevTools'
// own network log and watches the tab: what the extension costs while someone looks); the
// no-tool browser stays plain.
//
// Build a folder of an earlier commit with, e.g.:
//   git worktree add /tmp/old <commit> && cd /tmp/old && ln -s "$OLDPWD/node_modules" . &&
//   SA_TARGET=chrome npx vite build --outDir /tmp/old-ext --emptyOutDir
import { existsSync, statSync } from 'node:fs';
import { DevTools } from '../e2e/support/devtools.ts';
import { startLab } from '../lab/server.ts';
import { launch, type Bench } from './support/chromium.ts';
import { cpuOf } from './page.bench.ts';
import { traceGc } from './support/gc-trace.ts';
import { median } from './support/stats.ts';
import { receive, send } from './page.bench.ts';

const argv = process.argv.slice(2);
const isDir = (a: string) => existsSync(a) && statSync(a).isDirectory();
const builds = argv.filter(isDir);
const rest = argv.filter((a) => !isDir(a) && !a.startsWith('rounds='));
const [mode = 'send', count = '50000', withPanel] = rest;
const rounds = Number(argv.find((a) => a.startsWith('rounds='))?.slice(7) ?? 6);
if (builds.length < 2) {
  console.error('usage: compare-builds.ts DIR_A DIR_B [DIR_C…] [send|receive|binary] [N] [panel] [rounds=R]');
  process.exit(2);
}
const N = Number(count);
const names = builds.map((d, i) => (builds.length === 2 ? ['old', 'new'][i]! : `${i}:${d.split('/').filter(Boolean).pop()}`));
const dirs: Record<string, string | undefined> = { none: undefined };
names.forEach((n, i) => (dirs[n] = builds[i]));
const lab = await startLab();
const browsers: Record<string, Bench> = {};
try {
  for (const [k, d] of Object.entries(dirs)) {
    const panel = d !== undefined && withPanel === 'panel';
    browsers[k] = await launch(d ? { extension: d, devtools: panel } : {});
    await browsers[k].page.goto(`${lab.url}/probe/transparency.html`);
    if (panel) {
      const dt = await DevTools.forPage(browsers[k].context, browsers[k].page);
      await dt.showPanel();
      await dt.panel();
    }
  }
  const keys = Object.keys(dirs);
  const res: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  const gc: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  const thread: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  const pageCdp = Object.fromEntries(await Promise.all(keys.map(async (k) => {
    const s = await browsers[k]!.context.newCDPSession(browsers[k]!.page);
    await s.send('Performance.enable');
    return [k, s] as const;
  })));
  // CPU seconds of the page's renderer main thread (Performance.getMetrics "ThreadTime"): the
  // page's own thread, hook and relay included, and not stretched by waits for a core.
  const threadTime = async (k: string) => ((await pageCdp[k]!.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime')?.value ?? NaN);
  // Round 0 warms up (JIT, first connection; at most 20,000 messages) and is not counted.
  for (let r = 0; r <= rounds; r++) {
    for (const k of r % 2 ? [...keys].reverse() : keys) {
      const { page } = browsers[k]!;
      const cpu0 = await cpuOf(browsers[k]!);
      const thread0 = await threadTime(k);
      const trace = await traceGc(browsers[k]!.cdp);
      const n = r === 0 ? Math.min(N, 20_000) : N;
      const ms = mode === 'send' ? await send(page, lab.wsBase, n) : await receive(page, lab.wsBase, n, mode === 'binary');
      const gcMs = await trace.stop();
      if (r > 0) {
        res[k]!.push(ms);
        cpu[k]!.push((await cpuOf(browsers[k]!)) - cpu0);
        gc[k]!.push(gcMs);
        thread[k]!.push((await threadTime(k)) - thread0);
      }
    }
  }
  const m = (k: string) => median(res[k]!);
  const spread = (k: string) => {
    const rs = res[k]!.map((v, i) => v / res.none![i]!);
    return `${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}`;
  };
  const c = (k: string) => median(cpu[k]!);
  const g = (k: string) => Math.round(median(gc[k]!));
  const th = (k: string) => median(thread[k]!);
  const thSpread = (k: string) => {
    const rs = thread[k]!.map((v, i) => v / thread.none![i]!);
    return `${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}`;
  };
  const parts = names.map((k) => `${k} ${(m(k) / m('none')).toFixed(2)}× (rounds ${spread(k)}; browser CPU ${(c(k) / c('none')).toFixed(2)}×; page thread CPU ${(th(k) / th('none')).toFixed(2)}× (rounds ${thSpread(k)}); page GC ${g(k)} ms)`);
  console.log(`${mode} ${N.toLocaleString('en')}${withPanel === 'panel' ? ' (DevTools open on the panel)' : ''}: no tool ${Math.round(m('none'))} ms, page GC ${g('none')} ms; ${parts.join('; ')} (medians of ${rounds} alternating rounds)`);
} finally {
  for (const b of Object.values(browsers)) await b.close();
  await lab.close();
}

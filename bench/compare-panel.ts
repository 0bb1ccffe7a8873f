// Two debug builds of the extension side by side on the panel's long tasks: the "panel longest
// task" scenario of panel.bench.ts (20,000 msg/s into the selected connection, its message list
// visible, with a trace that says which thread each long task ran on), alternating rounds.
// For checking that a panel change helped before `npm run bench` gives the figures of record.
//
//   npx tsx bench/compare-panel.ts OLD_DIR NEW_DIR [ROUNDS=3] [SECONDS=2]
//
// Both folders must be debug builds (SA_DEBUG=1): the scenario reads the panel's store. E.g.:
//   git worktree add --detach /tmp/old <commit> && cd /tmp/old && ln -s "$OLDPWD/node_modules" . &&
//   SA_DEBUG=1 SA_TARGET=chrome npx vite build --outDir /tmp/old-ext --emptyOutDir
import { startLab } from '../lab/server.ts';
import { measureLongTasks, type LongTaskRun } from './panel.bench.ts';
import { median } from './support/stats.ts';

const [oldDir, newDir, roundsArg = '3', secondsArg = '2'] = process.argv.slice(2);
if (!oldDir || !newDir) {
  console.error('usage: compare-panel.ts OLD_DIR NEW_DIR [ROUNDS] [SECONDS]');
  process.exit(2);
}
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);
const lab = await startLab();
const runs: Record<'old' | 'new', LongTaskRun[]> = { old: [], new: [] };
try {
  for (let r = 0; r < rounds; r++) {
    for (const k of r % 2 ? (['new', 'old'] as const) : (['old', 'new'] as const)) {
      // On a saturated machine a round's setup can time out (the panel's list not shown in
      // time): said, and the round left out for that build, rather than the whole comparison lost.
      const m = await measureLongTasks(k === 'old' ? oldDir : newDir, lab, 20_000, seconds).catch((e: unknown) => {
        console.log(`round ${r + 1} ${k}: failed: ${String(e)}`);
        return undefined;
      });
      if (!m) continue;
      runs[k].push(m);
      console.log(`round ${r + 1} ${k} (deriving in: ${m.deriver}): observer ${Math.round(m.lt.max)} ms, ${m.lt.n} ≥ 50 ms; trace: ${m.threads}; DOM elements added/removed ${m.churn.added}/${m.churn.removed}; panel got ${m.rate} msg/s`);
    }
  }
  for (const k of ['old', 'new'] as const) {
    const rs = runs[k];
    const per = (t: string) => rs.map((m) => Math.round(m.longest[t as keyof LongTaskRun['longest']] ?? 0));
    const count = (t: string) => rs.map((m) => m.longTasks.filter((x) => x.thread === t).length);
    console.log(
      `${k}: observer longest median ${Math.round(median(rs.map((m) => m.lt.max)))} ms (${rs.map((m) => Math.round(m.lt.max)).join(', ')}); ` +
        `≥ 50 ms per run, panel main ${count('panel main').join('/')}, deriver worker ${count('deriver worker').join('/')}, service worker ${count('service worker').join('/')}; ` +
        `longest per run, panel main ${per('panel main').join('/')}, deriver worker ${per('deriver worker').join('/')}, service worker ${per('service worker').join('/')} ms`,
    );
  }
} finally {
  await lab.close();
}

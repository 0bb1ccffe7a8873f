// A/B profile of the panel under a message flood (the "panel longest task" scenario of
// panel.bench.ts), for comparing two builds on a shared, noisy machine: rounds alternate the
// builds, and beside the longest task (wall clock, pre-empted by whatever else runs) it reports
// what the panel's renderer did per second of flood (CDP Performance.getMetrics: layouts, style
// recalcs and their durations, script time), which other processes disturb far less.
//
//   npx tsx bench/panel-profile.ts [--rounds 3] [--seconds 3] [--rate 20000] DIR_A [DIR_B]
//
// Each DIR is a debug build (SA_DEBUG=1, see bench/support/build.ts); without one, it builds the
// working tree's. Not a *.bench.ts: `npm run bench` does not run it.
import { startLab } from '../lab/server.ts';
import { LONGTASKS, openPanel, preparePaced, runPaced } from './panel.bench.ts';
import { extensionBuild } from './support/build.ts';
import { round1 } from './support/stats.ts';

const METRICS = ['LayoutCount', 'RecalcStyleCount', 'LayoutDuration', 'RecalcStyleDuration', 'ScriptDuration', 'TaskDuration', 'Nodes'] as const;
type Metric = (typeof METRICS)[number];

function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv.splice(i, 2)[1]) : fallback;
}

async function main(argv: string[]): Promise<void> {
  const rounds = arg(argv, '--rounds', 3);
  const seconds = arg(argv, '--seconds', 3);
  const rate = arg(argv, '--rate', 20_000);
  const dirs = argv.length ? argv : [await extensionBuild('debug')];
  const lab = await startLab();
  const rows: string[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const dir of dirs) {
        const r = await openPanel(dir, lab);
        try {
          const count = rate * seconds;
          await preparePaced(r, lab, rate, count, `prof${round}`);
          await r.panel.eval(LONGTASKS);
          await r.panel.session.send('Performance.enable', { timeDomain: 'threadTicks' });
          const read = async () => {
            const { metrics } = await r.panel.session.send<{ metrics: Array<{ name: string; value: number }> }>('Performance.getMetrics');
            return new Map(metrics.map((m) => [m.name, m.value]));
          };
          const before = await read();
          const got = await runPaced(r, count, seconds);
          await new Promise((res) => setTimeout(res, 500));
          const after = await read();
          const lt = await r.panel.eval<{ max: number; n: number; total: number }>('window.__lt');
          const per = (m: Metric) => ((after.get(m) ?? 0) - (before.get(m) ?? 0)) / (got.pageMs / 1000);
          const ms = (m: Metric) => round1(per(m) * 1000);
          rows.push(
            [
              `round ${round} ${dir.slice(-24)}`,
              `longest ${round1(lt.max)} ms (${lt.n} ≥ 50 ms)`,
              `per s: layouts ${round1(per('LayoutCount'))} ${ms('LayoutDuration')} ms`,
              `styles ${round1(per('RecalcStyleCount'))} ${ms('RecalcStyleDuration')} ms`,
              `script ${ms('ScriptDuration')} ms`,
              `task ${ms('TaskDuration')} ms`,
              `nodes ${after.get('Nodes')}`,
              `shown ${got.screen.length}/${count}`,
            ].join(' | '),
          );
          console.log(rows[rows.length - 1]);
        } finally {
          await r.b.close();
        }
      }
    }
  } finally {
    await lab.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

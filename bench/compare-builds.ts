// Two extension builds side by side against no extension: the page's time to receive or send N
// small messages, alternating rounds, medians. For checking that a change to the hook or relay
// helped before it goes into `npm run bench` (whose figures are what the README quotes).
//
//   npx tsx bench/compare-builds.ts OLD_DIR NEW_DIR [send|receive|binary] [N] [panel]
//
// With `panel`, both builds run with DevTools open on our panel (the panel then reads DevTools'
// own network log and watches the tab: what the extension costs while someone looks); the
// no-tool browser stays plain.
//
// Build a folder of an earlier commit with, e.g.:
//   git worktree add /tmp/old <commit> && cd /tmp/old && ln -s "$OLDPWD/node_modules" . &&
//   SA_TARGET=chrome npx vite build --outDir /tmp/old-ext --emptyOutDir
import { DevTools } from '../e2e/support/devtools.ts';
import { startLab } from '../lab/server.ts';
import { launch, type Bench } from './support/chromium.ts';
import { median } from './support/stats.ts';
import { receive, send } from './page.bench.ts';

const [oldDir, newDir, mode = 'send', count = '50000', withPanel] = process.argv.slice(2);
if (!oldDir || !newDir) {
  console.error('usage: compare-builds.ts OLD_DIR NEW_DIR [send|receive|binary] [N]');
  process.exit(2);
}
const N = Number(count);
const dirs: Record<string, string | undefined> = { none: undefined, old: oldDir, new: newDir };
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
  const res: Record<string, number[]> = { none: [], old: [], new: [] };
  // Round 0 warms up (JIT, first connection) and is not counted.
  for (let r = 0; r < 7; r++) {
    for (const k of r % 2 ? ['new', 'old', 'none'] : ['none', 'old', 'new']) {
      const page = browsers[k]!.page;
      const ms = mode === 'send' ? await send(page, lab.wsBase, N) : await receive(page, lab.wsBase, N, mode === 'binary');
      if (r > 0) res[k]!.push(ms);
    }
  }
  const m = (k: string) => median(res[k]!);
  console.log(`${mode} ${N.toLocaleString('en')}${withPanel === 'panel' ? ' (DevTools open on the panel)' : ''}: no tool ${Math.round(m('none'))} ms; old ${(m('old') / m('none')).toFixed(2)}×; new ${(m('new') / m('none')).toFixed(2)}× (medians of 6 alternating rounds)`);
} finally {
  for (const b of Object.values(browsers)) await b.close();
  await lab.close();
}

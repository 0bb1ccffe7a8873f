// Where the page's main thread goes while it receives (or sends) a flood with the extension
// installed: a CPU profile of the page's renderer main thread (page script, our MAIN-world hook
// and our isolated-world relay all run there), summed by script and by function.
// A tool for finding what to cut, not a benchmark: `npm run bench` holds the figures.
//
//   npx tsx bench/profile-page.ts [receive|receive-binary|send] [count] [extension dir]
//
// With an extension folder (another build, e.g. of an earlier commit) it profiles that one:
// run both in turn to compare.
//
// CPU profiles are proportions, so other load on the machine skews them less than timings.
import type { CDPSession } from 'playwright-core';
import { startLab } from '../lab/server.ts';
import { extensionBuild, buildRoot } from './support/build.ts';
import { launch } from './support/chromium.ts';
import { receive, send } from './page.bench.ts';
import { rmSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function summarize(nodes: ProfileNode[], samples: number[], timeDeltas: number[]): void {
  const self = new Map<number, number>();
  for (let i = 0; i < samples.length; i++) self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (timeDeltas[i] ?? 0));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const byScript = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const url = n.callFrame.url;
    const where = url.includes('hook.iife') ? 'hook (MAIN world)' : url.includes('relay.iife') ? 'relay (isolated world)' : url ? 'page' : n.callFrame.functionName || '(native)';
    byScript.set(where, (byScript.get(where) ?? 0) + us);
    const fn = `${where}: ${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    total += us;
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms`;
  console.log(`\nself time by where (${(total / 1000).toFixed(0)} ms sampled):`);
  for (const [k, us] of [...byScript].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(us)}  ${k}`);
  console.log('\ntop functions:');
  for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(us)}  ${k}`);
}

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'receive';
  const count = Number(process.argv[3] ?? 100_000);
  const ext = process.argv[4] ?? (await extensionBuild('unminified'));
  const lab = await startLab();
  const b = await launch({ extension: ext });
  try {
    await b.page.goto(`${lab.url}/probe/transparency.html`);
    const cdp: CDPSession = await b.context.newCDPSession(b.page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const ms = mode === 'send' ? await send(b.page, lab.wsBase, count) : await receive(b.page, lab.wsBase, count, mode === 'receive-binary');
    // Let the relay's deferred work (microtasks, port messages) finish inside the profile.
    await new Promise((r) => setTimeout(r, 300));
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    console.log(`${mode} ${count.toLocaleString('en')} messages: ${Math.round(ms)} ms in the page`);
    summarize(profile.nodes, profile.samples, profile.timeDeltas);
  } finally {
    await b.close();
    await lab.close();
    rmSync(buildRoot, { recursive: true, force: true });
  }
}

await main();

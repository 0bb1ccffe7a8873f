// Page overhead, measured side by side in one run: how much slower a page receives and sends
// WebSocket messages (a) with no tool, (b) with our extension (the normal build, DevTools
// closed: capture runs from document_start whether DevTools is open or not), (c) the floor: the
// same extension built with SA_FLOOR=1, whose hook sees every message and returns at once (what
// seeing a message costs before any recording), (d) with Chrome DevTools open on its own
// Network panel (the built-in anchor). The browsers stay open and the rounds alternate between
// them, so slow moments of the machine hit all alike; each figure is the median of the rounds,
// and each ratio is to (a). Beside each wall-clock ratio, the CPU all of the browser's
// processes used (CDP SystemInfo.getProcessInfo), since on this 2-core machine work in another
// process is time taken from the page too; the CPU of the page's own main thread (which other
// jobs on the machine stretch far less than wall-clock time); and the page's GC time
// (support/gc-trace.ts).
import type { Page } from 'playwright-core';
import { startLab, type Lab } from '../lab/server.ts';
import { DevTools } from '../e2e/support/devtools.ts';
import { extensionBuild } from './support/build.ts';
import { launch, type Bench } from './support/chromium.ts';
import { traceGc } from './support/gc-trace.ts';
import { receiveArgs, receiveInPage, sendArgs, sendInPage } from './support/page-loops.ts';
import { median } from './support/stats.ts';
import type { BenchOptions, BenchResult } from './types.ts';

type Config = 'none' | 'extension' | 'floor' | 'devtools-network';
const CONFIGS: readonly Config[] = ['none', 'extension', 'floor', 'devtools-network'];
type Kind = 'receive-text' | 'receive-binary' | 'send';
const KINDS: readonly Kind[] = ['receive-text', 'receive-binary', 'send'];

async function open(config: Config, lab: Lab, extension: string): Promise<Bench> {
  const b = await launch({ devtools: config === 'devtools-network', ...(config === 'extension' || config === 'floor' ? { extension } : {}) });
  try {
    await b.page.goto(`${lab.url}/probe/transparency.html`);
    if (config === 'devtools-network') {
      const dt = await DevTools.forPage(b.context, b.page);
      await dt.showBuiltinPanel('network');
    }
    return b;
  } catch (e) {
    await b.close();
    throw e;
  }
}

/** CPU seconds used so far by all of the browser's processes. */
export async function cpuOf(b: Bench): Promise<number> {
  const { processInfo } = (await b.cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ cpuTime: number }> };
  return processInfo.reduce((s, p) => s + p.cpuTime, 0);
}

/** ms for the page to receive `count` messages pushed by the server as fast as it can. */
export function receive(page: Page, wsBase: string, count: number, binary: boolean): Promise<number> {
  return page.evaluate(receiveInPage, receiveArgs(wsBase, count, binary));
}

/** ms the page spends in a loop of `count` send() calls. */
export function send(page: Page, wsBase: string, count: number): Promise<number> {
  return page.evaluate(sendInPage, sendArgs(wsBase, count));
}

interface Sample {
  ms: number;
  cpu: number;
  gc: number;
  /** CPU of the page's renderer main thread (Performance.getMetrics ThreadTime), s. */
  thread: number;
}

/** The page's main-thread CPU so far: not stretched by waits for a core, unlike wall-clock time. */
async function threadTime(b: Bench): Promise<number> {
  const { metrics } = (await perf(b).send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN;
}
const sessions = new WeakMap<Bench, import('playwright-core').CDPSession>();
const perf = (b: Bench) => sessions.get(b)!;

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  // Two run lengths, because the ratio grows with the run (docs/performance.md): 200,000 in 3
  // alternating rounds and 1,000,000 in one (a bare page here takes ~2 minutes to receive a
  // million; three configurations × three kinds of one round is already ~15 minutes). The
  // anchor (DevTools' Network panel, twice as slow as no tool) runs once, at the shorter length,
  // on a quarter of the text messages. Quick runs: 10,000 × 3 and 50,000 × 1.
  const lengths = opts.tiny ? [1_000, 2_000] : opts.quick ? [10_000, 50_000] : [200_000, 1_000_000];
  const roundsOf = (i: number) => (opts.tiny || i > 0 ? 1 : 3);
  const [extension, floor] = await Promise.all([extensionBuild('normal'), extensionBuild('floor')]);
  const lab = await startLab();
  const browsers = new Map<Config, Bench>();
  const samples = new Map<string, Sample[]>();
  const measured = async (k: string, b: Bench, fn: () => Promise<number>): Promise<void> => {
    const cpu0 = await cpuOf(b);
    const thread0 = await threadTime(b);
    const trace = await traceGc(b.cdp);
    const ms = await fn();
    const gc = await trace.stop();
    samples.set(k, [...(samples.get(k) ?? []), { ms, cpu: (await cpuOf(b)) - cpu0, gc, thread: (await threadTime(b)) - thread0 }]);
  };
  try {
    for (const c of CONFIGS) {
      const b = await open(c, lab, c === 'floor' ? floor : extension);
      browsers.set(c, b);
      const session = await b.context.newCDPSession(b.page);
      await session.send('Performance.enable');
      sessions.set(b, session);
    }
    // One warm-up round each (JIT, first connections), not counted.
    for (const c of CONFIGS) {
      const { page } = browsers.get(c)!;
      await receive(page, lab.wsBase, Math.min(lengths[0]!, 3_000), false);
      await receive(page, lab.wsBase, Math.min(lengths[0]!, 3_000), true);
      await send(page, lab.wsBase, Math.min(lengths[0]!, 3_000));
    }
    for (const [li, N] of lengths.entries()) {
      for (let r = 0; r < roundsOf(li); r++) {
        const configs = li === 0 && r === 0 ? CONFIGS : CONFIGS.filter((c) => c !== 'devtools-network');
        for (const c of r % 2 ? [...configs].reverse() : configs) {
          const b = browsers.get(c)!;
          // The anchor receives a quarter of the text messages: it is context, not a target.
          const textN = c === 'devtools-network' && !opts.quick ? N / 4 : N;
          await measured(`${N}/receive-text/${c}`, b, () => receive(b.page, lab.wsBase, textN, false));
          await measured(`${N}/receive-binary/${c}`, b, () => receive(b.page, lab.wsBase, N, true));
          await measured(`${N}/send/${c}`, b, () => send(b.page, lab.wsBase, N));
        }
      }
    }
  } finally {
    for (const b of browsers.values()) await b.close();
    await lab.close();
  }
  const out: BenchResult[] = [];
  const med = (k: string, f: keyof Sample) => median(samples.get(k)!.map((s) => s[f]));
  for (const [li, N] of lengths.entries()) {
    const rounds = roundsOf(li);
    const n = N.toLocaleString('en');
    for (const kind of KINDS) {
      const at = (c: Config) => `${N}/${kind}/${c}`;
      const base = med(at('none'), 'ms');
      const baseCpu = med(at('none'), 'cpu');
      const baseGc = med(at('none'), 'gc');
      const threadRatio = (c: Config) => (med(at(c), 'thread') / med(at('none'), 'thread')).toFixed(2);
      const floorRatio = Math.round((med(at('floor'), 'ms') / base) * 100) / 100;
      out.push({
        name: `${kind} ${n} msgs, no tool`,
        value: Math.round(base),
        unit: 'ms',
        note: `${Math.round((N / base) * 1000).toLocaleString('en')} msg/s; median of ${rounds}; browser CPU ${(baseCpu * 1000).toFixed(0)} ms; page GC ${Math.round(baseGc)} ms`,
      });
      const v = med(at('extension'), 'ms');
      const ratio = Math.round((v / base) * 100) / 100;
      out.push({
        name: `${kind} with Socket Autopsy, ${n} msgs`,
        value: ratio,
        unit: '× no tool',
        target: '≤ 1.05×',
        met: ratio <= 1.05,
        note: `${Math.round(v)} ms; floor ${floorRatio}×; page GC ${Math.round(med(at('extension'), 'gc'))} ms (no tool ${Math.round(baseGc)} ms); page thread CPU ${threadRatio('extension')}× (floor ${threadRatio('floor')}×); browser CPU ${(med(at('extension'), 'cpu') / baseCpu).toFixed(2)}× no tool; median of ${rounds}`,
      });
      out.push({
        name: `${kind} floor (installed, listener returns at once), ${n} msgs`,
        value: floorRatio,
        unit: '× no tool',
        note: `${Math.round(med(at('floor'), 'ms'))} ms; page GC ${Math.round(med(at('floor'), 'gc'))} ms; page thread CPU ${threadRatio('floor')}×; median of ${rounds}`,
      });
      if (li === 0) {
        const anchorShort = kind === 'receive-text' && !opts.quick;
        const a = med(at('devtools-network'), 'ms') * (anchorShort ? 4 : 1);
        out.push({
          name: `${kind} with DevTools Network panel, ${n} msgs`,
          value: Math.round((a / base) * 100) / 100,
          unit: '× no tool',
          note: `${Math.round(a)} ms; browser CPU ${((med(at('devtools-network'), 'cpu') * (anchorShort ? 4 : 1)) / baseCpu).toFixed(2)}× no tool; one round${anchorShort ? ' (of a quarter as many messages, scaled)' : ''}`,
        });
      }
    }
  }
  return out;
}

// Page overhead, measured side by side in one run: how much slower a page receives and sends
// WebSocket messages (a) with no tool, (b) with our extension, (c) with Chrome DevTools open on
// its own Network panel (the built-in anchor). Three browsers stay open and the rounds
// alternate between them, so slow moments of the machine hit all three alike; each figure is
// the median of the rounds, and each ratio is to (a).
import type { Page } from 'playwright-core';
import { startLab, type Lab } from '../lab/server.ts';
import { launchWithExtension, type Launched } from '../e2e/support/browser.ts';
import { DevTools } from '../e2e/support/devtools.ts';
import type { BenchResult } from './types.ts';

type Config = 'none' | 'extension' | 'devtools-network';
const CONFIGS: readonly Config[] = ['none', 'extension', 'devtools-network'];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function open(config: Config, lab: Lab): Promise<{ b: Launched; page: Page }> {
  const b = await launchWithExtension({ extension: config === 'extension', devtools: config === 'devtools-network' });
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  await page.goto(`${lab.url}/probe/transparency.html`);
  if (config === 'devtools-network') {
    const dt = await DevTools.forPage(b.context, page);
    await dt.showBuiltinPanel('network');
  }
  return { b, page };
}

/** ms for the page to receive `count` messages pushed by the server as fast as it can. */
function receive(page: Page, wsBase: string, count: number, binary: boolean): Promise<number> {
  return page.evaluate(({ url, count }) => new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    let n = 0;
    let t0 = 0;
    ws.onopen = () => (t0 = performance.now());
    ws.onmessage = () => {
      // count payload messages, then the final {"done":true}
      if (++n === count + 1) {
        resolve(performance.now() - t0);
        ws.close();
      }
    };
    ws.onclose = (e) => { if (n < count + 1) reject(new Error(`closed early: ${e.code} after ${n}`)); };
  }), { url: `${wsBase}/ws/flood?count=${count}&size=16&binary=${binary ? 1 : 0}`, count });
}

/** ms the page spends in a loop of `count` send() calls. */
function send(page: Page, wsBase: string, count: number): Promise<number> {
  return page.evaluate(({ url, count }) => new Promise<number>((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => {
      const t0 = performance.now();
      for (let i = 0; i < count; i++) ws.send('0123456789abcdef');
      const t = performance.now() - t0;
      ws.close();
      resolve(t);
    };
  }), { url: `${wsBase}/ws/idle`, count });
}

export async function run(opts: { quick: boolean }): Promise<BenchResult[]> {
  const N = opts.quick ? 10_000 : 200_000;
  const rounds = opts.quick ? 3 : 5;
  const lab = await startLab();
  const browsers = new Map<Config, { b: Launched; page: Page }>();
  const samples = new Map<string, number[]>();
  const add = (k: string, v: number) => samples.set(k, [...(samples.get(k) ?? []), v]);
  try {
    for (const c of CONFIGS) browsers.set(c, await open(c, lab));
    // One warm-up round each (JIT, first connections), not counted.
    for (const c of CONFIGS) await receive(browsers.get(c)!.page, lab.wsBase, Math.min(N, 5_000), false);
    for (let r = 0; r < rounds; r++) {
      for (const c of r % 2 ? [...CONFIGS].reverse() : CONFIGS) {
        const { page } = browsers.get(c)!;
        add(`receive-text/${c}`, await receive(page, lab.wsBase, N, false));
        add(`receive-binary/${c}`, await receive(page, lab.wsBase, N, true));
        add(`send/${c}`, await send(page, lab.wsBase, N));
      }
    }
  } finally {
    for (const { b } of browsers.values()) await b.close();
    await lab.close();
  }
  const out: BenchResult[] = [];
  for (const kind of ['receive-text', 'receive-binary', 'send']) {
    const base = median(samples.get(`${kind}/none`)!);
    out.push({ name: `${kind} ${N.toLocaleString('en')} msgs, no tool`, value: Math.round(base), unit: 'ms', note: `${Math.round((N / base) * 1000).toLocaleString('en')} msg/s; median of ${rounds}` });
    for (const c of ['extension', 'devtools-network'] as const) {
      const v = median(samples.get(`${kind}/${c}`)!);
      const ratio = Math.round((v / base) * 100) / 100;
      const r: BenchResult = { name: `${kind} with ${c === 'extension' ? 'Socket Autopsy' : 'DevTools Network panel'}`, value: ratio, unit: '× no tool', note: `${Math.round(v)} ms` };
      if (c === 'extension') {
        r.target = '≤ 1.05×';
        r.met = ratio <= 1.05;
      }
      out.push(r);
    }
  }
  return out;
}

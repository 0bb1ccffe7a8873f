// Page overhead of deep capture, side by side in one run: how much slower a page receives and
// sends WebSocket messages (a) with no tool, (b) with our extension and DevTools open on our
// panel, deep capture off, (c) the same with deep capture on (chrome.debugger attached to the
// tab, the network layer's WebSocket events flowing to the hub). Both (b) and (c) have DevTools
// open, so their difference is deep capture's alone. The same workload as page.bench.ts (its
// receive and send helpers), the browsers alternate round by round so that slow moments of the
// machine hit all three alike; each figure is the median of the rounds, each ratio is to (a).
//
// Deep capture is turned on the way a user does: the panel's switch, then the dialog's OK, which
// posts `panel-deep` to the hub. A build whose hub cannot attach answers with an error (or not
// at all: the panel then says unsupported after its own timeout), and this module prints
// "deep capture not available in this build" in place of the figure: never a number it did not
// measure.
import { startLab } from '../lab/server.ts';
import { DevTools, until, type PanelPage } from '../e2e/support/devtools.ts';
import { receive, send } from './page.bench.ts';
import { extensionBuild } from './support/build.ts';
import { launch, type Bench } from './support/chromium.ts';
import { median } from './support/stats.ts';
import type { BenchOptions, BenchResult } from './types.ts';

type Config = 'none' | 'off' | 'on';
type Kind = 'receive-text' | 'send';
const KINDS: readonly Kind[] = ['receive-text', 'send'];
const LABEL: Record<Exclude<Config, 'none'>, string> = { off: 'deep capture off', on: 'deep capture on' };
export const NOT_AVAILABLE = 'deep capture not available in this build';

interface Open {
  b: Bench;
  panel?: PanelPage;
}

async function open(config: Config, pageUrl: string, extension: string): Promise<Open> {
  const b = await launch(config === 'none' ? {} : { extension, devtools: true });
  try {
    await b.page.goto(pageUrl);
    if (config === 'none') return { b };
    const devtools = await DevTools.forPage(b.context, b.page);
    await devtools.showPanel();
    return { b, panel: await devtools.panel() };
  } catch (e) {
    await b.close();
    throw e;
  }
}

/**
 * Turns deep capture on through the panel's switch and dialog; resolves to the hub's state once
 * it settles (`on`, or `error:<code>`), or `silent` when the switch left nothing to read.
 */
async function turnOn(panel: PanelPage): Promise<string> {
  const present = await panel.eval<boolean>(`!!document.querySelector('[data-testid="deep-toggle"]')`);
  if (!present) return 'no switch in the panel';
  await panel.click('[data-testid="deep-toggle"]');
  await until('the deep capture dialog', () => panel.eval<boolean>(`!!document.querySelector('[data-testid="deep-dialog"]')`), 3_000);
  await panel.click('[data-testid="deep-ok"]');
  // The hub answers within a second when it can attach; the panel itself turns silence into
  // `error:unsupported` after DEEP_ANSWER_MS (5 s). 10 s covers both.
  const state = await until(
    'the deep capture state',
    async () => {
      const s = await panel.eval<{ state?: string; error?: string }>(
        `(() => { const e = document.querySelector('[data-testid="deep-state"]'); return { state: e?.dataset.state, error: e?.dataset.error }; })()`,
      );
      if (s.state === 'on') return 'on';
      if (s.state === 'error') return `error:${s.error ?? ''}`;
      return undefined;
    },
    10_000,
  ).catch(() => 'silent');
  return state;
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  // Fewer than page.bench.ts: three browsers, two with DevTools open; at 100,000 one round of
  // the three takes about as long as page.bench.ts's full rounds. Quick runs keep 3 rounds.
  const N = opts.tiny ? 1_000 : opts.quick ? 10_000 : 100_000;
  const rounds = opts.tiny ? 1 : 3;
  const extension = await extensionBuild('normal');
  const lab = await startLab();
  const pageUrl = `${lab.url}/probe/transparency.html`;
  const browsers = new Map<Config, Open>();
  const samples = new Map<string, number[]>();
  const add = (k: string, v: number) => samples.set(k, [...(samples.get(k) ?? []), v]);
  let unavailable: string | undefined;
  try {
    for (const c of ['none', 'off', 'on'] as const) browsers.set(c, await open(c, pageUrl, extension));
    const answer = await turnOn(browsers.get('on')!.panel!);
    if (answer !== 'on') {
      unavailable = answer;
      process.stdout.write(`  ${NOT_AVAILABLE} (${answer})\n`);
      await browsers.get('on')!.b.close();
      browsers.delete('on');
    }
    const configs = [...browsers.keys()];
    // One warm-up round each (JIT, first connections), not counted.
    for (const c of configs) {
      const { page } = browsers.get(c)!.b;
      await receive(page, lab.wsBase, Math.min(N, 3_000), false);
      await send(page, lab.wsBase, Math.min(N, 3_000));
    }
    for (let r = 0; r < rounds; r++) {
      for (const c of r % 2 ? [...configs].reverse() : configs) {
        const { page } = browsers.get(c)!.b;
        add(`receive-text/${c}`, await receive(page, lab.wsBase, N, false));
        add(`send/${c}`, await send(page, lab.wsBase, N));
      }
    }
  } finally {
    for (const o of browsers.values()) await o.b.close();
    await lab.close();
  }
  const out: BenchResult[] = [];
  for (const kind of KINDS) {
    const base = median(samples.get(`${kind}/none`)!);
    out.push({
      name: `deep: ${kind} ${N.toLocaleString('en')} msgs, no tool`,
      value: Math.round(base),
      unit: 'ms',
      note: `median of ${rounds}`,
    });
    for (const c of ['off', 'on'] as const) {
      const got = samples.get(`${kind}/${c}`);
      if (!got) {
        // Printed beside "off" in the table too, where the figure would be.
        out[out.length - 1]!.note += `; ${LABEL[c]}: ${NOT_AVAILABLE} (${unavailable ?? 'not measured'})`;
        continue;
      }
      const v = median(got);
      out.push({
        name: `deep: ${kind} with Socket Autopsy, panel open, ${LABEL[c]}`,
        value: Math.round((v / base) * 100) / 100,
        unit: '× no tool',
        note: `${Math.round(v)} ms; DevTools open on our panel`,
      });
    }
  }
  return out;
}

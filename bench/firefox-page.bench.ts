// Page overhead in Firefox, side by side in one run: how much slower a page receives and sends
// WebSocket messages (a) with no add-on, (b) with the shipped Firefox build, whose hook's traps
// (the WebSocket constructor, send, close) run in the relay's isolated world so that no stack the
// page reads shows their frames (docs/firefox.md), and (c) the same build with the traps left in
// the hook's world (SA_HOOK_TRAPS=1), as Chromium runs them. (b) against (c) is what hiding the
// frames costs: every send() crosses from the page into the isolated world and back into the hook.
// The system's Firefox ESR, driven by puppeteer-core as the Firefox e2e tests do; the browsers
// stay open and the rounds alternate between them; each figure is the median of the rounds and
// each ratio is to (a).
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { firefoxPath } from '../e2e-firefox/support.ts';
import { startLab } from '../lab/server.ts';
import { extensionBuild } from './support/build.ts';
import { receiveArgs, receiveInPage, sendArgs, sendInPage } from './support/page-loops.ts';
import { median } from './support/stats.ts';
import type { BenchOptions, BenchResult } from './types.ts';

type Config = 'none' | 'addon' | 'hook-traps';
const CONFIGS: readonly Config[] = ['none', 'addon', 'hook-traps'];
type Kind = 'receive-text' | 'send';
const KINDS: readonly Kind[] = ['receive-text', 'send'];

async function open(addon: string | undefined, url: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath(), headless: true, enableExtensions: addon !== undefined });
  try {
    if (addon) await browser.installExtension(addon);
    const page = await browser.newPage();
    await page.goto(url);
    return { browser, page };
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw e;
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const N = opts.tiny ? 500 : opts.quick ? 10_000 : 100_000;
  const rounds = opts.tiny ? 1 : 5;
  const [addon, hookTraps] = await Promise.all([extensionBuild('firefox'), extensionBuild('firefox-hook-traps')]);
  const lab = await startLab();
  const pages = new Map<Config, { browser: Browser; page: Page }>();
  const samples = new Map<string, number[]>();
  const once = (c: Config, kind: Kind, n: number): Promise<number> => {
    const { page } = pages.get(c)!;
    return kind === 'send' ? page.evaluate(sendInPage, sendArgs(lab.wsBase, n)) : page.evaluate(receiveInPage, receiveArgs(lab.wsBase, n, false));
  };
  try {
    for (const c of CONFIGS) pages.set(c, await open(c === 'none' ? undefined : c === 'addon' ? addon : hookTraps, `${lab.url}/probe/transparency.html`));
    // One warm-up round each (JIT, first connections), not counted.
    for (const c of CONFIGS) for (const kind of KINDS) await once(c, kind, Math.min(N, 2_000));
    for (let r = 0; r < rounds; r++) {
      for (const c of r % 2 ? [...CONFIGS].reverse() : CONFIGS) {
        for (const kind of KINDS) {
          const k = `${kind}/${c}`;
          samples.set(k, [...(samples.get(k) ?? []), await once(c, kind, N)]);
        }
      }
    }
  } finally {
    for (const { browser } of pages.values()) await browser.close().catch(() => undefined);
    await lab.close();
  }
  const n = N.toLocaleString('en');
  const out: BenchResult[] = [];
  for (const kind of KINDS) {
    const med = (c: Config) => median(samples.get(`${kind}/${c}`)!);
    const base = med('none');
    const ratio = (c: Config) => Math.round((med(c) / base) * 100) / 100;
    out.push({ name: `firefox: ${kind} ${n} msgs, no add-on`, value: Math.round(base), unit: 'ms', note: `median of ${rounds}` });
    out.push({
      name: `firefox: ${kind} with Socket Autopsy, ${n} msgs`,
      value: ratio('addon'),
      unit: '× no add-on',
      note: `${Math.round(med('addon'))} ms; traps in the isolated world (shipped); median of ${rounds}`,
    });
    out.push({
      name: `firefox: ${kind} with the traps in the hook's world, ${n} msgs`,
      value: ratio('hook-traps'),
      unit: '× no add-on',
      note: `${Math.round(med('hook-traps'))} ms; stacks then show the traps' frames; shipped / this: ${(med('addon') / med('hook-traps')).toFixed(2)}×; median of ${rounds}`,
    });
  }
  return out;
}

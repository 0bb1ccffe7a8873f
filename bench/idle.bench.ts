// An idle browser: many tabs on a page with open sockets, no DevTools, nobody looking. How often
// is our background woken? Chrome stops an MV3 service worker after ~30 s without events and
// starts it again for the next event, a port connecting included ("The extension service worker
// lifecycle", https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/lifecycle).
// A worker that is started for nothing costs every tab's user CPU and memory, so the figure is
// the number of starts in the window, measured side by side on this build and on a baseline build
// (the last commit whose relays kept a port open from page load and reopened it after every stop).
//
// Starts are counted as DevTools' Application panel sees them: ServiceWorker.enable on a page's
// CDP session, then each workerVersionUpdated that moves our chrome-extension:// worker into
// 'running' (the same observation e2e/lifecycle.spec.ts uses to stop it).
//
//   full: 20 tabs for 5 minutes; --quick: 20 tabs for 1 minute; --tiny: 2 tabs for 12 s, with the
//   worker stopped by CDP every 4 s (the idle timer alone needs 30 s, too long for a smoke run).
//   SA_IDLE_BASELINE=<git ref> picks the baseline; the tiny run measures this build only.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { chromiumPath } from '../e2e/support/browser.ts';
import { startLab, type Lab } from '../lab/server.ts';
import { buildRoot, extensionBuild } from './support/build.ts';
import type { BenchOptions, BenchResult } from './types.ts';

const root = resolve(import.meta.dirname, '..');
const exec = promisify(execFile);

/** The last commit at which every frame's relay connected to the background at load. */
const BASELINE = process.env.SA_IDLE_BASELINE ?? '8174350cb815a6a57a80b1ab4808a9218df5f8e6';

type Version = { versionId: string; scriptURL: string; runningStatus: string };

/** A bare CDP connection to one target (a page's webSocketDebuggerUrl). */
class Cdp {
  private id = 0;
  private readonly waiting = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: unknown };
      if (m.id !== undefined) this.waiting.get(m.id)?.(m);
      else if (m.method) this.events(m.method, m.params);
    });
  }
  events: (method: string, params: unknown) => void = () => undefined;
  static async open(url: string): Promise<Cdp> {
    const ws = new WebSocket(url);
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
    return new Cdp(ws);
  }
  send(method: string, params: object = {}): Promise<unknown> {
    const id = ++this.id;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((ok, fail) =>
      this.waiting.set(id, (m) => {
        this.waiting.delete(id);
        if (m.error) fail(new Error(`${method}: ${JSON.stringify(m.error)}`));
        else ok(m.result);
      }),
    );
  }
  close(): void {
    this.ws.close();
  }
}

/** Counts our extension worker's transitions into 'running' seen on `cdp` from now on. */
async function watchStarts(cdp: Cdp): Promise<{ starts(): number; running(): string | undefined }> {
  const status = new Map<string, string>();
  let starts = 0;
  let ready = false;
  cdp.events = (method, params) => {
    if (method !== 'ServiceWorker.workerVersionUpdated') return;
    for (const v of (params as { versions: Version[] }).versions) {
      if (!v.scriptURL.startsWith('chrome-extension://')) continue;
      const was = status.get(v.versionId);
      status.set(v.versionId, v.runningStatus);
      // Reports before `ready` are the install and the state it was already in, not an idle wake.
      if (ready && v.runningStatus === 'running' && was !== 'running') starts++;
    }
  };
  await cdp.send('ServiceWorker.enable');
  await new Promise((r) => setTimeout(r, 500));
  ready = true;
  return {
    starts: () => starts,
    running: () => [...status].find(([, s]) => s === 'running')?.[0],
  };
}

/**
 * Chromium with `extension` loaded and a remote-debugging port, started by hand rather than by
 * Playwright: Playwright attaches to every service worker, and a worker with a debugger attached
 * is never stopped for being idle (seen in Chromium 156: the baseline build's worker ran for the
 * whole window under Playwright, and stopped every 30 s without it), which is the very thing
 * measured here.
 */
async function browser(extension: string): Promise<{ port: string; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'sa-idle-profile-'));
  const args = ['--headless=new', '--no-sandbox', '--no-first-run', '--disable-sync', '--disable-background-networking', '--disable-component-update', '--disable-gpu'];
  args.push(`--user-data-dir=${profile}`, '--remote-debugging-port=0', `--disable-extensions-except=${extension}`, `--load-extension=${extension}`, 'about:blank');
  const proc = spawn(chromiumPath(), args, { stdio: 'ignore' });
  const close = async () => {
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill();
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    // Its helper processes may still be writing to the profile for a moment.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      // A temp folder left behind is no reason to lose the figure.
    }
  };
  const portFile = join(profile, 'DevToolsActivePort');
  const end = Date.now() + 20_000;
  while (!existsSync(portFile) || !readFileSync(portFile, 'utf8').includes('\n')) {
    if (Date.now() > end || proc.exitCode !== null) {
      await close();
      throw new Error('Chromium did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port: readFileSync(portFile, 'utf8').split('\n')[0]!, close };
}

/** A baseline extension build of `ref`, made from `git archive` in a folder of its own. */
async function baselineBuild(ref: string): Promise<string> {
  const src = join(buildRoot, 'idle-baseline-src');
  const out = join(buildRoot, 'idle-baseline');
  if (existsSync(join(out, 'manifest.json'))) return out;
  mkdirSync(src, { recursive: true });
  const { stdout: commit } = await exec('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: root });
  await exec('sh', ['-c', `git archive ${commit.trim()} | tar -x -C "${src}"`], { cwd: root, maxBuffer: 64 << 20 });
  if (!existsSync(join(src, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(src, 'node_modules'));
  await exec(process.execPath, [join(src, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: src,
    env: { ...process.env, SA_TARGET: 'chrome', SA_DEBUG: '0', SA_MINIFY: '1' },
    maxBuffer: 16 << 20,
  });
  return out;
}

interface Plan {
  tabs: number;
  seconds: number;
  /** Stop the worker by CDP this often (ms), as Chrome's idle timer would; none: wait for it. */
  forceStopMs?: number;
}

/** Worker starts while `plan.tabs` tabs sit on a lab page with an open socket each. */
async function measure(extension: string, lab: Lab, plan: Plan): Promise<number> {
  const b = await browser(extension);
  const http = `http://127.0.0.1:${b.port}`;
  try {
    const targets = (await (await fetch(`${http}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
    const cdp = await Cdp.open(targets.find((t) => t.type === 'page')!.webSocketDebuggerUrl);
    const worker = await watchStarts(cdp);
    for (let i = 0; i < plan.tabs; i++) {
      const t = (await (await fetch(`${http}/json/new?${encodeURIComponent(`${lab.url}/?run=echo`)}`, { method: 'PUT' })).json()) as { webSocketDebuggerUrl: string };
      // One socket that stays open, as an app's would; the tab's debugger connection then goes.
      const tab = await Cdp.open(t.webSocketDebuggerUrl);
      await tab.send('Runtime.enable');
      const expression = `new Promise((ok) => { const go = () => { window.idle = new WebSocket(${JSON.stringify(`${lab.wsBase}/ws/idle`)}); ok(); }; document.readyState === 'loading' ? addEventListener('DOMContentLoaded', go) : go(); })`;
      await tab.send('Runtime.evaluate', { expression, awaitPromise: true });
      tab.close();
    }
    const end = Date.now() + plan.seconds * 1000;
    let nextStop = Date.now() + (plan.forceStopMs ?? Infinity);
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 250));
      if (Date.now() < nextStop) continue;
      nextStop = Date.now() + plan.forceStopMs!;
      const id = worker.running();
      if (id) await cdp.send('ServiceWorker.stopWorker', { versionId: id }).catch(() => undefined);
    }
    const starts = worker.starts();
    cdp.close();
    return starts;
  } finally {
    await b.close();
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const plan: Plan = opts.tiny ? { tabs: 2, seconds: 12, forceStopMs: 4000 } : { tabs: 20, seconds: opts.quick ? 60 : 300 };
  const what = `${plan.tabs} tabs, ${plan.seconds} s, no DevTools${plan.forceStopMs ? `, worker stopped every ${plan.forceStopMs / 1000} s` : ''}`;
  const lab = await startLab({ log: () => undefined });
  try {
    const current = await measure(await extensionBuild('normal'), lab, plan);
    const results: BenchResult[] = [
      { name: `idle: service worker starts, ${what}`, value: current, unit: 'starts', target: '0', met: current === 0 },
    ];
    if (!opts.tiny) {
      let baseline: number | string;
      try {
        baseline = await measure(await baselineBuild(BASELINE), lab, plan);
      } catch (e) {
        baseline = `no baseline build: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      }
      if (typeof baseline === 'number') {
        results.push({ name: `idle: service worker starts, ${what}, baseline build`, value: baseline, unit: 'starts', note: `relays connected at load (${BASELINE.slice(0, 7)})` });
      } else results[0]!.note = baseline;
    }
    return results;
  } finally {
    await lab.close();
  }
}

// The DevTools side, with the real panel open in real DevTools (Chromium, headless):
//
//  3. End-to-end latency: a server stamps every message with its send time (lab scenario
//     `paced`); we record when each one reaches the panel's store, and when the message list of
//     the selected connection shows it (or a later one: the list follows the newest row).
//     p50 / p99 at 1,000 and 10,000 msg/s.
//  4. Responsiveness: the longest task on the panel's main thread (PerformanceObserver
//     `longtask`, injected into the panel target) while 20,000 msg/s stream for 10 s into the
//     selected connection with its message list visible; a trace of the same seconds says which
//     thread each task of 50 ms or more ran on (panel main, its deriver worker, the service worker).
//  5. Scale: 1,000,000 messages over 1,000 connections through the whole pipeline (page →
//     relay → hub → panel), the panel open throughout: ingest time, then the JS heap of the panel
//     and of the background (after a forced GC, CDP Runtime.getHeapUsage), and whether every
//     message is accounted for (kept, or counted as evicted and shown in the status bar).
//
// The panel benchmarks load a debug build (bench/support/build.ts): identical code, plus
// `window.__saPanelStore` and `globalThis.__saStore` to read the stores from outside.
import { startLab, type Lab } from '../lab/server.ts';
import { DevTools, PanelPage, until } from '../e2e/support/devtools.ts';
import { TargetSession } from '../e2e/support/target-session.ts';
import { extensionBuild } from './support/build.ts';
import { launch, type Bench } from './support/chromium.ts';
import { describeLongTasks, extensionLongTasks, longestByThread, PANEL_MARK, startTrace, type LongTask } from './support/trace.ts';
import { startSinks } from './support/sinks.ts';
import { mib, percentile, round1 } from './support/stats.ts';
import type { BenchOptions, BenchResult } from './types.ts';

interface Sizes {
  /** Seconds streamed per latency rate. */
  latencySeconds: number;
  longtaskRate: number;
  longtaskSeconds: number;
  scaleConnections: number;
  scalePerConnection: number;
}

function sizes(opts: BenchOptions): Sizes {
  if (opts.tiny) return { latencySeconds: 0.3, longtaskRate: 20_000, longtaskSeconds: 0.3, scaleConnections: 20, scalePerConnection: 50 };
  if (opts.quick) return { latencySeconds: 1, longtaskRate: 20_000, longtaskSeconds: 2, scaleConnections: 100, scalePerConnection: 500 };
  // 3 s per latency rate: 30,000 samples at 10,000 msg/s, and the full run stays under 10 minutes.
  return { latencySeconds: 3, longtaskRate: 20_000, longtaskSeconds: 10, scaleConnections: 1_000, scalePerConnection: 1_000 };
}

const HEAP_TARGET_MB = 200;

interface Ready {
  b: Bench;
  devtools: DevTools;
  panel: PanelPage;
}

/** A browser with the extension, DevTools open on our panel, the lab page loaded. */
export async function openPanel(dir: string, lab: Lab): Promise<Ready> {
  const b = await launch({ extension: dir, devtools: true });
  try {
    await b.page.goto(`${lab.url}/`);
    const devtools = await DevTools.forPage(b.context, b.page);
    // Undocked, DevTools gets a window of its own (1280×900 here): the connection list and the
    // message list side by side with some 35 rows visible, as a developer would look at them.
    await devtools.dock('undocked');
    await devtools.showPanel();
    const panel = await devtools.panel();
    await until('the debug store in the panel', () => panel.eval<boolean>('!!window.__saPanelStore'));
    return { b, devtools, panel };
  } catch (e) {
    await b.close();
    throw e;
  }
}

/**
 * Wraps the panel store's `receive` (the entry point of every hub message) to note when each
 * stamped message arrives, and watches the message list to note when it shows each one.
 * Runs inside the panel; costs a regex per stamped message.
 */
const INSTRUMENT = `(() => {
  const store = window.__saPanelStore;
  if (!store.__benchReceive) {
    store.__benchReceive = store.receive;
    store.receive = function (msg, wire) {
      store.__benchReceive.call(this, msg, wire);
      const L = window.__bench;
      if (!L || (msg.type !== 'hub-update' && msg.type !== 'hub-snapshot')) return;
      const now = Date.now();
      for (const b of msg.batches) for (const { ev } of b.events) {
        if (ev.k === 'send') { L.sends++; if (L.sends === L.sendTarget) L.sendsDoneAt = now; continue; }
        if (ev.k !== 'message' || typeof ev.data !== 'string') continue;
        const m = /^(?:42\\["tick",)?\\{"i":(\\d+),"ts":(\\d+)/.exec(ev.data);
        if (!m) continue;
        const i = +m[1];
        if (L.ts[i] !== undefined) continue;
        L.ts[i] = +m[2];
        L.store.push(now - L.ts[i]);
      }
    };
    new MutationObserver(() => {
      const L = window.__bench;
      if (!L) return;
      const rows = document.querySelectorAll('[data-testid="message-row"]');
      let m = null;
      for (let k = rows.length - 1; k >= 0 && !m; k--) m = /"i":(\\d+)/.exec(rows[k].textContent);
      if (!m) return;
      const shown = +m[1];
      if (shown <= L.maxShown) return;
      const now = Date.now();
      for (let j = L.maxShown + 1; j <= shown; j++) if (L.ts[j] !== undefined) L.screen.push(now - L.ts[j]);
      L.maxShown = shown;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }
  window.__bench = { ts: [], store: [], screen: [], maxShown: -1, sends: 0, sendTarget: -1, sendsDoneAt: 0 };
  return true;
})()`;

/** Collects the panel's long tasks (≥ 50 ms, PerformanceObserver `longtask`) into window.__lt. */
export const LONGTASKS = `(() => {
  window.__lt = { max: 0, n: 0, total: 0 };
  if (!PerformanceObserver.supportedEntryTypes.includes('longtask')) return false;
  window.__ltObserver?.disconnect();
  window.__ltObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__lt.n++;
      window.__lt.total += e.duration;
      if (e.duration > window.__lt.max) window.__lt.max = e.duration;
    }
  });
  window.__ltObserver.observe({ type: 'longtask' });
  return true;
})()`;

/**
 * Counts the elements the panel's renders add and remove (a row pool reuses its elements: under a
 * flood its rows change text, not elements) into window.__churn.
 */
const DOM_CHURN = `(() => {
  window.__churn = { added: 0, removed: 0 };
  const count = (nodes) => { let n = 0; for (const x of nodes) if (x.nodeType === 1) n += 1 + x.getElementsByTagName('*').length; return n; };
  new MutationObserver((list) => {
    for (const r of list) { window.__churn.added += count(r.addedNodes); window.__churn.removed += count(r.removedNodes); }
  }).observe(document.body, { subtree: true, childList: true });
})()`;

/**
 * Opens a paced socket in the page; it waits for "go". The page notes, per message, how long
 * after the server's stamp it received it: the floor under every later stage.
 */
async function openPaced(b: Bench, lab: Lab, rate: number, count: number, tag: string, app = ''): Promise<void> {
  await b.page.evaluate(({ url }) => {
    const w = window as unknown as { __paced: WebSocket; __pacedDone: Promise<number>; __pageLat: number[] };
    const ws = new WebSocket(url);
    const lat: number[] = (w.__pageLat = []);
    w.__paced = ws;
    w.__pacedDone = new Promise<number>((resolve, reject) => {
      let n = 0;
      ws.onmessage = (e) => {
        n++;
        const d = e.data as string;
        // {"i":…} or, framed as Socket.IO, 42["tick",{"i":…}]
        if (d.charCodeAt(2) === 105 || d.charCodeAt(12) === 105) lat.push(Date.now() - parseInt(d.slice(d.indexOf('"ts":') + 5), 10));
        else if (d.startsWith('{"done"') || d.startsWith('42["done"')) resolve(n - 1);
      };
      ws.onclose = (e) => reject(new Error(`paced socket closed early: ${e.code} after ${n}`));
    });
    return new Promise<void>((resolve) => (ws.onopen = () => resolve()));
  }, { url: `${lab.wsBase}/ws/paced?count=${count}&rate=${rate}&wait=1&tag=${tag}${app ? `&app=${app}` : ''}` });
}

/** Starts the stream; resolves when the page has every message, with the page's latencies. */
async function streamPaced(b: Bench): Promise<{ pageMs: number; page: number[] }> {
  return b.page.evaluate(async () => {
    const w = window as unknown as { __paced: WebSocket; __pacedDone: Promise<number>; __pageLat: number[] };
    const t0 = performance.now();
    w.__paced.send('go');
    await w.__pacedDone;
    const pageMs = performance.now() - t0;
    w.__paced.onclose = null;
    w.__paced.close();
    return { pageMs, page: w.__pageLat };
  });
}

/** Opens a paced socket (it waits for "go"), selects it in the panel, shows its messages. */
export async function preparePaced(r: Ready, lab: Lab, rate: number, count: number, tag: string, app = ''): Promise<void> {
  await openPaced(r.b, lab, rate, count, tag, app);
  const rows = await r.panel.waitForRows(`the ${tag} socket`, (rs) => rs.some((x) => x.url.includes(`tag=${tag}`)));
  await r.panel.select(rows.find((x) => x.url.includes(`tag=${tag}`))!.id);
  await r.panel.click('[data-testid="tab-messages"]');
  await until('the message list', () => r.panel.eval<boolean>(`!!document.querySelector('[data-testid="message-table"]')`));
  await r.panel.eval(INSTRUMENT);
}

/** Starts the stream and waits until the page, the store and the screen have every message. */
export async function runPaced(r: Ready, count: number, seconds: number): Promise<{ store: number[]; screen: number[]; page: number[]; pageMs: number }> {
  const page = await streamPaced(r.b);
  const timeout = 30_000 + seconds * 3_000;
  await until('every stamped message in the panel store', () => r.panel.eval<boolean>(`window.__bench.store.length >= ${count}`), timeout);
  // The list shows the newest rows; if it never shows the very last one, the figure says so
  // (fewer samples than messages) instead of failing the whole run.
  await until('the last message on screen', () => r.panel.eval<boolean>(`window.__bench.maxShown >= ${count - 1}`), 10_000).catch(() => undefined);
  const got = await r.panel.eval<{ store: number[]; screen: number[] }>(`({ store: window.__bench.store, screen: window.__bench.screen })`);
  return { ...got, ...page };
}

const maxOf = (xs: readonly number[]): number => xs.reduce((a, b) => (b > a ? b : a), -Infinity);

async function latency(dir: string, lab: Lab, s: Sizes): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  // Plain JSON at both rates, and at 1,000 msg/s the same stamps framed as Socket.IO events: the
  // panel then decodes every message (detection, frame column, heartbeat toggle) — side by side
  // with the plain stream of the same rate, in one run.
  const rates: Array<{ rate: number; app: string }> = [
    { rate: 1_000, app: '' },
    { rate: 1_000, app: 'socketio' },
    { rate: 10_000, app: '' },
  ];
  // Side by side: the same streams into a browser with DevTools open and no extension. Chrome's
  // DevTools records every WebSocket frame from the moment it opens, whatever panel is shown;
  // how far the page itself falls behind there is the floor under our figures.
  const floor = new Map<string, { page: number[]; pageMs: number }>();
  const plain = await launch({ devtools: true });
  try {
    await plain.page.goto(`${lab.url}/`);
    const devtools = await DevTools.forPage(plain.context, plain.page);
    await devtools.dock('undocked');
    await devtools.showBuiltinPanel('elements');
    for (const { rate, app } of rates) {
      const count = Math.round(rate * s.latencySeconds);
      await openPaced(plain, lab, rate, count, `base${rate}${app}`, app);
      floor.set(`${rate}${app}`, await streamPaced(plain));
    }
  } finally {
    await plain.close();
  }
  const r = await openPanel(dir, lab);
  try {
    for (const { rate, app } of rates) {
      const count = Math.round(rate * s.latencySeconds);
      await preparePaced(r, lab, rate, count, `lat${rate}${app}`, app);
      const got = await runPaced(r, count, s.latencySeconds);
      const base = floor.get(`${rate}${app}`)!;
      const label = `${rate.toLocaleString('en')} msg/s${app === 'socketio' ? ' as Socket.IO events (decoded)' : ''}`;
      const strict = rate === 10_000;
      const rows: Array<[string, number[], string]> = [
        ['server → page, DevTools open, no extension', base.page, `the page took ${Math.round(base.pageMs)} ms for ${s.latencySeconds} s of stream`],
        ['server → page, with Socket Autopsy', got.page, `the page took ${Math.round(got.pageMs)} ms for ${s.latencySeconds} s of stream`],
        ['server → panel store', got.store, ''],
        ['server → on screen (selected)', got.screen, ''],
      ];
      for (const [what, xs, more] of rows) {
        const ours = what.startsWith('server → panel') || what.startsWith('server → on');
        const p50 = percentile(xs, 50);
        const p99 = percentile(xs, 99);
        const t50 = ours && strict ? { target: '< 50 ms', met: p50 < 50 } : {};
        const t99 = ours && strict ? { target: '< 250 ms', met: p99 < 250 } : {};
        out.push({ name: `latency ${what}, ${label}, p50`, value: round1(p50), unit: 'ms', ...t50, note: `${xs.length.toLocaleString('en')} msgs${more ? `; ${more}` : ''}` });
        out.push({ name: `latency ${what}, ${label}, p99`, value: round1(p99), unit: 'ms', ...t99, note: `max ${round1(maxOf(xs))} ms` });
      }
    }
  } finally {
    await r.b.close();
  }
  return out;
}

export interface LongTaskRun {
  /** PerformanceObserver `longtask` in the panel: its main thread only. */
  lt: { max: number; n: number; total: number };
  /** From the trace: the long tasks of the panel's main thread, its deriver worker and the service worker. */
  threads: string;
  longest: Partial<Record<LongTask['thread'], number>>;
  longTasks: LongTask[];
  rate: number;
  storeP99: number;
  watchMs: number;
  /** Elements the panel added and removed while watched. */
  churn: { added: number; removed: number };
  /** Where the panel derives: `worker`, `local` (its own thread), or `none` (a build before the worker). */
  deriver: string;
}

/** Streams `rate` msg/s for `seconds` into the selected connection and watches the panel's tasks. */
export async function measureLongTasks(dir: string, lab: Lab, rate: number, seconds: number): Promise<LongTaskRun> {
  const r = await openPanel(dir, lab);
  try {
    const count = Math.round(rate * seconds);
    await preparePaced(r, lab, rate, count, 'longtask');
    const supported = await r.panel.eval<boolean>(LONGTASKS);
    if (!supported) throw new Error('longtask entries are not supported in the panel target');
    // The server streams for `seconds`; the page, with DevTools recording every frame, takes
    // several times that to receive it all (measured: ~3,000 of the 20,000 msg/s, 67 s for the
    // 10 s stream). The panel is at full load from the first second to the last, so we watch it
    // for the stream's own length plus 5 s, then stop, rather than spend a minute of the bench's
    // 10 on more of the same.
    const watchMs = (seconds + 5) * 1000;
    await r.panel.eval(DOM_CHURN);
    const stopTrace = await startTrace(r.b.context);
    await r.panel.eval(`performance.mark(${JSON.stringify(PANEL_MARK)})`);
    await r.b.page.evaluate('window.__paced.send("go")');
    await new Promise((res) => setTimeout(res, watchMs));
    const lt = await r.panel.eval<{ max: number; n: number; total: number }>('window.__lt');
    const events = await stopTrace();
    const deriver = await r.panel.eval<string>(`window.__saDeriver?.mode ?? 'none'`);
    const churn = await r.panel.eval<{ added: number; removed: number }>('window.__churn');
    const inStore = await r.panel.eval<number>('window.__bench.store.length');
    const store = await r.panel.eval<number[]>('window.__bench.store');
    await r.b.page.evaluate('(() => { window.__paced.onclose = null; window.__paced.close(); })()');
    return {
      lt,
      threads: describeLongTasks(events),
      longest: longestByThread(events),
      longTasks: extensionLongTasks(events).tasks,
      rate: Math.round((inStore / watchMs) * 1000),
      storeP99: round1(percentile(store, 99)),
      watchMs,
      churn,
      deriver,
    };
  } finally {
    await r.b.close();
  }
}

async function longtask(dir: string, lab: Lab, s: Sizes): Promise<BenchResult[]> {
  const m = await measureLongTasks(dir, lab, s.longtaskRate, s.longtaskSeconds);
  return [
    {
      name: `panel longest task, ${s.longtaskRate.toLocaleString('en')} msg/s for ${s.longtaskSeconds} s, list visible`,
      value: round1(m.lt.max),
      unit: 'ms',
      target: '< 50 ms',
      met: m.lt.max < 50,
      note: `deriving in: ${m.deriver}; panel main thread (longtask observer): ${m.lt.n} tasks ≥ 50 ms (${Math.round(m.lt.total)} ms in all) in ${m.watchMs / 1000} s watched; trace, by thread: ${m.threads}; DOM elements added / removed while watched ${m.churn.added} / ${m.churn.removed}; the panel got ${m.rate.toLocaleString('en')} msg/s of the ${s.longtaskRate.toLocaleString('en')} sent; store p99 ${m.storeP99} ms`,
    },
  ];
}

interface Accounting {
  connections: number;
  sent: number;
  kept: number;
  evictedPanel: number;
  shownEvicted: number;
  shownText: string;
}

/** Sink servers (ports) the scale benchmark spreads its sockets over. */
const SINKS = 8;

/**
 * A browser with the extension, the lab page, and the panel as the standalone viewer bound to
 * that page's tab (no DevTools). For the scale figure: "the store and views ingesting" a million
 * messages is our pipeline's capacity; with DevTools open, Chrome's own Network recording of
 * every frame paces the page's sends instead (measured: 6,200 msg/s end to end, 161 s for the
 * million, most of the full bench's time budget).
 */
async function openViewer(dir: string, lab: Lab): Promise<Ready> {
  const b = await launch({ extension: dir });
  try {
    await b.page.goto(`${lab.url}/`);
    const sw = b.context.serviceWorkers()[0] ?? (await b.context.waitForEvent('serviceworker'));
    const extId = new URL(sw.url()).host;
    // The lab page is the browser's only tab: tabs.query gives its id (without the `tabs`
    // permission it omits URLs, not ids). The hub does not know the tab yet: a relay connects only
    // once a panel or viewer watches its tab.
    const tabId = await until('the lab tab', () =>
      sw.evaluate<number | undefined>('chrome.tabs.query({}).then((tabs) => (tabs.length === 1 ? tabs[0].id : undefined))'),
    );
    const viewerUrl = `chrome-extension://${extId}/src/panel/panel.html?tab=${tabId}`;
    const viewer = await b.context.newPage();
    await viewer.goto(viewerUrl);
    // The lab page sends; keep it the foreground tab so its timers are not throttled.
    await b.page.bringToFront();
    const target = await until('the viewer target', async () => {
      const { targetInfos } = await b.cdp.send('Target.getTargets');
      return (targetInfos as Array<{ targetId: string; type: string; url: string }>).find((t) => t.type === 'page' && t.url === viewerUrl);
    });
    const panel = new PanelPage(await TargetSession.attach(b.cdp, target.targetId));
    await until('the debug store in the viewer', () => panel.eval<boolean>('!!window.__saPanelStore'));
    return { b, devtools: undefined as unknown as DevTools, panel };
  } catch (e) {
    await b.close();
    throw e;
  }
}

async function scale(dir: string, lab: Lab, s: Sizes): Promise<BenchResult[]> {
  const total = s.scaleConnections * s.scalePerConnection;
  const sinks = await startSinks(SINKS);
  const r = await openViewer(dir, lab).catch(async (e: unknown) => {
    await sinks.close();
    throw e;
  });
  try {
    await r.panel.eval(INSTRUMENT);
    await r.panel.eval(`window.__bench.sendTarget = ${total}`);
    await r.panel.eval(LONGTASKS);
    // Sockets to SINKS servers on as many ports (bench/support/sinks.ts: Chromium opens one
    // socket per endpoint at a time), as many opening at once; each sends its share in one
    // task and closes, and every 10 sockets the page yields, like a busy app's tasks would.
    // (A string, not a function: tsx names the inner arrow functions with a helper the page lacks.)
    const page = await r.b.page.evaluate<{ t0: number; sendMs: number }>(`(async () => {
      const sinks = ${JSON.stringify(sinks.urls)}, conns = ${s.scaleConnections}, per = ${s.scalePerConnection};
      const open = (c) => new Promise((resolve, reject) => {
        const ws = new WebSocket(sinks[c % sinks.length] + '/chat?c=' + c);
        ws.onopen = () => resolve(ws);
        ws.onerror = () => reject(new Error('socket ' + c + ' failed'));
      });
      const t0 = Date.now();
      const pending = [];
      for (let c = 0; c < Math.min(sinks.length, conns); c++) pending[c] = open(c);
      // Sockets still closing (their sends draining): Chromium refuses new ones past a limit per
      // renderer, reached when nothing (DevTools' recording) slows the page down.
      const closing = new Set();
      for (let c = 0; c < conns; c++) {
        const ws = await pending[c];
        pending[c] = undefined;
        if (c + sinks.length < conns) pending[c + sinks.length] = open(c + sinks.length);
        for (let m = 0; m < per; m++) ws.send('{"c":' + c + ',"m":' + m + ',"text":"a chat message of ordinary length"}');
        const closed = new Promise((res) => (ws.onclose = res));
        closing.add(closed);
        closed.then(() => closing.delete(closed));
        ws.close(1000, 'done');
        if (closing.size >= 64) await Promise.race(closing);
        if (c % 10 === 9) await new Promise((res) => setTimeout(res, 0));
      }
      return { t0, sendMs: Date.now() - t0 };
    })()`);
    const doneAt = await until('every message in the panel store', () => r.panel.eval<number>('window.__bench.sendsDoneAt || 0').then((x) => x || undefined), 60_000 + total / 10);
    const ingestMs = doneAt - page.t0;
    const lt = await r.panel.eval<{ max: number; n: number; total: number }>('window.__lt');
    // The views settle (last render, last derive), then we read what the panel shows.
    // The count as a number (data-count): its text is grouped by the locale ("1,000 connections").
    await until('every connection listed', async () => (await r.panel.eval<string | null>(`document.querySelector('[data-testid="conn-count"]')?.dataset.count ?? null`)) === String(s.scaleConnections) || undefined, 30_000);
    await new Promise((res) => setTimeout(res, 1_500));
    const acc = await r.panel.eval<Accounting>(`(() => {
      const st = window.__saPanelStore;
      let sent = 0, kept = 0, evictedPanel = 0, connections = 0;
      for (const c of st.session.connections.values()) { connections++; sent += c.stats.sent; kept += c.messages.length; evictedPanel += c.stats.evicted; }
      const shownText = document.querySelector('[data-testid="drops-evicted"]')?.textContent ?? '';
      const shownEvicted = Number((shownText.match(/[\\d,]+/) ?? ['0'])[0].replace(/,/g, ''));
      return { connections, sent, kept, evictedPanel, shownEvicted, shownText };
    })()`);
    const panelHeap = await heapOf(r.panel.session);
    const worker = await workerSession(r.b);
    const hubHeap = await heapOf(worker);
    const hub = await worker.evaluate<{ held: number; evicted: number }>(`(() => {
      let held = 0, evicted = 0;
      for (const t of globalThis.__saStore.tabs.values()) for (const d of t.docs.values()) { held += d.ring.size; evicted += d.info.drops.evicted; }
      return { held, evicted };
    })()`);
    worker.detach();
    const label = `${total.toLocaleString('en')} msgs / ${s.scaleConnections.toLocaleString('en')} conns, panel in a viewer tab`;
    const exact = acc.sent === total && acc.connections === s.scaleConnections;
    const accounted = acc.kept + acc.evictedPanel === total;
    const shown = acc.evictedPanel === 0 || acc.shownEvicted >= acc.evictedPanel;
    return [
      {
        name: `scale: ingest (${label})`,
        value: Math.round(ingestMs),
        unit: 'ms',
        note: `${Math.round((total / ingestMs) * 1000).toLocaleString('en')} msg/s end to end; the page's sends took ${Math.round(page.sendMs)} ms; panel's longest task meanwhile ${round1(lt.max)} ms`,
      },
      { name: `scale: panel JS heap after (${label})`, value: mib(panelHeap), unit: 'MiB', target: `≤ ${HEAP_TARGET_MB} MiB`, met: mib(panelHeap) <= HEAP_TARGET_MB, note: `keeps ${acc.kept.toLocaleString('en')} messages` },
      { name: `scale: background JS heap after (${label})`, value: mib(hubHeap), unit: 'MiB', target: `≤ ${HEAP_TARGET_MB} MiB`, met: mib(hubHeap) <= HEAP_TARGET_MB, note: `holds ${hub.held.toLocaleString('en')} events; ${hub.evicted.toLocaleString('en')} evicted by the relay and hub buffers, forwarded first or not` },
      {
        name: `scale: messages accounted for (${label})`,
        value: acc.kept + acc.evictedPanel,
        unit: 'msgs',
        target: `${total.toLocaleString('en')}, counts exact, evictions shown`,
        met: exact && accounted && shown,
        note: `${acc.kept.toLocaleString('en')} kept + ${acc.evictedPanel.toLocaleString('en')} evicted by the panel; status bar: "${acc.shownText || 'no evictions'}"`,
      },
    ];
  } finally {
    await r.b.close();
    await sinks.close();
  }
}

/** JS heap in use after a full GC. */
export async function heapOf(t: TargetSession): Promise<number> {
  await t.send('HeapProfiler.enable');
  await t.send('HeapProfiler.collectGarbage');
  const h = await t.send<{ usedSize: number }>('Runtime.getHeapUsage');
  return h.usedSize;
}

/** The extension's service worker, as its own CDP target. */
export async function workerSession(b: Bench): Promise<TargetSession> {
  const target = await until('the background service worker', async () => {
    const { targetInfos } = await b.cdp.send('Target.getTargets');
    return (targetInfos as Array<{ targetId: string; type: string; url: string }>).find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  });
  return TargetSession.attach(b.cdp, target.targetId);
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const s = sizes(opts);
  const dir = await extensionBuild('debug');
  const lab = await startLab();
  try {
    return [...(await latency(dir, lab, s)), ...(await longtask(dir, lab, s)), ...(await scale(dir, lab, s))];
  } finally {
    await lab.close();
  }
}

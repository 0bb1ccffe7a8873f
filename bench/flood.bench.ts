// Floods at the sizes the extension is built to survive (docs/performance.md), with the real panel open in real DevTools (Chromium, headless):
//
//  1. A paced stream of 50,000 msg/s for 10 s (lab scenario `paced`): what the page received
//     against what the server sent, how late the page's own timers ran meanwhile (does the page
//     keep working), whether the panel's counts are exact, and whether the events the buffers
//     had to evict are shown in the status bar with the number the counters hold.
//  2. Single frames of 16 MiB, text and binary (scenario `flood`): received intact by the page,
//     listed at their full size in the panel and marked truncated (only 16 KiB is kept).
//  3. 1,000 sockets opened and closed within one task (closed while connecting, so no
//     handshake throttling stretches it past a second): every close reaches the page, every
//     socket is listed.
//  4. Afterwards: the JS heap of the panel and of the background (after a forced GC), against
//     the 200 MiB cap, and whether the page and the panel still answer.
//
// `--quick` shrinks the sizes (50,000 msg/s for 2 s, 4 MiB frames, 300 sockets), `--tiny` (the
// smoke test in `npm test`) more still; the code paths are the same.
import { until } from '../e2e/support/devtools.ts';
import { startLab, type Lab } from '../lab/server.ts';
import { heapOf, openPanel, workerSession } from './panel.bench.ts';
import { extensionBuild } from './support/build.ts';
import { mib, round1 } from './support/stats.ts';
import type { BenchOptions, BenchResult } from './types.ts';

interface Sizes {
  rate: number;
  seconds: number;
  frameBytes: number;
  sockets: number;
}

function sizes(opts: BenchOptions): Sizes {
  if (opts.tiny) return { rate: 5_000, seconds: 0.2, frameBytes: 256 * 1024, sockets: 20 };
  if (opts.quick) return { rate: 50_000, seconds: 1, frameBytes: 1024 * 1024, sockets: 100 };
  return { rate: 50_000, seconds: 10, frameBytes: 16 * 1024 * 1024, sockets: 1_000 };
}

const HEAP_TARGET_MB = 200;
const fmt = (n: number): string => n.toLocaleString('en');
const sizeLabel = (bytes: number): string => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`);

type Ready = Awaited<ReturnType<typeof openPanel>>;

/** The panel's view of one connection (by a URL fragment), read from its debug store. */
interface ConnView {
  received: number;
  sent: number;
  kept: number;
  evicted: number;
  closed: boolean;
}
const connView = (r: Ready, urlPart: string) =>
  r.panel.eval<ConnView | null>(`(() => {
    for (const c of window.__saPanelStore.session.connections.values()) {
      if (!c.url.includes(${JSON.stringify(urlPart)})) continue;
      return { received: c.stats.received, sent: c.stats.sent, kept: c.messages.length, evicted: c.stats.evicted + c.stats.missed, closed: c.state === 'closed' };
    }
    return null;
  })()`);

async function flood(r: Ready, lab: Lab, s: Sizes): Promise<BenchResult[]> {
  const count = Math.round(s.rate * s.seconds);
  const label = `${fmt(s.rate)} msg/s for ${s.seconds} s`;
  // The page counts every message and watches its own 10 ms timer: how late it fires is how
  // long the page could not run anything else. It waits for the whole stream up to a deadline,
  // then closes: on a slow or busy machine the page falls behind the server (measured here with
  // DevTools open and no extension at all, too), and the module must end in bounded time.
  const deadlineMs = Math.round(s.seconds * 1_000 + 15_000);
  const page = await r.b.page.evaluate<{ received: number; done: boolean; serverCount: number; ms: number; maxTimerLate: number }>(`(async () => {
    const ws = new WebSocket(${JSON.stringify(`${lab.wsBase}/ws/paced?count=${count}&rate=${s.rate}&wait=1&tag=flood`)});
    await new Promise((res, rej) => { ws.onopen = res; ws.onerror = () => rej(new Error('flood socket failed')); });
    let maxTimerLate = 0, last = performance.now();
    const timer = setInterval(() => { const now = performance.now(); maxTimerLate = Math.max(maxTimerLate, now - last - 10); last = now; }, 10);
    const t0 = performance.now();
    let received = 0, done = false, serverCount = ${count}, ms = 0;
    ws.onmessage = (e) => {
      if (e.data.charCodeAt(2) === 105 /* {"i": */) received++;
      else if (e.data.startsWith('{"done"')) {
        done = true;
        serverCount = JSON.parse(e.data).count;
        ms = performance.now() - t0;
        ws.close(1000, 'flood done');
      }
    };
    const deadline = setTimeout(() => ws.close(1000, 'deadline'), ${deadlineMs});
    // The close event comes after every message event: the counts are final there.
    await new Promise((res) => { ws.onclose = res; ws.send('go'); });
    clearTimeout(deadline);
    clearInterval(timer);
    return { received, done, serverCount, ms: ms || performance.now() - t0, maxTimerLate };
  })()`);
  // Everything the page got, plus the "done" message if it came, counted by the panel.
  const want = page.received + (page.done ? 1 : 0);
  const view = await until('the flood counted in the panel', () => connView(r, 'tag=flood').then((v) => (v && v.closed && v.received >= want ? v : undefined)), 60_000);
  // The views settle, then we read what the status bar says against the counters behind it.
  await new Promise((res) => setTimeout(res, 1_000));
  const drops = await r.panel.eval<{ counters: number; shownText: string }>(`(() => ({
    counters: window.__saPanelStore.drops().evicted,
    shownText: document.querySelector('[data-testid="drops-evicted"]')?.textContent ?? '',
  }))()`);
  const shown = Number((drops.shownText.match(/[\d,]+/) ?? ['0'])[0].replace(/,/g, ''));
  return [
    {
      name: `flood: messages the page received, ${label}`,
      value: page.received,
      unit: 'msgs',
      // No target: on two cores the page cannot take 50,000 msg/s even with no extension and no
      // DevTools (~9,000 msg/s measured here), so within the deadline it gets what the machine
      // lets it; what we owe is the next three figures and a page that still answers.
      note: `of ${fmt(count)} sent; ${page.done ? `all ${fmt(page.serverCount)} in` : `NOT all by the ${deadlineMs / 1000} s deadline: ${fmt(page.received)} in`} ${Math.round(page.ms)} ms (${fmt(Math.round((page.received / page.ms) * 1000))} msg/s); the page's 10 ms timer ran up to ${round1(page.maxTimerLate)} ms late`,
    },
    {
      name: `flood: messages the panel counted, ${label}`,
      value: view.received,
      unit: 'msgs',
      target: 'exact: = received by the page',
      // Its records hold both directions (the page's "go" too): each is kept or counted evicted.
      met: view.received === want && view.kept + view.evicted === view.received + view.sent,
      note: `${fmt(view.kept)} records kept + ${fmt(view.evicted)} not kept (the panel's per-connection cap, or evicted upstream) (${fmt(view.sent)} sent, ${fmt(view.received)} received)`,
    },
    {
      name: `flood: evicted events in the status bar, ${label}`,
      value: shown,
      unit: 'events',
      // The status bar counts what the panel lacks (sequence gaps and its own evictions, not the
      // buffers' counters): with the flood the page's only busy socket, that is what the flood
      // connection lacks.
      target: 'shown, = the records the flood connection lacks',
      met: shown === drops.counters && shown === view.evicted && (drops.counters === 0 || drops.shownText !== ''),
      note: `status bar: "${drops.shownText || 'nothing evicted'}"; the store's count: ${fmt(drops.counters)}; the connection lacks ${fmt(view.evicted)}`,
    },
  ];
}

async function frames(r: Ready, lab: Lab, s: Sizes): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const binary of [false, true]) {
    const tag = binary ? 'bigbin' : 'bigtext';
    // The page checks every byte: a frame cut or altered by the hook would show here.
    const page = await r.b.page.evaluate<{ size: number; intact: boolean; ms: number }>(`(async () => {
      const ws = new WebSocket(${JSON.stringify(`${lab.wsBase}/ws/flood?count=1&size=${s.frameBytes}&binary=${binary ? 1 : 0}&tag=${tag}`)});
      ws.binaryType = 'arraybuffer';
      const t0 = performance.now();
      return new Promise((res, rej) => {
        let first;
        ws.onmessage = (e) => {
          if (first) return ws.close();
          const d = e.data;
          if (typeof d === 'string') first = { size: d.length, intact: /^x*$/.test(d) };
          else { const b = new Uint8Array(d); first = { size: b.length, intact: b.every((x) => x === 0x61) }; }
          first.ms = performance.now() - t0;
        };
        ws.onclose = () => (first ? res(first) : rej(new Error('no frame')));
      });
    })()`);
    const t0 = Date.now();
    // In the panel, as a developer would look: select the socket, open its messages.
    const rows = await r.panel.waitForRows(`the ${tag} socket`, (rs) => rs.some((x) => x.url.includes(`tag=${tag}`) && x.code), 30_000);
    await r.panel.select(rows.find((x) => x.url.includes(`tag=${tag}`))!.id);
    await r.panel.click('[data-testid="tab-messages"]');
    const row = await until(
      `the ${tag} frame in the message list`,
      () =>
        r.panel
          .eval<{ size: string; trunc: boolean } | null>(`(() => { const r = [...document.querySelectorAll('[data-testid="message-row"]')].find(r => Number(r.dataset.size) === ${s.frameBytes}); return r ? { size: r.querySelector('.m-size').textContent, trunc: !!r.querySelector('.tag.warn') } : null; })()`)
          .then((x) => x ?? undefined),
      30_000,
    );
    const shownMs = Date.now() - t0;
    out.push({
      name: `frame of ${sizeLabel(s.frameBytes)}, ${binary ? 'binary' : 'text'}: received intact, listed truncated`,
      value: page.size,
      unit: 'bytes',
      target: `${fmt(s.frameBytes)}, intact; listed at full size, marked truncated`,
      met: page.size === s.frameBytes && page.intact && row.trunc,
      note: `the page had it in ${Math.round(page.ms)} ms${page.intact ? '' : ' — NOT intact'}; the panel lists "${row.size}"${row.trunc ? ', truncated' : ', NOT marked truncated'} (shown ${shownMs} ms after the page's close)`,
    });
  }
  return out;
}

async function sockets(r: Ready, lab: Lab, s: Sizes): Promise<BenchResult[]> {
  const before = (await r.panel.rows()).length;
  const page = await r.b.page.evaluate<{ createMs: number; closedMs: number; codes: number[] }>(`(async () => {
    const t0 = performance.now();
    const all = [];
    for (let i = 0; i < ${s.sockets}; i++) {
      const ws = new WebSocket(${JSON.stringify(`${lab.wsBase}/ws/idle?storm=`)} + i);
      all.push(new Promise((res) => (ws.onclose = (e) => res(e.code))));
      ws.close();
    }
    const createMs = performance.now() - t0;
    const codes = await Promise.all(all);
    return { createMs, closedMs: performance.now() - t0, codes: [...new Set(codes)] };
  })()`);
  const t0 = Date.now();
  const listed = await until(
    `${s.sockets} sockets listed`,
    async () => {
      const n = await r.panel.eval<number>(`[...window.__saPanelStore.session.connections.values()].filter(c => c.url.includes('storm=')).length`);
      // The count as a number (data-count): its text is grouped by the locale ("1,000 connections").
      const count = await r.panel.eval<string | null>(`document.querySelector('[data-testid="conn-count"]')?.dataset.count ?? null`);
      return n === s.sockets && count === String(before + s.sockets) ? n : undefined;
    },
    60_000,
  );
  return [
    {
      name: `${fmt(s.sockets)} sockets opened and closed in one task: all listed`,
      value: listed,
      unit: 'sockets',
      target: `${fmt(s.sockets)} listed, every close seen by the page`,
      met: listed === s.sockets && page.codes.length === 1 && page.codes[0] === 1006,
      note: `created and closed in ${Math.round(page.createMs)} ms, every close event in ${Math.round(page.closedMs)} ms (codes ${page.codes.join(', ')}); the panel listed them all ${Date.now() - t0} ms later`,
    },
  ];
}

async function after(r: Ready, s: Sizes): Promise<BenchResult[]> {
  // Still answering: the page runs a script, the panel reacts to a click and is connected.
  const t0 = Date.now();
  const pageAnswers = (await r.b.page.evaluate(() => 6 * 7)) === 42;
  const pageMs = Date.now() - t0;
  const t1 = Date.now();
  // With over a thousand connections the list is virtualized: find the flood socket the way a
  // developer would, by typing in the filter.
  await r.panel.eval(`(() => { const f = document.querySelector('[data-testid="filter"]'); f.value = 'tag=flood'; f.dispatchEvent(new Event('input', { bubbles: true })); })()`);
  const rows = await r.panel.waitForRows('the flood socket alone', (rs) => rs.length === 1 && rs[0]!.url.includes('tag=flood'), 30_000).catch(() => []);
  const flood = rows[0];
  if (flood) await r.panel.select(flood.id);
  await r.panel.click('[data-testid="tab-messages"]');
  await until('the flood\'s messages on screen', async () => (await r.panel.count('[data-testid="message-row"]')) > 0 || undefined, 30_000);
  const panelMs = Date.now() - t1;
  const disconnected = await r.panel.count('[data-testid="disconnected"]');
  const panelHeap = await heapOf(r.panel.session);
  const worker = await workerSession(r.b);
  const hubHeap = await heapOf(worker);
  worker.detach();
  const all = `flood ${fmt(Math.round(s.rate * s.seconds))} msgs, 2 × ${sizeLabel(s.frameBytes)}, ${fmt(s.sockets)} sockets`;
  return [
    { name: `panel JS heap after (${all})`, value: mib(panelHeap), unit: 'MiB', target: `≤ ${HEAP_TARGET_MB} MiB`, met: mib(panelHeap) <= HEAP_TARGET_MB },
    { name: `background JS heap after (${all})`, value: mib(hubHeap), unit: 'MiB', target: `≤ ${HEAP_TARGET_MB} MiB`, met: mib(hubHeap) <= HEAP_TARGET_MB },
    {
      name: 'still usable after: select the flood socket, its messages on screen',
      value: panelMs,
      unit: 'ms',
      target: 'page and panel answer, panel connected',
      met: pageAnswers && !!flood && disconnected === 0,
      note: `the page answered a script in ${pageMs} ms${disconnected ? '; the panel says disconnected' : ''}`,
    },
  ];
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const s = sizes(opts);
  const dir = await extensionBuild('debug');
  const lab = await startLab();
  let r: Ready | undefined;
  try {
    // One browser for the whole sequence: the caps must hold for what piles up, not per phase.
    r = await openPanel(dir, lab);
    return [...(await flood(r, lab, s)), ...(await frames(r, lab, s)), ...(await sockets(r, lab, s)), ...(await after(r, s))];
  } finally {
    await r?.b.close();
    await lab.close();
  }
}

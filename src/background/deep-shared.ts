// Deep capture of Shared Workers (deep.ts). Measured in Chromium 156 (docs/deep-capture.md): a
// tab's Target.setAutoAttach attaches its dedicated and service workers but never the Shared
// Workers its pages connect to, and the tab's session may not use Target.setDiscoverTargets,
// Target.getTargets ("Not allowed") nor Target.autoAttachRelated ("only supported on the Browser
// target"). chrome.debugger.getTargets() does list a Shared Worker (type 'worker', no tabId) and
// chrome.debugger.attach({targetId}) attaches to it, already running: the hook goes in late. A
// socket it opened before is not the hook's, and its later network events carry no URL (its
// webSocketCreated came before Network.enable), so it is not listed; every later socket is.
//
// One attachment per Shared Worker, listed in every tab with deep capture on whose page has the
// worker's origin (HTML: a SharedWorker's script is same-origin with the page that constructs it):
// each such tab gets a document of its own for it, so no tab counts it twice.
import { cdpOffset, cdpPatch } from '../core/network/net-cdp.ts';
import { REFUSAL_TEXT_MAX, REFUSAL_URL_MAX, type SharedRefusal } from '../core/wire/deep.ts';
import { attachError } from './deep-errors.ts';
import type { DebuggerApi, Debuggee, DeepSink } from './deep-types.ts';

/** How often the browser's targets are listed while deep capture is on somewhere (latency of a new Shared Worker). */
const SCAN_MS = 300;
/** How often an attached Shared Worker's batches are read (as deep.ts does for the tab's workers). */
const POLL_MS = 200;
/** A worker that does not answer a look at its global scope in this long is held by someone (paused): not ours. */
const KIND_TIMEOUT_MS = 1000;

export interface SharedHost {
  api: DebuggerApi;
  sink: DeepSink;
  hookSource: (binding: string, url: string) => string;
  random: () => string;
  now: () => number;
  /** Tabs whose deep capture is on. */
  tabsOn(): number[];
  /** Targets a tab's auto-attach already holds (its dedicated and service workers): not ours to attach again. */
  known(targetId: string): boolean;
  /** A tab's worker count changed. */
  changed(tabId: number): void;
}

interface Shared {
  targetId: string;
  url: string;
  binding: string;
  /** tab → that tab's document for this worker. */
  owners: Map<number, string>;
  offset?: number;
  timer?: ReturnType<typeof setTimeout>;
}

function origin(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export class SharedWorkers {
  private attached = new Map<string, Shared>();
  /** Attaching, or not a Shared Worker, or refused (another debugger): not tried again while deep capture runs. */
  private skip = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  /** Shared Workers Chrome would not attach (another debugger holds them), and the deep tabs of their origin. */
  private refused = new Map<string, SharedRefusal & { owners: number[] }>();

  constructor(private readonly host: SharedHost) {}

  /** A Shared Worker of the tab's origin Chrome refused, while it runs: the panel says its sockets are the network's only. */
  refusal(tabId: number): SharedRefusal | undefined {
    for (const r of this.refused.values()) if (r.owners.includes(tabId)) return { url: r.url, text: r.text };
    return undefined;
  }

  count(tabId: number): number {
    let n = 0;
    for (const s of this.attached.values()) if (s.owners.has(tabId)) n++;
    return n;
  }

  /** Deep capture's tabs changed: scan while any is on; a tab no longer on loses its documents. */
  update(): void {
    const on = new Set(this.host.tabsOn());
    for (const s of [...this.attached.values()]) {
      for (const tabId of [...s.owners.keys()]) if (!on.has(tabId)) this.disown(s, tabId);
    }
    if (on.size && this.timer === undefined) this.timer = setTimeout(() => void this.scan(), 0);
    if (!on.size) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.skip.clear();
      this.refused.clear();
    }
  }

  private async scan(): Promise<void> {
    try {
      await this.scanOnce();
    } catch {
      // getTargets failed (the browser shutting down): the next scan tries again.
    }
    this.timer = this.host.tabsOn().length ? setTimeout(() => void this.scan(), SCAN_MS) : undefined;
  }

  private async scanOnce(): Promise<void> {
    const tabs = this.host.tabsOn();
    if (!tabs.length) return;
    const targets = await this.host.api.getTargets();
    const pageOrigin = new Map<number, string | undefined>();
    for (const t of targets) if (t.type === 'page' && t.tabId !== undefined && tabs.includes(t.tabId)) pageOrigin.set(t.tabId, origin(t.url));
    const ownersOf = (url: string) => {
      const o = origin(url);
      return o ? tabs.filter((tab) => pageOrigin.get(tab) === o) : [];
    };
    const live = new Set(targets.map((t) => t.id));
    for (const s of [...this.attached.values()]) {
      if (!live.has(s.targetId)) {
        this.gone(s);
        continue;
      }
      const want = ownersOf(s.url);
      for (const tab of want) if (!s.owners.has(tab)) this.own(s, tab);
      for (const tab of [...s.owners.keys()]) if (!want.includes(tab)) this.disown(s, tab);
    }
    for (const [id, r] of [...this.refused]) {
      const want = live.has(id) ? ownersOf(r.url) : [];
      if (want.join() === r.owners.join()) continue;
      const was = r.owners;
      if (want.length) r.owners = want;
      else this.refused.delete(id);
      for (const tab of new Set([...was, ...want])) this.host.changed(tab);
    }
    for (const t of targets) {
      if (t.type !== 'worker' || t.tabId !== undefined || this.attached.has(t.id) || this.skip.has(t.id) || this.host.known(t.id)) continue;
      const owners = ownersOf(t.url);
      if (owners.length) void this.attach(t.id, t.url, owners);
    }
  }

  private async attach(targetId: string, url: string, owners: number[]): Promise<void> {
    this.skip.add(targetId);
    const target: Debuggee = { targetId };
    const { api } = this.host;
    try {
      await api.attach(target, '1.3');
    } catch (err) {
      // Another debugger holds it, or it closed at once: its sockets stay the network layer's
      // (webRequest). The first is said in the panel of each deep tab of its origin, with Chrome's
      // words; one that closed at once leaves nothing to say.
      const text = String((err as Error)?.message ?? err);
      if (attachError(text) !== 'target-gone') {
        this.refused.set(targetId, { url: url.slice(0, REFUSAL_URL_MAX), text: text.slice(0, REFUSAL_TEXT_MAX), owners });
        for (const tab of owners) this.host.changed(tab);
      }
      return;
    }
    const send = (method: string, params: object = {}) => api.sendCommand(target, method, params);
    let shared = false;
    try {
      // getTargets calls every worker 'worker': only its global scope tells a Shared Worker. A
      // dedicated or service worker paused for a tab's session does not answer until released.
      const r = (await Promise.race([
        send('Runtime.evaluate', { expression: `typeof SharedWorkerGlobalScope === 'function'`, returnByValue: true, silent: true }),
        new Promise((res) => setTimeout(res, KIND_TIMEOUT_MS)),
      ])) as { result?: { value?: unknown } } | undefined;
      shared = r?.result?.value === true;
    } catch {
      shared = false;
    }
    if (!shared || !this.host.tabsOn().some((tab) => owners.includes(tab))) {
      await api.detach(target).catch(() => undefined);
      return;
    }
    const s: Shared = { targetId, url, binding: `sa_${this.host.random()}`, owners: new Map() };
    this.attached.set(targetId, s);
    for (const tab of owners) if (this.host.tabsOn().includes(tab)) this.own(s, tab);
    try {
      await send('Network.enable', {});
      const ev = (await send('Runtime.evaluate', { expression: this.host.hookSource(s.binding, url), silent: true })) as { exceptionDetails?: unknown } | undefined;
      if (ev?.exceptionDetails) return; // unwrapped: its sockets are the network layer's only
    } catch {
      return; // closed while we set it up: onDetach cleans up
    }
    this.poll(s);
  }

  private own(s: Shared, tabId: number): void {
    const doc = `w-${this.host.random()}`;
    s.owners.set(tabId, doc);
    this.host.sink.workerDoc(tabId, doc, s.url);
    this.host.changed(tabId);
  }

  private disown(s: Shared, tabId: number): void {
    const doc = s.owners.get(tabId);
    if (doc === undefined) return;
    s.owners.delete(tabId);
    this.host.sink.workerGone(tabId, doc);
    this.host.changed(tabId);
    if (!s.owners.size) {
      clearTimeout(s.timer);
      this.attached.delete(s.targetId);
      void this.host.api.detach({ targetId: s.targetId }).catch(() => undefined);
    }
  }

  private gone(s: Shared): void {
    clearTimeout(s.timer);
    this.attached.delete(s.targetId);
    for (const [tabId, doc] of s.owners) {
      this.host.sink.workerGone(tabId, doc);
      this.host.changed(tabId);
    }
    s.owners.clear();
  }

  private poll(s: Shared): void {
    const expression = `(() => { const f = globalThis[${JSON.stringify(s.binding)}]; return typeof f === 'function' ? f() : []; })()`;
    const tick = async (): Promise<void> => {
      if (this.attached.get(s.targetId) !== s) return;
      try {
        const r = (await this.host.api.sendCommand({ targetId: s.targetId }, 'Runtime.evaluate', { expression, returnByValue: true, silent: true })) as { result?: { value?: unknown } } | undefined;
        const batches = r?.result?.value;
        if (Array.isArray(batches)) {
          for (const b of batches) if (typeof b === 'string') for (const [tabId, doc] of s.owners) this.host.sink.workerBatch(tabId, doc, b);
        }
      } catch {
        return; // gone: the scan or onDetach cleans up
      }
      s.timer = setTimeout(() => void tick(), POLL_MS);
    };
    s.timer = setTimeout(() => void tick(), POLL_MS);
  }

  /** An event of a target attached by id; false when it is none of ours. */
  onEvent(source: Debuggee, method: string, p: Record<string, unknown>): boolean {
    const s = source.targetId ? this.attached.get(source.targetId) : undefined;
    if (!s) return false;
    if (!method.startsWith('Network.webSocket')) return true;
    const offset = cdpOffset(method, p);
    if (offset !== undefined) s.offset = offset;
    for (const [tabId, doc] of s.owners) {
      const patch = cdpPatch(method, p, {
        session: `shared-${s.targetId}`,
        now: this.host.now(),
        ...(s.offset !== undefined ? { offset: s.offset } : {}),
        worker: { type: 'shared', url: s.url },
        doc,
      });
      if (patch) this.host.sink.net(tabId, patch);
    }
    return true;
  }

  /** Chrome detached us from a target attached by id (closed, or the user's Cancel on the bar): false when none of ours. */
  onDetach(source: Debuggee): boolean {
    const s = source.targetId ? this.attached.get(source.targetId) : undefined;
    if (!s) return false;
    // Not tried again while deep capture runs: after the user's Cancel, attaching again would bring the bar back.
    this.skip.add(s.targetId);
    this.gone(s);
    return true;
  }
}

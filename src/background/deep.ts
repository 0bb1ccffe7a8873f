// Deep capture (Chrome): Chrome's debugger attached to one tab at the user's request (the panel's
// switch, `panel-deep`), to see what a page hook cannot: sockets in the tab's workers, and the
// network layer's own WebSocket events (handshake, the browser's frame errors, the close).
// docs/deep-capture.md has what was measured and why each step is here.
//
// Per tab: attach, Network.enable, then Target.setAutoAttach with waitForDebuggerOnStart and
// flatten, so every worker Chrome attaches us to (dedicated, and the tab's service worker) is paused
// before its first line; Shared Workers, which that never reaches, are deep-shared.ts's. In its session
// (flat mode: the same tab, a sessionId) the worker hook is evaluated (src/page-hook/worker.iife.ts,
// its read function under a random name), then Network.enable, and only then the worker released
// (a service worker: all sent at once, serviceStart says why). Whatever fails on the way, the
// worker is released: a worker left paused would hang the page's app.
//
// No browser API is touched here but through `DebuggerApi` (hub.ts gives it chrome.debugger).
// test/deep.test.ts drives this and deep-shared.ts with a scripted fake of it
// (test/helpers/fake-debugger.ts): the commands' order for dedicated and service workers, Chrome's
// refusals, a worker gone mid-setup, Cancel on the bar, the tab closed or navigated, a Shared
// Worker another debugger holds, a flood of frames. Against a real Chromium: e2e/deep-ui.spec.ts (the
// switch and its dialog, a dedicated worker's socket) and e2e/deep-workers.spec.ts (Shared and
// Service Workers, workers that close at once, nothing attached while off).
import { cdpOffset, cdpPatch, type CdpPatch } from '../core/network/net-cdp.ts';
import type { NetObservation } from '../core/network/net.ts';
import type { DeepError, DeepState } from '../core/wire/protocol.ts';
import { attachError } from './deep-errors.ts';
import { SharedWorkers } from './deep-shared.ts';
import type { Debuggee, DebuggerApi, DeepReport, DeepSink } from './deep-types.ts';

export { attachError } from './deep-errors.ts';
export type { Debuggee, DebuggerApi, DeepReport, DeepSink, TargetInfo } from './deep-types.ts';

type WorkerType = NonNullable<NetObservation['worker']>['type'];

/** CDP TargetInfo.type → our worker kinds; other targets (an out-of-process iframe…) are only released. */
const WORKER_TYPES: Record<string, WorkerType> = { worker: 'dedicated', shared_worker: 'shared', service_worker: 'service' };

/** How often a worker's batches are read (latency of worker sockets in the panel). */
const POLL_MS = 200;

interface WorkerSession {
  doc: string;
  /** The random name of the worker hook's read function (worker.iife.ts). */
  binding: string;
  timer?: ReturnType<typeof setTimeout>;
  worker: { type: WorkerType; url: string };
  targetId?: string;
}

interface TabDeep {
  state: DeepState;
  error?: DeepError;
  workers: Map<string, WorkerSession>;
  /** wall − monotonic per session ('page' for the tab's own), ms (net-cdp.ts). */
  offsets: Map<string, number>;
  /** Turned off (or failed) while an attach was under way: the attach undoes itself. */
  cancelled: boolean;
}

/** Target.setAutoAttach for the tab and for each worker (a worker's own dedicated workers). */
const AUTO_ATTACH = { autoAttach: true, waitForDebuggerOnStart: true, flatten: true };

export class DeepCapture {
  private tabs = new Map<number, TabDeep>();
  private readonly shared: SharedWorkers;

  constructor(
    private readonly api: DebuggerApi,
    private readonly sink: DeepSink,
    private readonly hookSource: (binding: string, url: string) => string,
    /** Random hex: binding names and worker document ids. */
    private readonly random: () => string,
    private readonly now: () => number = Date.now,
  ) {
    api.onEvent.addListener((source, method, params) => this.onEvent(source, method, params));
    api.onDetach.addListener((source, reason) => this.onDetach(source, reason));
    this.shared = new SharedWorkers({
      api,
      sink,
      hookSource,
      random,
      now,
      tabsOn: () => [...this.tabs].filter(([, t]) => t.state === 'on').map(([id]) => id),
      known: (targetId) => [...this.tabs.values()].some((t) => [...t.workers.values()].some((w) => w.targetId === targetId)),
      changed: (tabId) => {
        if (this.tabs.get(tabId)?.state === 'on') this.tell(tabId);
      },
    });
  }

  report(tabId: number): DeepReport {
    const t = this.tabs.get(tabId);
    if (!t) return { state: 'off' };
    if (t.state !== 'on') return { state: t.state, ...(t.error ? { error: t.error } : {}) };
    const refused = this.shared.refusal(tabId);
    return { state: t.state, workers: t.workers.size + this.shared.count(tabId), ...(refused ? { sharedRefused: refused } : {}) };
  }

  private tell(tabId: number): void {
    this.sink.state(tabId, this.report(tabId));
  }

  async set(tabId: number, on: boolean): Promise<void> {
    if (on) return this.start(tabId);
    return this.stop(tabId);
  }

  private async start(tabId: number): Promise<void> {
    const cur = this.tabs.get(tabId);
    if (cur && (cur.state === 'on' || cur.state === 'attaching')) return this.tell(tabId);
    const t: TabDeep = { state: 'attaching', workers: new Map(), offsets: new Map(), cancelled: false };
    this.tabs.set(tabId, t);
    this.tell(tabId);
    try {
      await this.api.attach({ tabId }, '1.3');
    } catch (err) {
      if (this.tabs.get(tabId) !== t) return;
      return this.fail(tabId, attachError(String((err as Error)?.message ?? err)), false);
    }
    if (t.cancelled || this.tabs.get(tabId) !== t) {
      await this.api.detach({ tabId }).catch(() => undefined);
      return;
    }
    try {
      await this.api.sendCommand({ tabId }, 'Network.enable', {});
      await this.api.sendCommand({ tabId }, 'Target.setAutoAttach', AUTO_ATTACH);
    } catch {
      // The tab went away (or navigated to a page the debugger may not see) between the steps.
      if (this.tabs.get(tabId) === t) return this.fail(tabId, 'target-gone', true);
      return;
    }
    if (this.tabs.get(tabId) !== t || t.cancelled) return;
    t.state = 'on';
    this.tell(tabId);
    this.shared.update();
  }

  private async stop(tabId: number): Promise<void> {
    const t = this.tabs.get(tabId);
    if (!t) return this.tell(tabId);
    const attached = t.state === 'on' || t.state === 'attaching';
    t.cancelled = true;
    this.forget(tabId, t);
    this.tell(tabId);
    // An attach under way detaches itself when it returns (start).
    if (attached) await this.api.detach({ tabId }).catch(() => undefined);
  }

  /** Deep capture stops with `error`; `detach`: the debugger is still attached and must go. */
  private async fail(tabId: number, error: DeepError, detach: boolean): Promise<void> {
    const t = this.tabs.get(tabId);
    if (t) this.forget(tabId, t);
    this.tabs.set(tabId, { state: 'error', error, workers: new Map(), offsets: new Map(), cancelled: true });
    this.tell(tabId);
    if (detach) await this.api.detach({ tabId }).catch(() => undefined);
  }

  private forget(tabId: number, t: TabDeep): void {
    for (const w of t.workers.values()) this.sink.workerGone(tabId, w.doc);
    for (const w of t.workers.values()) clearTimeout(w.timer);
    t.workers.clear();
    this.tabs.delete(tabId);
    this.shared.update();
  }

  /** The tab closed: nothing to tell, nothing to detach (Chrome did). */
  removeTab(tabId: number): void {
    const t = this.tabs.get(tabId);
    if (t) t.cancelled = true;
    this.tabs.delete(tabId);
    this.shared.update();
  }

  private onDetach(source: Debuggee, reason: string): void {
    if (this.shared.onDetach(source)) return;
    const tabId = source.tabId;
    if (tabId === undefined) return;
    const t = this.tabs.get(tabId);
    if (!t || (t.state !== 'on' && t.state !== 'attaching')) return;
    void this.fail(tabId, reason === 'canceled_by_user' ? 'detached-by-user' : 'target-gone', false);
  }

  private onEvent(source: Debuggee, method: string, params: object | undefined): void {
    const p = (params ?? {}) as Record<string, unknown>;
    if (this.shared.onEvent(source, method, p)) return;
    const tabId = source.tabId;
    if (tabId === undefined) return;
    const t = this.tabs.get(tabId);
    if (!t || (t.state !== 'on' && t.state !== 'attaching')) return;
    if (method === 'Target.attachedToTarget') return void this.attached(tabId, t, p);
    if (method === 'Target.detachedFromTarget') return this.detached(tabId, t, p);
    if (!method.startsWith('Network.webSocket')) return;
    const session = source.sessionId ?? 'page';
    const offset = cdpOffset(method, p);
    if (offset !== undefined) t.offsets.set(session, offset);
    const w = source.sessionId ? t.workers.get(source.sessionId) : undefined;
    const known = t.offsets.get(session);
    const patch = cdpPatch(method, p, {
      session,
      now: this.now(),
      ...(known !== undefined ? { offset: known } : {}),
      ...(w ? { worker: w.worker, doc: w.doc } : {}),
    });
    if (patch) this.sink.net(tabId, patch);
  }

  /** A new target under the tab (flat mode: its own session). Always released, whatever fails. */
  private async attached(tabId: number, t: TabDeep, p: Record<string, unknown>): Promise<void> {
    const sessionId = typeof p.sessionId === 'string' ? p.sessionId : undefined;
    if (!sessionId) return;
    const info = (p.targetInfo ?? {}) as { type?: unknown; url?: unknown; targetId?: unknown };
    const type = typeof info.type === 'string' ? WORKER_TYPES[info.type] : undefined;
    const target: Debuggee = { tabId, sessionId };
    const send = (method: string, params: object = {}) => this.api.sendCommand(target, method, params);
    // A held service worker gets Network.enable and its release in serviceStart, once.
    let released = false;
    try {
      if (type) {
        const url = typeof info.url === 'string' ? info.url : '';
        // An identifier, so that the hook can name it; unguessable, so the worker's code cannot
        // look for it before the hook takes it away (worker.iife.ts).
        const binding = `sa_${this.random()}`;
        const w: WorkerSession = { doc: `w-${this.random()}`, binding, worker: { type, url }, ...(typeof info.targetId === 'string' ? { targetId: info.targetId } : {}) };
        t.workers.set(sessionId, w);
        this.sink.workerDoc(tabId, w.doc, url);
        const hook = () => send('Runtime.evaluate', { expression: this.hookSource(binding, url), silent: true }) as Promise<{ exceptionDetails?: unknown } | undefined>;
        if (type === 'service' && p.waitingForDebugger === true) {
          released = true;
          await this.serviceStart(send, hook);
        } else {
          const ev = await hook();
          // A hook that threw leaves the worker unwrapped: its sockets are then only on the network.
          if (ev?.exceptionDetails) throw new Error('the worker hook threw');
          // A worker's own dedicated workers (nested) are its children, not the page's.
          await send('Target.setAutoAttach', AUTO_ATTACH);
        }
      }
    } catch {
      // Gone while we set it up (closed, or the page navigated), or its hook threw: then its
      // sockets are only on the network, which Network.enable still shows.
    }
    if (!released) {
      await send('Network.enable', {}).catch(() => undefined);
      await send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
    }
    const w = t.workers.get(sessionId);
    if (w) this.poll(tabId, t, sessionId, w);
    if (type && this.tabs.get(tabId) === t) this.tell(tabId);
  }

  /**
   * A service worker held at its start answers nothing until released (Runtime.evaluate: no reply;
   * measured, Chromium 156), unlike a dedicated worker. Commands sent while it is held are run, in
   * order, once it is released and before its script (measured: the hook's evaluation saw none of
   * the script's globals, which existed a moment later): so the hook and Network.enable are sent
   * first, then the release, and all are awaited. A breakpoint before the script would do it too,
   * but DevTools, attached to the same worker, shows every pause: it switched to Sources.
   */
  private async serviceStart(send: (m: string, p?: object) => Promise<unknown>, hook: () => Promise<{ exceptionDetails?: unknown } | undefined>): Promise<void> {
    const queued = [hook(), send('Network.enable', {})] as const;
    const run = send('Runtime.runIfWaitingForDebugger');
    try {
      const [ev] = await Promise.all(queued);
      if (ev?.exceptionDetails) throw new Error('the worker hook threw');
    } finally {
      await run.catch(() => undefined);
    }
  }

  /**
   * Reads the worker's waiting batches every POLL_MS (worker.iife.ts says why not a binding),
   * until the worker or deep capture goes.
   */
  private poll(tabId: number, t: TabDeep, sessionId: string, w: WorkerSession): void {
    const expression = `(() => { const f = globalThis[${JSON.stringify(w.binding)}]; return typeof f === 'function' ? f() : []; })()`;
    const tick = async (): Promise<void> => {
      if (this.tabs.get(tabId) !== t || t.workers.get(sessionId) !== w) return;
      try {
        const r = (await this.api.sendCommand({ tabId, sessionId }, 'Runtime.evaluate', { expression, returnByValue: true, silent: true })) as { result?: { value?: unknown } } | undefined;
        const batches = r?.result?.value;
        if (Array.isArray(batches)) for (const b of batches) if (typeof b === 'string') this.sink.workerBatch(tabId, w.doc, b);
      } catch {
        return; // the worker is gone: detached() cleans up
      }
      w.timer = setTimeout(() => void tick(), POLL_MS);
    };
    w.timer = setTimeout(() => void tick(), POLL_MS);
  }

  private detached(tabId: number, t: TabDeep, p: Record<string, unknown>): void {
    const sessionId = typeof p.sessionId === 'string' ? p.sessionId : undefined;
    const w = sessionId ? t.workers.get(sessionId) : undefined;
    if (!w || !sessionId) return;
    clearTimeout(w.timer);
    t.workers.delete(sessionId);
    t.offsets.delete(sessionId);
    this.sink.workerGone(tabId, w.doc);
    this.tell(tabId);
  }
}

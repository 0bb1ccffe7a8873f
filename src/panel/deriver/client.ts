// The panel's end of its deriver. With a worker: the store's input goes to the worker as it
// arrives, derives are asked for as the store changes (one at a time, paced by what rendering
// a new result costs here), and the answers are joined to the panel's own connections. Without
// one (a page that cannot start workers, a worker that failed): `local`, and the views derive
// on the panel's thread as before (view/hooks.ts, DeriveThrottle).
import { chainIndex } from '../../core/session/reconnect.ts';
import type { Connection } from '../../core/session/session.ts';
import type { Derived } from '../derive.ts';
import { derive } from '../derive.ts';
import { buildHarText, type ExportChoice } from '../har-io.ts';
import type { UiLang } from '../i18n.ts';
import type { PanelStore } from '../store.ts';
import { parseDeriverToPanel, type DerivedWire, type PanelToDeriver, type StoreInput } from './protocol.ts';

/** What the client needs of a Worker (a stand-in in unit tests). */
export interface WorkerLike {
  postMessage(msg: PanelToDeriver): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: unknown) => void) | null;
  terminate(): void;
}

/** Pause between two derive requests: at least this long… */
const MIN_GAP_MS = 100;
/** …or this many times what rendering the last result cost on the panel's thread… */
const COST_FACTOR = 8;
/** …but never longer than this. */
const MAX_GAP_MS = 1000;

export function joinDerived(w: DerivedWire, own: ReadonlyMap<string, Connection>): Derived {
  const extra = new Map(w.netOnly.map((c) => [c.id, c]));
  const connections: Connection[] = [];
  for (const id of w.order) {
    const c = own.get(id) ?? extra.get(id);
    if (c) connections.push(c);
  }
  return { connections, network: w.network, ambiguous: w.ambiguous, diagnoses: w.diagnoses, chains: w.chains, chainOf: chainIndex(w.chains), summary: w.summary, rows: w.rows, now: w.now };
}

export class DeriverClient {
  mode: 'worker' | 'local';
  private worker: WorkerLike | undefined;
  private latest: Derived | undefined;
  private listeners = new Set<() => void>();
  private queued: StoreInput[] = [];
  private flushPending = false;
  private nextId = 0;
  private inFlight: { id: number; key: string } | undefined;
  private wanted = '';
  private answeredKey = '';
  private lastAsk = -Infinity;
  private renderCost = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private hars = new Map<number, { resolve: (b: Blob) => void; fallback: () => void }>();

  constructor(
    private readonly store: PanelStore,
    spawn: (() => WorkerLike) | undefined,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.mode = 'local';
    if (!spawn) return;
    try {
      this.worker = spawn();
    } catch {
      // A page whose policy forbids workers: derive here, as before.
      return;
    }
    this.mode = 'worker';
    this.worker.onmessage = (e) => this.answer(e.data);
    this.worker.onerror = () => this.fallBack();
    store.tap = (input) => {
      this.queued.push(input);
      if (this.flushPending) return;
      this.flushPending = true;
      queueMicrotask(() => this.flush());
    };
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The last result, joined to the store's connections; undefined before the first. */
  current(): Derived | undefined {
    return this.latest;
  }

  /** The views want data for store `version` (and live-clock `tick`): asked for when the pacing allows. */
  want(version: number, tick: number): void {
    if (this.mode !== 'worker') return;
    this.wanted = `${version}:${tick}`;
    this.pump();
  }

  /** What the first render of a new result cost: paces the next request. */
  rendered(ms: number): void {
    this.renderCost = ms;
  }

  /** The HAR of the live session, written by the worker (or here, without one). */
  exportHar(choice: ExportChoice, lang: UiLang, pageUrl: string, local: () => string): Promise<Blob> {
    const here = () => new Blob([local()], { type: 'application/json' });
    if (this.mode !== 'worker' || !this.worker) return Promise.resolve(here());
    this.flush();
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.hars.set(id, { resolve, fallback: () => resolve(here()) });
      this.worker!.postMessage({ type: 'har', id, now: Date.now(), choice, lang, pageUrl });
    });
  }

  private flush(): void {
    this.flushPending = false;
    if (!this.queued.length || !this.worker) return;
    const inputs = this.queued;
    this.queued = [];
    this.worker.postMessage({ type: 'input', inputs });
  }

  private pump(): void {
    if (this.inFlight || !this.worker || this.wanted === this.answeredKey || this.timer !== undefined) return;
    const gap = Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, COST_FACTOR * this.renderCost));
    const wait = this.lastAsk + gap - this.clock();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    this.flush();
    this.lastAsk = this.clock();
    this.inFlight = { id: ++this.nextId, key: this.wanted };
    this.worker.postMessage({ type: 'derive', id: this.inFlight.id, now: Date.now() });
  }

  private answer(data: unknown): void {
    const msg = parseDeriverToPanel(data);
    if (!msg) return;
    if (msg.type === 'derived') {
      if (msg.id !== this.inFlight?.id) return;
      this.answeredKey = this.inFlight.key;
      this.inFlight = undefined;
      this.latest = joinDerived(msg.derived, this.store.session.connections);
      for (const fn of this.listeners) fn();
      this.pump();
      return;
    }
    const har = this.hars.get(msg.id);
    if (har) {
      this.hars.delete(msg.id);
      if (msg.type === 'har') har.resolve(msg.blob);
      else har.fallback();
      return;
    }
    if (msg.type === 'failed' && msg.id === this.inFlight?.id) this.fallBack();
  }

  /** The worker failed (it could not load, or threw): everything is done here from now on. */
  private fallBack(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.mode = 'local';
    this.store.tap = undefined;
    this.queued = [];
    this.inFlight = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const h of this.hars.values()) h.fallback();
    this.hars.clear();
    for (const fn of this.listeners) fn();
  }
}

/**
 * The browser's worker for derive.worker.ts; vite bundles the file as its own chunk from this
 * exact `new Worker(new URL(…, import.meta.url))` form (vite.dev/guide/features#web-workers).
 */
export function spawnDeriveWorker(): WorkerLike {
  return new Worker(new URL('../derive.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

/** The main-thread export, for the local mode and as the worker's fallback. */
export function localHar(store: PanelStore, choice: ExportChoice, lang: UiLang, pageUrl: string, derived?: Derived): string {
  const d = derived ?? derive(store.session, Date.now());
  return buildHarText({ connections: d.connections, context: store.session.context, diagnoses: d.diagnoses, network: d.network, drops: store.drops(), pageUrl }, choice, lang);
}

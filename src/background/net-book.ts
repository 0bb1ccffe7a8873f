// The hub's record of WebSocket handshakes as the network layer saw them (core/network/net.ts), per tab.
// No browser APIs here: the observer (net-observer.ts) turns webRequest events into patches, and
// this keeps them bounded, says which changed since the last flush, and forgets what a Clear or a
// navigation drops, like the page events in tab-store.ts.
import { NET_OBSERVATIONS_MAX } from '../core/wire/limits.ts';
import type { NetObservation } from '../core/network/net.ts';
import { FRAME_ERRORS_MAX } from '../core/network/net-cdp.ts';

/**
 * One webRequest stage's facts about a request; later stages add to the earlier ones.
 * `browserDoc`: the browser's id of the request's document, when our id for it is not known yet.
 */
export type NetPatch = Partial<Omit<NetObservation, 'id'>> & { id: string; browserDoc?: string };

interface TabNet {
  obs: Map<string, NetObservation>;
  /** Ids changed since the last `takeChanged`. */
  changed: Set<string>;
  /** Evicted to stay within the bound, since the tab's last Clear. */
  dropped: number;
  /** Requests whose document's relay has not said hello yet: the browser's document id. */
  pending: Map<string, string>;
}

export class NetBook {
  private tabs = new Map<number, TabNet>();

  constructor(private readonly max = NET_OBSERVATIONS_MAX) {}

  private tab(tabId: number): TabNet {
    let t = this.tabs.get(tabId);
    if (!t) this.tabs.set(tabId, (t = { obs: new Map(), changed: new Set(), dropped: 0, pending: new Map() }));
    return t;
  }

  /**
   * Applies one stage. A patch for an id not seen yet needs the request's url and start (the
   * first stage, onBeforeRequest, has them); a later stage of a request we never saw (it started
   * before this background did) starts a record of its own with what it carries.
   */
  apply(tabId: number, patch: NetPatch): void {
    const t = this.tab(tabId);
    const { browserDoc, ...facts } = patch;
    if (browserDoc) t.pending.set(patch.id, browserDoc);
    patch = facts;
    const old = t.obs.get(patch.id);
    if (!old) {
      if (patch.url === undefined || patch.at === undefined) return;
      // webRequest's patches name no source; deep capture's (core/network/net-cdp.ts) say 'cdp'.
      const fresh = { ...patch, source: patch.source ?? 'webrequest' } as NetObservation;
      t.obs.set(patch.id, fresh);
      t.changed.add(patch.id);
      this.bound(t);
      return;
    }
    const { id: _id, ...rest } = patch;
    for (const [k, val] of Object.entries(rest)) {
      if (val === undefined) continue;
      // The first stage's start and URL stay; every other fact is the latest said.
      if ((k === 'at' || k === 'url' || k === 'source') && (old as Record<string, unknown>)[k] !== undefined) continue;
      // Frame errors add up (each CDP webSocketFrameError brings one); the first ones are kept.
      if (k === 'frameErrors' && old.frameErrors) {
        old.frameErrors = [...old.frameErrors, ...(val as NonNullable<NetObservation['frameErrors']>)].slice(0, FRAME_ERRORS_MAX);
        continue;
      }
      (old as Record<string, unknown>)[k] = val;
    }
    t.changed.add(patch.id);
  }

  /** A relay said hello for the browser's document `browserDoc`: its requests seen before are its. */
  attribute(tabId: number, browserDoc: string, doc: string): void {
    const t = this.tabs.get(tabId);
    if (!t) return;
    for (const [id, bd] of t.pending) {
      if (bd !== browserDoc) continue;
      t.pending.delete(id);
      const o = t.obs.get(id);
      if (o && o.doc === undefined) {
        o.doc = doc;
        t.changed.add(id);
      }
    }
  }

  /** Oldest request first: a page retrying thousands of times a second keeps its latest attempts. */
  private bound(t: TabNet): void {
    const over = t.obs.size - this.max;
    if (over <= 0) return;
    // Map order is insertion order, which is request order here.
    let n = 0;
    for (const id of t.obs.keys()) {
      if (n++ >= over) break;
      t.obs.delete(id);
      t.changed.delete(id);
      t.pending.delete(id);
    }
    t.dropped += over;
  }

  /** Everything the tab holds, in request order, and its eviction count. */
  snapshot(tabId: number): { net: NetObservation[]; netDropped: number } {
    const t = this.tabs.get(tabId);
    if (!t) return { net: [], netDropped: 0 };
    t.changed.clear();
    return { net: [...t.obs.values()].map((o) => ({ ...o })), netDropped: t.dropped };
  }

  /** What changed since the last call (copies: the records go on changing), or undefined. */
  takeChanged(tabId: number): { net: NetObservation[]; netDropped: number } | undefined {
    const t = this.tabs.get(tabId);
    if (!t || t.changed.size === 0) return undefined;
    const net: NetObservation[] = [];
    for (const id of t.changed) {
      const o = t.obs.get(id);
      if (o) net.push({ ...o });
    }
    t.changed.clear();
    return { net, netDropped: t.dropped };
  }

  /** What a tab holds, for saving (copies; the changed set is left alone). */
  saved(tabId: number): { net: NetObservation[]; netDropped: number } | undefined {
    const t = this.tabs.get(tabId);
    return t ? { net: [...t.obs.values()].map((o) => ({ ...o })), netDropped: t.dropped } : undefined;
  }

  /**
   * Brings back what a previous run of the background saved (it was unloaded or stopped), under
   * what this run has seen since: a record of this run wins over a saved one of the same id.
   */
  restore(tabId: number, net: readonly NetObservation[], dropped: number): void {
    const t = this.tab(tabId);
    const fresh = t.obs;
    t.obs = new Map();
    for (const o of net) if (!fresh.has(o.id)) t.obs.set(o.id, { ...o });
    for (const [id, o] of fresh) t.obs.set(id, o);
    t.dropped += dropped;
    this.bound(t);
  }

  tabsWithChanges(): number[] {
    const out: number[] = [];
    for (const [id, t] of this.tabs) if (t.changed.size) out.push(id);
    return out;
  }

  /** Clear: everything of the tab goes. */
  clear(tabId: number): void {
    this.tabs.delete(tabId);
  }

  /**
   * A navigation dropped these documents: their requests go, and so do finished requests of no
   * known document that a hello will not claim (Firefox, workers): a new page's requests are
   * still pending then or belong to a document not dropped.
   */
  forgetDocs(tabId: number, docs: readonly string[]): void {
    const t = this.tabs.get(tabId);
    if (!t) return;
    const gone = new Set(docs);
    for (const [id, o] of t.obs) {
      if ((o.doc !== undefined && gone.has(o.doc)) || (o.doc === undefined && o.endAt !== undefined && !t.pending.has(id))) {
        t.obs.delete(id);
        t.changed.delete(id);
        t.pending.delete(id);
      }
    }
  }

  removeTab(tabId: number): void {
    this.tabs.delete(tabId);
  }
}

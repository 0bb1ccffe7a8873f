// The hub's memory: per tab, the documents seen and their sequenced events, bounded.
// No browser APIs here, so the routing rules (dedupe, preserve log, eviction) are unit-tested.
import { EventRing } from '../core/wire/event-ring.ts';
import { HUB_TAB_BYTES_MAX, HUB_TAB_EVENTS_MAX } from '../core/wire/limits.ts';
import type { DocEvents, DocInfo, DropCounters, SeqEvent } from '../core/wire/protocol.ts';
import { zeroDrops } from '../core/wire/protocol.ts';

interface DocRecord {
  info: DocInfo;
  ring: EventRing;
  lastSeq: number;
  /** Drop counters as last reported by the relay (they are cumulative there). */
  relayDrops: DropCounters;
  /** Events of this document that failed the hub's own validation (hub.ts), by sequence number. */
  malformed: number;
  /** When its navigation started (the relay's hello `born`), if the relay said. */
  born?: number;
}

export interface TabState {
  tabId: number;
  preserveLog: boolean;
  docs: Map<string, DocRecord>;
  nextOrder: number;
}

export interface HelloResult {
  /** Documents removed because a new top document replaced them (navigation without preserve log). */
  removed: string[];
}

export class TabStore {
  private tabs = new Map<number, TabState>();

  /** `tabMax` bounds the events held per tab, across all its documents, `tabBytes` their estimated bytes (limits.ts). */
  constructor(
    private readonly tabMax = HUB_TAB_EVENTS_MAX,
    private readonly tabBytes = HUB_TAB_BYTES_MAX,
  ) {}

  tab(tabId: number): TabState {
    let t = this.tabs.get(tabId);
    if (!t) {
      t = { tabId, preserveLog: false, docs: new Map(), nextOrder: 0 };
      this.tabs.set(tabId, t);
    }
    return t;
  }

  has(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  removeTab(tabId: number): void {
    this.tabs.delete(tabId);
  }

  /**
   * A relay announced its document. A fresh top-level document is a navigation: like the Network
   * panel, drop the tab's earlier documents unless "preserve log" is on. A replayed hello (the
   * worker restarted) or an iframe's hello never clears anything. A top document `restored` from
   * the back/forward cache is a navigation back to it: the other top documents go (the page we
   * came back from), and the frames that are already gone; it keeps itself and the live frames
   * (its own iframes say hello again around the same time, in no fixed order).
   */
  hello(tabId: number, doc: string, frameId: number, url: string, replay: boolean, restored = false, born?: number): HelloResult {
    const t = this.tab(tabId);
    const removed: string[] = [];
    const top = frameId === 0;
    if (top && restored && !t.preserveLog) {
      for (const [id, rec] of t.docs) {
        if (id !== doc && (rec.info.top || rec.info.gone)) {
          removed.push(id);
          t.docs.delete(id);
        }
      }
    }
    const existing = t.docs.get(doc);
    if (existing) {
      existing.info.gone = false;
      return { removed };
    }
    if (top && !replay && !t.preserveLog) {
      // Relays connect only once a panel watches (hub.ts wakes every frame at once), so this
      // document's own iframes may have said hello first: a frame born after it stays.
      for (const [id, rec] of t.docs) {
        if (born !== undefined && rec.born !== undefined && rec.born >= born) continue;
        removed.push(id);
        t.docs.delete(id);
      }
    }
    const rec: DocRecord = {
      info: { doc, frameId, order: t.nextOrder++, url, top, timeOrigin: 0, gone: false, drops: zeroDrops() },
      ring: new EventRing(this.tabMax, this.tabBytes),
      lastSeq: -1,
      relayDrops: zeroDrops(),
      malformed: 0,
    };
    if (born !== undefined) rec.born = born;
    t.docs.set(doc, rec);
    return { removed };
  }

  /**
   * Adds a relay batch; returns only the events that were new (replays are dropped by seq).
   * `rejected` are sequence numbers in this batch whose events failed validation: counted once
   * as malformed (a replay of them is a replay), never stored.
   */
  events(tabId: number, doc: string, events: readonly SeqEvent[], drops: DropCounters, rejected: readonly number[] = []): SeqEvent[] | undefined {
    const rec = this.tabs.get(tabId)?.docs.get(doc);
    if (!rec) return undefined;
    const fresh: SeqEvent[] = [];
    let r = 0;
    for (const e of events) {
      // Rejected sequence numbers before this event: count them and move past them.
      while (r < rejected.length && rejected[r]! < e.seq) this.reject(rec, rejected[r++]!);
      if (e.seq <= rec.lastSeq) continue;
      rec.lastSeq = e.seq;
      if (e.ev.k === 'hello') {
        rec.info.timeOrigin = e.ev.timeOrigin;
        rec.info.url = e.ev.url;
      }
      rec.ring.push(e);
      fresh.push(e);
    }
    while (r < rejected.length) this.reject(rec, rejected[r++]!);
    rec.relayDrops = drops;
    this.enforceTabLimit(this.tabs.get(tabId)!);
    return fresh;
  }

  private reject(rec: DocRecord, seq: number): void {
    if (seq <= rec.lastSeq) return;
    rec.lastSeq = seq;
    rec.malformed++;
  }

  /**
   * Keeps a tab within `tabMax` events however many documents it has (preserve log over many
   * reloads, pages with many iframes). Documents that are gone give up their events first,
   * oldest first; then the live ones, oldest first. Traffic goes before lifecycle facts.
   */
  private enforceTabLimit(t: TabState): void {
    let total = 0;
    let bytes = 0;
    for (const r of t.docs.values()) {
      total += r.ring.size;
      bytes += r.ring.bytes;
    }
    if (total > this.tabMax || bytes > this.tabBytes) {
      const victims = [...t.docs.values()].sort((a, b) => Number(b.info.gone) - Number(a.info.gone) || a.info.order - b.info.order);
      // Free a little more than needed so a steady flood does not trim on every batch.
      let excess = total > this.tabMax ? total - this.tabMax + Math.max(1, this.tabMax >> 3) : 0;
      let excessBytes = bytes > this.tabBytes ? bytes - this.tabBytes + this.tabBytes / 8 : 0;
      for (const r of victims) {
        if (excess <= 0 && excessBytes <= 0) break;
        const take = Math.min(Math.max(0, excess), r.ring.size);
        const before = r.ring.bytes;
        const size = r.ring.size;
        r.ring.trim(take, Math.max(0, excessBytes));
        excess -= size - r.ring.size;
        excessBytes -= before - r.ring.bytes;
      }
    }
    for (const r of t.docs.values()) {
      r.info.drops = { malformed: r.relayDrops.malformed + r.malformed, hook: r.relayDrops.hook, evicted: r.relayDrops.evicted + r.ring.evicted };
      r.info.rejected = r.malformed;
    }
  }

  markGone(tabId: number, doc: string): DocInfo | undefined {
    const rec = this.tabs.get(tabId)?.docs.get(doc);
    if (!rec) return undefined;
    rec.info.gone = true;
    return rec.info;
  }

  /** The documents the tab still holds. */
  docIds(tabId: number): string[] {
    return [...(this.tabs.get(tabId)?.docs.keys() ?? [])];
  }

  docInfo(tabId: number, doc: string): DocInfo | undefined {
    return this.tabs.get(tabId)?.docs.get(doc)?.info;
  }

  /** Everything the hub holds for a tab, for a panel that (re)subscribes. */
  snapshot(tabId: number): { docs: DocInfo[]; batches: DocEvents[]; preserveLog: boolean } {
    const t = this.tab(tabId);
    const recs = [...t.docs.values()].sort((a, b) => a.info.order - b.info.order);
    return {
      preserveLog: t.preserveLog,
      docs: recs.map((r) => ({ ...r.info })),
      batches: recs.map((r) => ({ doc: r.info.doc, events: r.ring.toArray() })),
    };
  }

  /** Forgets all events of a tab but keeps its live documents, whose sequence numbers go on. */
  clear(tabId: number): string[] {
    const t = this.tab(tabId);
    const keep: string[] = [];
    for (const [id, rec] of t.docs) {
      if (rec.info.gone) t.docs.delete(id);
      else {
        rec.ring.clear();
        rec.info.base = rec.lastSeq + 1;
        keep.push(id);
      }
    }
    return keep;
  }

  setPreserveLog(tabId: number, on: boolean): void {
    this.tab(tabId).preserveLog = on;
  }
}

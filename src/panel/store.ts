// The panel's store: the session model fed by hub messages, plus change notification.
// It knows nothing of chrome.* (that is host.ts), so the same store drives the DevTools panel,
// the standalone viewer and unit tests.
import type { DocInfo, HubToPanel } from '../core/protocol.ts';
import { applyBatch, clearSession, createSession, endDocSockets, upsertDoc } from '../core/session.ts';
import type { SessionLimits, SessionState } from '../core/session.ts';

export type Listener = () => void;

export class PanelStore {
  session: SessionState;
  docs = new Map<string, DocInfo>();
  tabId: number | undefined;
  preserveLog = false;
  connected = false;
  /** Bumped on every change; views compare it to skip work. */
  version = 0;
  private listeners = new Set<Listener>();
  private notifyScheduled = false;

  constructor(
    private readonly limits: Partial<SessionLimits> = {},
    // Coalesce bursts of hub updates into one render per frame.
    private readonly schedule: (fn: () => void) => void = (fn) => setTimeout(fn, 16),
  ) {
    this.session = createSession(limits);
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.version++;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    this.schedule(() => {
      this.notifyScheduled = false;
      for (const fn of this.listeners) fn();
    });
  }

  setConnected(on: boolean): void {
    this.connected = on;
    this.changed();
  }

  receive(msg: HubToPanel): void {
    switch (msg.type) {
      case 'hub-snapshot':
        // A snapshot is the whole truth (after a reconnect the hub may hold less or more).
        this.session = createSession(this.limits);
        this.docs.clear();
        this.tabId = msg.tabId;
        this.applyDocs(msg.docs);
        for (const b of msg.batches) applyBatch(this.session, b.doc, b.events);
        this.endGoneDocs(msg.docs);
        break;
      case 'hub-update':
        this.applyDocs(msg.docs);
        for (const b of msg.batches) applyBatch(this.session, b.doc, b.events);
        this.endGoneDocs(msg.docs);
        break;
      case 'hub-cleared': {
        const keep = new Set(msg.keepDocs);
        clearSession(this.session, keep);
        for (const id of [...this.docs.keys()]) if (!keep.has(id)) this.docs.delete(id);
        break;
      }
    }
    this.changed();
  }

  private applyDocs(docs: DocInfo[]): void {
    for (const d of docs) {
      this.docs.set(d.doc, d);
      if (d.timeOrigin) upsertDoc(this.session, d);
    }
  }

  /** A document whose relay went away without a pagehide (frame removed, crash): end its sockets. */
  private endGoneDocs(docs: DocInfo[]): void {
    for (const d of docs) {
      if (!d.gone) continue;
      endDocSockets(this.session, d.doc, Date.now(), 'frame-gone');
    }
  }

  /** Totals of data not kept, across documents: shown in the status bar. */
  drops(): { malformed: number; evicted: number; hook: number } {
    let malformed = 0;
    let evicted = 0;
    let hook = 0;
    for (const d of this.docs.values()) {
      malformed += d.drops.malformed;
      evicted += d.drops.evicted;
      hook += d.drops.hook;
    }
    return { malformed, evicted, hook };
  }
}

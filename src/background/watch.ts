// Which tabs a panel watches, and which relays must be told so. No browser APIs here (the ports
// are opaque handles), so the rules are unit-tested (test/watch.test.ts).
//
// Relays forward events only while a panel (or viewer) watches their tab (relay.iife.ts: on the
// page's thread, forwarding is most of our cost). The hub tells them `hub-watch` on when the first
// panel of a tab subscribes, or when a relay says hello to a watched tab; off when the last panel
// of the tab goes. A relay answers "on" by replaying its ring, the last batch marked `replayed`;
// a new subscriber's snapshot waits for those replays (`replaying`), so it opens complete.

/** What the hub must tell one relay. */
export interface Tell<R> {
  relay: R;
  on: boolean;
}

export class Watching<R, P> {
  private relays = new Map<number, Map<R, { awaiting: boolean }>>();
  private watchers = new Map<number, Set<P>>();

  watched(tabId: number): boolean {
    return (this.watchers.get(tabId)?.size ?? 0) > 0;
  }

  /** Every tab some panel watches. */
  watchedTabs(): number[] {
    return [...this.watchers.keys()];
  }

  /** Some relay of the tab is connected. */
  hasRelays(tabId: number): boolean {
    return (this.relays.get(tabId)?.size ?? 0) > 0;
  }

  /** A relay of the tab said hello: it must be told whether to forward. */
  addRelay(tabId: number, relay: R): Tell<R> {
    let m = this.relays.get(tabId);
    if (!m) this.relays.set(tabId, (m = new Map()));
    const on = this.watched(tabId);
    m.set(relay, { awaiting: on });
    return { relay, on };
  }

  removeRelay(tabId: number, relay: R): void {
    const m = this.relays.get(tabId);
    m?.delete(relay);
    if (m?.size === 0) this.relays.delete(tabId);
  }

  /** The relay sent the last batch of its replay. */
  replayed(tabId: number, relay: R): void {
    const s = this.relays.get(tabId)?.get(relay);
    if (s) s.awaiting = false;
  }

  /** Telling a relay failed (its port is gone): do not wait for it. */
  unreachable(tabId: number, relay: R): void {
    this.replayed(tabId, relay);
  }

  /** Some relay of the tab was asked to replay and has not finished. */
  replaying(tabId: number): boolean {
    for (const s of this.relays.get(tabId)?.values() ?? []) if (s.awaiting) return true;
    return false;
  }

  /** A panel starts or stops watching a tab; returns the relays to tell when that changed the tab's state. */
  setWatcher(tabId: number, panel: P, on: boolean): Tell<R>[] {
    const was = this.watched(tabId);
    let set = this.watchers.get(tabId);
    if (on) {
      if (!set) this.watchers.set(tabId, (set = new Set()));
      set.add(panel);
    } else {
      set?.delete(panel);
      if (set?.size === 0) this.watchers.delete(tabId);
    }
    const now = this.watched(tabId);
    if (now === was) return [];
    const tells: Tell<R>[] = [];
    for (const [relay, s] of this.relays.get(tabId) ?? []) {
      s.awaiting = now;
      tells.push({ relay, on: now });
    }
    return tells;
  }

  removeTab(tabId: number): void {
    this.relays.delete(tabId);
    this.watchers.delete(tabId);
  }
}

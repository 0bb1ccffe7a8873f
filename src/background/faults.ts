// Fault commands from panels to the relays of the documents they name (core/faults/commands.ts).
// No browser APIs here (ports are opaque handles), so the rules are unit-tested (test/fault-router.test.ts).
//
// A command goes to the relay port(s) of the watched tab whose document is the one named; none
// there (the tab navigated, the frame went) is said to the panel. Faults last while some panel
// watches the tab: when the last one goes, every document that was sent one gets `clear`. A
// navigation needs nothing: the document, its hook and its faults are gone with it.
import type { FaultCommand } from '../core/faults/commands.ts';

export interface FaultSend<R> {
  relay: R;
  doc: string;
  cmd: FaultCommand;
}

export class FaultRouter<R> {
  /** Relays by tab, with the document each said hello for. */
  private relays = new Map<number, Map<R, string>>();
  /** Documents of each tab that were sent a fault since the tab was last unwatched. */
  private faulted = new Map<number, Set<string>>();

  addRelay(tabId: number, relay: R, doc: string): void {
    let m = this.relays.get(tabId);
    if (!m) this.relays.set(tabId, (m = new Map()));
    m.set(relay, doc);
  }

  removeRelay(tabId: number, relay: R): void {
    const m = this.relays.get(tabId);
    const doc = m?.get(relay);
    m?.delete(relay);
    if (m?.size === 0) this.relays.delete(tabId);
    // A document gone with its relay needs no undo.
    if (doc !== undefined && ![...(m?.values() ?? [])].includes(doc)) this.faulted.get(tabId)?.delete(doc);
  }

  /** Where to send a panel's command; empty when no relay of the tab holds `doc`. */
  route(tabId: number, doc: string, cmd: FaultCommand): FaultSend<R>[] {
    const out: FaultSend<R>[] = [];
    for (const [relay, d] of this.relays.get(tabId) ?? []) if (d === doc) out.push({ relay, doc, cmd });
    if (out.length) {
      let set = this.faulted.get(tabId);
      if (!set) this.faulted.set(tabId, (set = new Set()));
      set.add(doc);
    }
    return out;
  }

  /** The last panel of the tab went: `clear` for every document that had a fault. */
  undo(tabId: number): FaultSend<R>[] {
    const docs = this.faulted.get(tabId);
    this.faulted.delete(tabId);
    if (!docs?.size) return [];
    const out: FaultSend<R>[] = [];
    for (const [relay, d] of this.relays.get(tabId) ?? []) if (docs.has(d)) out.push({ relay, doc: d, cmd: { op: 'clear' } });
    return out;
  }

  removeTab(tabId: number): void {
    this.relays.delete(tabId);
    this.faulted.delete(tabId);
  }
}

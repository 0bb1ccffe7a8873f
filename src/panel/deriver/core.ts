// The deriver's work, with no worker in it: a mirror of the panel's session fed with what the
// store received, the derive of the views' data, and the HAR export. derive.worker.ts runs it in
// a dedicated Web Worker; unit tests run it as it is.
import type { SessionLimits } from '../../core/session/session.ts';
import { parseHubToPanel } from '../../core/wire/wire.ts';
import { derive, type Derived } from '../derive.ts';
import { buildHarText } from '../har-io.ts';
import { PanelStore } from '../store.ts';
import type { DerivedWire, DeriverToPanel, PanelToDeriver, StoreInput } from './protocol.ts';

/** The derived data as it travels: the session's own connections by id, the rest as they are. */
export function toWire(d: Derived, isSessions: (id: string) => boolean): DerivedWire {
  return {
    order: d.connections.map((c) => c.id),
    netOnly: d.connections.filter((c) => !isSessions(c.id)),
    network: d.network,
    ambiguous: d.ambiguous,
    diagnoses: d.diagnoses,
    chains: d.chains,
    summary: d.summary,
    rows: d.rows,
    now: d.now,
  };
}

export class Deriver {
  /** The mirror: the panel's own store class, never notifying anyone (its scheduler does nothing). */
  private readonly mirror: PanelStore;

  constructor(limits: Partial<SessionLimits> = {}) {
    this.mirror = new PanelStore(limits, () => {});
  }

  input(inputs: readonly StoreInput[]): void {
    for (const i of inputs) {
      if (i.type === 'hub') this.mirror.receive(i.msg);
      else if (i.type === 'net') this.mirror.addDevtoolsNet(i.obs);
      else {
        // The panel's host accepted this message (it is what the panel's store holds): the same
        // parse gives the same session.
        const parsed = parseHubToPanel(i.raw);
        if (parsed.ok) this.mirror.receive(parsed.value);
      }
    }
  }

  derive(now: number): DerivedWire {
    const s = this.mirror.session;
    return toWire(derive(s, now), (id) => s.connections.has(id));
  }

  /** The HAR of the mirrored session, as the panel's thread would have written it (har-io.ts). */
  harText(now: number, choice: Extract<PanelToDeriver, { type: 'har' }>['choice'], lang: 'en' | 'ja', pageUrl: string): string {
    const s = this.mirror.session;
    const d = derive(s, now);
    const input = { connections: d.connections, context: s.context, diagnoses: d.diagnoses, network: d.network, drops: this.mirror.drops(), pageUrl };
    return buildHarText(input, choice, lang);
  }

  handle(msg: PanelToDeriver, clock: () => number = () => performance.now()): DeriverToPanel | undefined {
    try {
      switch (msg.type) {
        case 'input':
          this.input(msg.inputs);
          return undefined;
        case 'derive': {
          const t0 = clock();
          const derived = this.derive(msg.now);
          return { type: 'derived', id: msg.id, derived, ms: clock() - t0 };
        }
        case 'har': {
          const text = this.harText(msg.now, msg.choice, msg.lang, msg.pageUrl);
          return { type: 'har', id: msg.id, blob: new Blob([text], { type: 'application/json' }), pageUrl: msg.pageUrl };
        }
      }
    } catch (err) {
      if (msg.type === 'input') throw err;
      return { type: 'failed', id: msg.id, error: String(err) };
    }
  }
}

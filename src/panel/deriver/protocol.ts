// What the panel and its deriver (a dedicated Web Worker, derive.worker.ts) say to each other.
// The worker keeps its own copy of the session, fed with what the store receives, so the
// panel's thread posts only the hub's messages and gets back what the views need: diagnoses
// per connection, chains, the summary, the network matches — never the connections' messages.
// Both ends check what arrives (a worker's messages are ours, but a bug on one side must not
// become a wrong screen on the other).
import type { Diagnosis } from '../../core/diagnosis/diagnose.ts';
import type { NetObservation, NetView } from '../../core/network/net.ts';
import type { ReconnectChain } from '../../core/session/reconnect.ts';
import type { Connection } from '../../core/session/session.ts';
import type { HubToPanel } from '../../core/wire/protocol.ts';
import type { UiLang } from '../i18n.ts';
import type { ExportChoice } from '../har-io.ts';
import type { RowSnapshot, SummaryItem } from '../derive.ts';

/**
 * What the store received, passed on as it was (store.ts `tap`): a hub message as it came off
 * the port when the store was given it (`wire`: one string of packed events, far cheaper to
 * post than the objects parsed from it; the worker parses it with the same checks), else parsed.
 */
export type StoreInput = { type: 'hub'; msg: HubToPanel } | { type: 'wire'; raw: unknown } | { type: 'net'; obs: NetObservation[] };

export type PanelToDeriver =
  | { type: 'input'; inputs: StoreInput[] }
  | { type: 'derive'; id: number; now: number }
  | { type: 'har'; id: number; now: number; choice: ExportChoice; lang: UiLang; pageUrl: string };

/** The derived data without the connections themselves: the panel holds those already. */
export interface DerivedWire {
  /** The list's connections, in order, by id. */
  order: string[];
  /** Rows seen on the network only (derive.ts makes them; they are not in the session). */
  netOnly: Connection[];
  network: Map<string, NetView>;
  ambiguous: Map<string, NetObservation[]>;
  diagnoses: Map<string, Diagnosis>;
  chains: ReconnectChain[];
  summary: SummaryItem[];
  rows: Map<string, RowSnapshot>;
  now: number;
}

export type DeriverToPanel =
  | { type: 'derived'; id: number; derived: DerivedWire; ms: number }
  | { type: 'har'; id: number; blob: Blob; pageUrl: string }
  | { type: 'failed'; id: number; error: string };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isId = (x: unknown): x is number => Number.isSafeInteger(x);

/** The panel's side of the check: undefined for anything that is not a well-formed answer. */
export function parseDeriverToPanel(x: unknown): DeriverToPanel | undefined {
  if (!isObj(x) || !isId(x.id)) return undefined;
  switch (x.type) {
    case 'derived': {
      const d = x.derived;
      if (!isObj(d) || typeof x.ms !== 'number') return undefined;
      const maps = [d.network, d.ambiguous, d.diagnoses, d.rows].every((m) => m instanceof Map);
      if (!maps || !Array.isArray(d.order) || !Array.isArray(d.netOnly) || !Array.isArray(d.chains) || !Array.isArray(d.summary) || typeof d.now !== 'number') return undefined;
      if (!d.order.every((id) => typeof id === 'string')) return undefined;
      return x as DeriverToPanel;
    }
    case 'har':
      return typeof Blob !== 'undefined' && x.blob instanceof Blob && typeof x.pageUrl === 'string' ? (x as DeriverToPanel) : undefined;
    case 'failed':
      return typeof x.error === 'string' ? (x as DeriverToPanel) : undefined;
    default:
      return undefined;
  }
}

/** The worker's side of the check. Hub messages inside were validated by the panel's host (wire.ts). */
export function parsePanelToDeriver(x: unknown): PanelToDeriver | undefined {
  if (!isObj(x)) return undefined;
  switch (x.type) {
    case 'input':
      return Array.isArray(x.inputs) && x.inputs.every((i) => isObj(i) && ((i.type === 'hub' && isObj(i.msg)) || i.type === 'wire' || (i.type === 'net' && Array.isArray(i.obs)))) ? (x as PanelToDeriver) : undefined;
    case 'derive':
      return isId(x.id) && typeof x.now === 'number' ? (x as PanelToDeriver) : undefined;
    case 'har': {
      const c = x.choice;
      const choiceOk = isObj(c) && typeof c.redact === 'boolean' && (c.selected === undefined || (Array.isArray(c.selected) && c.selected.every((s) => typeof s === 'string'))) && (c.payloadCap === undefined || typeof c.payloadCap === 'number');
      return isId(x.id) && typeof x.now === 'number' && choiceOk && (x.lang === 'en' || x.lang === 'ja') && typeof x.pageUrl === 'string' ? (x as PanelToDeriver) : undefined;
    }
    default:
      return undefined;
  }
}

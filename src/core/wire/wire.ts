// The wire form of the two messages that carry floods of events across extension messaging:
// relay → hub `relay-events` and hub → panel `hub-update` / `hub-snapshot`. Their events travel
// as one JSON string (`packed`) with the event arrays left empty.
//
// Why: Chrome's extension messaging converts a message value by value. In a CPU profile of
// 200,000 send() calls (bench/page.bench.ts) posting the relay's events as objects took 570 ms of
// the page's thread, as one string 370 ms, stringify included; the panel's side of a flood pays
// the same conversion on its render thread. The receiver unpacks and then validates exactly as
// it would validate an unpacked message, event by event (checkEvent), so a packed message is no
// way around the schemas.
import { checkEvent } from './event-check.ts';
import { HubToPanelSchema, parseWith } from './protocol.ts';
import type { DocEvents, HubToPanel, Parsed, RelayToHub, SeqEvent } from './protocol.ts';

type RelayEvents = Extract<RelayToHub, { type: 'relay-events' }>;
type HubEvents = Extract<HubToPanel, { type: 'hub-update' | 'hub-snapshot' }>;

export type PackedRelayEvents = Omit<RelayEvents, 'events'> & { events: []; packed: string };
export type PackedHubEvents = Omit<HubEvents, 'batches'> & { batches: []; packed: string };

/** relay → hub: the events of a relay-events message as one string. */
export function packRelay(msg: RelayToHub): RelayToHub | PackedRelayEvents {
  if (msg.type !== 'relay-events' || msg.events.length === 0) return msg;
  const { events, ...rest } = msg;
  return { ...rest, events: [], packed: JSON.stringify(events) };
}

/** hub → panel: the batches of an update or snapshot as one string. */
export function packHub(msg: HubToPanel): HubToPanel | PackedHubEvents {
  if (msg.type !== 'hub-update' && msg.type !== 'hub-snapshot') return msg;
  if (msg.batches.length === 0) return msg;
  const { batches, ...rest } = msg;
  return { ...rest, batches: [], packed: JSON.stringify(batches) };
}

/**
 * Turns a packed message back into the plain one (its `key` array parsed from `packed`), still
 * unvalidated. Anything malformed about the packing itself yields undefined; a message that was
 * not packed is returned as it is.
 */
export function unpack(raw: unknown, key: 'events' | 'batches'): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const r = raw as Record<string, unknown>;
  if (!('packed' in r)) return raw;
  if (typeof r.packed !== 'string' || !Array.isArray(r[key]) || (r[key] as unknown[]).length !== 0) return undefined;
  try {
    const { packed, ...rest } = r;
    return { ...rest, [key]: JSON.parse(packed) as unknown };
  } catch {
    return undefined;
  }
}

/** SeqEventSchema's `seq`: an integer ≥ 0. */
const isSeq = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/**
 * Checks a list of sequenced events. The ones that fail are left out: by sequence number in
 * `rejected` (the hub counts them as malformed under that number), and `unnumbered` for those
 * without a valid `seq`, which there is no number to count under.
 */
export function checkSeqEvents(items: readonly unknown[]): { events: SeqEvent[]; rejected: number[]; unnumbered: number } {
  const events: SeqEvent[] = [];
  const rejected: number[] = [];
  let unnumbered = 0;
  for (const item of items) {
    const seq = (item as { seq?: unknown } | null)?.seq;
    if (!isSeq(seq)) {
      unnumbered++;
      continue;
    }
    const ev = checkEvent((item as { ev?: unknown }).ev);
    if (typeof ev === 'string') rejected.push(seq);
    else events.push({ seq, ev });
  }
  return { events, rejected, unnumbered };
}

/**
 * The panel's receiver: unpacks and validates a hub message. The envelope (type, docs, doc ids)
 * goes through HubToPanelSchema; the events, which are nearly all of a flood, through
 * checkEvent. Events that fail are dropped and counted in `rejected` (the hub validated them
 * already, so a non-zero count means a bug or a forged port, worth a debug line, not a lost
 * message).
 */
export function parseHubToPanel(raw: unknown): Parsed<HubToPanel> & { rejected?: number } {
  const msg = unpack(raw, 'batches');
  if (msg === undefined) return { ok: false, error: 'packed: not a JSON array' };
  const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { type?: unknown; batches?: unknown };
  if ((m.type !== 'hub-update' && m.type !== 'hub-snapshot') || !Array.isArray(m.batches)) return parseWith(HubToPanelSchema, msg);
  const batches = m.batches as unknown[];
  // The envelope with every batch's events taken out; then the events alone.
  const shell = batches.map((b) => ({ ...(b as object), events: [] }));
  const envelope = parseWith(HubToPanelSchema, { ...(msg as object), batches: shell });
  if (!envelope.ok) return envelope;
  const value = envelope.value as HubEvents;
  let rejected = 0;
  const checked: DocEvents[] = value.batches.map((b, i) => {
    const items = (batches[i] as { events?: unknown }).events;
    if (!Array.isArray(items)) {
      rejected++;
      return { doc: b.doc, events: [] };
    }
    const r = checkSeqEvents(items);
    rejected += r.rejected.length + r.unnumbered;
    return { doc: b.doc, events: r.events };
  });
  return { ok: true, value: { ...value, batches: checked }, rejected };
}

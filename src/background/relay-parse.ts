// Validating what a relay sends (hub.ts), and the same for a worker's hook under deep capture
// (deep.ts feeds its batches through here as text blocks).
import { RELAY_EVENTS_MAX, RelayToHubSchema, parseWith } from '../core/wire/protocol.ts';
import type { RelayToHub, SeqEvent } from '../core/wire/protocol.ts';
import { decodeTextBlock } from '../core/wire/text-block.ts';
import { checkSeqEvents } from '../core/wire/wire.ts';

/**
 * Validates a relay message with the protocol's schemas, every event of it. The relay only
 * checks the page's events by hand (relay.iife.ts says why: it runs on the page's thread), so
 * this is where each event meets the full schema. A batch with an event that fails is not
 * dropped whole: its valid events are kept and the failing ones counted as malformed by their
 * sequence number (TabStore.events), so one bad event costs one event and is never silent.
 */
export function parseRelay(raw: unknown, debug: (...args: unknown[]) => void): { msg: RelayToHub; rejected: number[] } | { error: string } {
  const r = raw as { type?: unknown; events?: unknown } | null;
  if (typeof r !== 'object' || r === null || r.type !== 'relay-events' || !Array.isArray(r.events)) {
    const parsed = parseWith(RelayToHubSchema, raw);
    return parsed.ok ? { msg: parsed.value, rejected: [] } : { error: parsed.error };
  }
  if (r.events.length > RELAY_EVENTS_MAX) return { error: `events: more than ${RELAY_EVENTS_MAX}` };
  // The envelope (doc id, drop counters) with the events taken out, then each event alone.
  const envelope = parseWith(RelayToHubSchema, { ...r, events: [] });
  if (!envelope.ok) return { error: envelope.error };
  if (envelope.value.type !== 'relay-events') return { error: 'type' };
  const { blocks, ...rest } = envelope.value;
  const { events, rejected, unnumbered } = checkSeqEvents(r.events as unknown[]);
  if (unnumbered || rejected.length) debug('bad events from relay', { unnumbered, rejected });
  if (!blocks?.length) return { msg: { ...rest, events }, rejected };
  let total = events.length;
  for (const b of blocks) total += b.count;
  if (total > RELAY_EVENTS_MAX) return { error: `events: more than ${RELAY_EVENTS_MAX}` };
  // Batches of traffic the relay forwarded as the hook's text: decoded and checked here, then
  // merged with the parsed events by sequence number (TabStore.events takes them in order).
  const lists: SeqEvent[][] = [events];
  const refused: number[][] = [rejected];
  for (const b of blocks) {
    const d = decodeTextBlock(b);
    if (d.rejected.length || d.extra) debug('bad text block from relay', { from: b.from, rejected: d.rejected.length, extra: d.extra });
    lists.push(d.events);
    refused.push(d.rejected);
  }
  return { msg: { ...rest, events: lists.flat().sort((a, b) => a.seq - b.seq) }, rejected: refused.flat().sort((a, b) => a - b) };
}


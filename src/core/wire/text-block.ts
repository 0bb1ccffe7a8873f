// Decoding a text block: a hook batch of traffic alone that the relay kept and forwarded as the
// hook's own JSON text (relay-buffer.ts says why: parsing it on the page's thread was most of
// what the relay cost the page). The hub decodes it here, in the service worker, with the same
// checks the relay applies to a batch it parses itself (PageToRelaySchema, decodeEvents,
// checkEvent), so the page's text meets the schemas before anything uses it.
//
// The relay reserved sequence numbers [from, from + count) on the page's word for `count`. Every
// reserved number without a valid event is returned as rejected (the hub counts it malformed,
// and the panel does not count it as evicted); events beyond `count` have no number and are only
// counted as `extra`.
import { checkEvent } from './event-check.ts';
import { TEXT_BLOCK_MAX_CHARS } from './limits.ts';
import { decodeEvents } from './page-batch.ts';
import { PageToRelaySchema, parseWith } from './protocol.ts';
import type { SeqEvent, TextBlock } from './protocol.ts';

/**
 * A hook batch's JSON text, parsed and its envelope checked (PageToRelaySchema): its events
 * (traffic rebuilt from the columns, still unchecked, or why the columns are unusable) and the
 * hook's drop count; or why the text is no batch at all. The relay's parse of a batch and the
 * hub's decoding of a text block both start here.
 */
export function parseHookBatch(text: string): { events: unknown[] | string; dropped: number } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const env = parseWith(PageToRelaySchema, parsed);
  if (!env.ok) return env.error;
  return { events: decodeEvents(env.value.events, env.value.cols), dropped: env.value.dropped ?? 0 };
}

export interface DecodedBlock {
  events: SeqEvent[];
  rejected: number[];
  extra: number;
}

export function decodeTextBlock(block: TextBlock): DecodedBlock {
  const { from, count } = block;
  const events: SeqEvent[] = [];
  const rejected: number[] = [];
  // Before JSON.parse: a page can make its text as long as it likes, and parsing it costs the
  // service worker time and heap in proportion. Refused whole, every reserved number counted.
  const batch = block.text.length > TEXT_BLOCK_MAX_CHARS ? 'too long' : parseHookBatch(block.text);
  const list = typeof batch === 'string' || typeof batch.events === 'string' ? [] : batch.events;
  const n = Math.min(list.length, count);
  for (let i = 0; i < n; i++) {
    const ev = checkEvent(list[i]);
    if (typeof ev === 'string') rejected.push(from + i);
    else events.push({ seq: from + i, ev });
  }
  for (let i = n; i < count; i++) rejected.push(from + i);
  return { events, rejected, extra: list.length - n };
}

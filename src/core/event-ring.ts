// A bounded buffer of sequenced events that evicts message traffic before lifecycle facts.
//
// Losing a `create` or `close` would make a whole connection wrong, while losing old messages
// only shortens its history; so when full, the oldest message-like events go first, and only a
// buffer made entirely of lifecycle events (a socket storm) gives up its oldest of those.
// Eviction runs in chunks so that a flood costs amortized O(1) per event.
import type { SeqEvent } from './protocol.ts';

const isTraffic = (e: SeqEvent): boolean => e.ev.k === 'message' || e.ev.k === 'send' || e.ev.k === 'payload';

export class EventRing {
  private items: SeqEvent[] = [];
  /** Events evicted so far. */
  evicted = 0;

  constructor(readonly max: number) {}

  get size(): number {
    return this.items.length;
  }

  push(e: SeqEvent): void {
    this.items.push(e);
    if (this.items.length > this.max) this.evict();
  }

  private evict(): void {
    // Free an eighth of the capacity at once.
    this.trim(this.items.length - this.max + Math.max(1, this.max >> 3));
  }

  /** Evicts `count` events (message traffic first, oldest first), counting them. */
  trim(count: number): void {
    let toFree = Math.min(count, this.items.length);
    if (toFree <= 0) return;
    const kept: SeqEvent[] = [];
    for (const e of this.items) {
      if (toFree > 0 && isTraffic(e)) {
        toFree--;
        this.evicted++;
      } else kept.push(e);
    }
    if (toFree > 0) {
      this.evicted += toFree;
      kept.splice(0, toFree);
    }
    this.items = kept;
  }

  /** Events after `seq` (all when omitted), oldest first. */
  toArray(afterSeq = -1): SeqEvent[] {
    if (afterSeq < 0) return this.items.slice();
    return this.items.filter((e) => e.seq > afterSeq);
  }

  clear(): void {
    this.items = [];
  }
}

// The relay's memory of its document: sequenced events (an EventRing) and batches of message
// traffic still as the hook's JSON text.
//
// Why keep text: the relay runs on the page's main thread, and parsing, rebuilding and checking
// every message of a flood was most of what the relay cost the page (bench/profile-page.ts). A
// batch of traffic alone (page-batch.ts rawHeader) is kept as it came, with its sequence numbers
// reserved, and forwarded as it is; the hub decodes and validates it in the service worker
// (text-block.ts). Anything else (lifecycle facts, a batch that does not read as traffic alone)
// is parsed on arrival as before, so the rule that traffic is evicted before lifecycle still
// holds: a text block is traffic, and it goes when it is the oldest traffic held.
//
// Bounds are shared: events held plus events in text blocks ≤ `max`, estimated bytes of both
// ≤ `maxBytes`, oldest traffic first across the two (by sequence number), lifecycle last, every
// event evicted counted.
import { EventRing } from './event-ring.ts';
import type { SeqEvent, TextBlock } from './protocol.ts';

interface HeldBlock extends TextBlock {
  bytes: number;
}

/** What the buffer holds, in sequence order: parsed events and text blocks. */
export type BufferItem = SeqEvent | TextBlock;

export const isBlock = (item: BufferItem): item is TextBlock => 'text' in item;

/** Events an item stands for. */
export const itemEvents = (item: BufferItem): number => (isBlock(item) ? item.count : 1);

/** Fixed cost of a block beyond its text (the record and the array slot). */
const BLOCK_OVERHEAD = 64;

export class RelayBuffer {
  private ring = new EventRing(Infinity, Infinity);
  private blocks: HeldBlock[] = [];
  private head = 0;
  private blockEvents = 0;
  private blockBytes = 0;
  private blocksEvicted = 0;

  constructor(
    readonly max: number,
    readonly maxBytes: number,
  ) {}

  /** Events evicted so far, from either form. */
  get evicted(): number {
    return this.ring.evicted + this.blocksEvicted;
  }

  /** Events held, parsed or not. */
  get size(): number {
    return this.ring.size + this.blockEvents;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.ring.bytes + this.blockBytes;
  }

  push(e: SeqEvent): void {
    this.ring.push(e);
    if (this.size > this.max || this.bytes > this.maxBytes) this.evict();
  }

  /** A batch of traffic kept as text; the caller reserved sequence numbers [from, from + count). */
  pushText(block: TextBlock): void {
    const bytes = BLOCK_OVERHEAD + block.text.length;
    const count = block.count;
    this.blocks.push({ from: block.from, count, text: block.text, bytes });
    this.blockEvents += count;
    this.blockBytes += bytes;
    if (this.size > this.max || this.bytes > this.maxBytes) this.evict();
  }

  private evict(): void {
    // Free an eighth of the capacity beyond the bound crossed, as EventRing does, so that a
    // flood evicts every so often rather than on every push.
    let count = this.size > this.max ? this.size - this.max + Math.max(1, this.max >> 3) : 0;
    let bytes = this.bytes > this.maxBytes ? this.bytes - this.maxBytes + this.maxBytes / 8 : 0;
    while ((count > 0 || bytes > 0) && this.size > 0) {
      const block = this.head < this.blocks.length ? this.blocks[this.head]! : undefined;
      const ringSeq = this.ring.oldestTrafficSeq();
      if (block && (ringSeq === undefined || block.from < ringSeq)) {
        this.dropBlock();
        this.blocksEvicted += block.count;
        count -= block.count;
        bytes -= block.bytes;
      } else {
        bytes -= this.ring.trim(1);
        count--;
      }
    }
  }

  private dropBlock(): HeldBlock {
    const block = this.blocks[this.head]!;
    this.blocks[this.head++] = undefined as unknown as HeldBlock; // let it be collected
    this.blockEvents -= block.count;
    this.blockBytes -= block.bytes;
    if (this.head === this.blocks.length) {
      this.blocks = [];
      this.head = 0;
    } else if (this.head >= 256 && this.head * 2 >= this.blocks.length) {
      this.blocks = this.blocks.slice(this.head);
      this.head = 0;
    }
    return block;
  }

  /** What is held after `seq` (all when omitted), parsed events and text blocks, in sequence order. */
  items(afterSeq = -1): BufferItem[] {
    const events = this.ring.toArray(afterSeq);
    const out: BufferItem[] = [];
    let i = 0;
    for (let j = this.head; j < this.blocks.length; j++) {
      const b = this.blocks[j]!;
      if (b.from + b.count - 1 <= afterSeq) continue;
      while (i < events.length && events[i]!.seq < b.from) out.push(events[i++]!);
      out.push({ from: b.from, count: b.count, text: b.text });
    }
    while (i < events.length) out.push(events[i++]!);
    return out;
  }
}

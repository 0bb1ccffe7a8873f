// The relay's memory of its document: sequenced events (an EventRing) and, while no panel
// watches the tab, batches of message traffic still as the hook's JSON text.
//
// Why keep text: the relay runs on the page's main thread, and parsing, rebuilding and checking
// every message of a flood that nobody is looking at was about a third of what the extension cost
// the page (bench/profile-page.ts). A batch of traffic alone (page-batch.ts rawHeader) is kept as
// it came, with its sequence numbers reserved, and is parsed once, when a panel starts watching
// (materialize). Anything else (lifecycle facts, a batch that does not read as traffic alone) is
// parsed on arrival as before, so the rule that traffic is evicted before lifecycle still holds:
// a text block is traffic, and it goes when it is the oldest traffic held.
//
// Bounds are shared: events held plus events in text blocks ≤ `max`, estimated bytes of both
// ≤ `maxBytes`, oldest traffic first across the two (by sequence number), lifecycle last, every
// event evicted counted.
import { EventRing } from './event-ring.ts';
import type { SeqEvent } from './protocol.ts';

interface TextBlock {
  /** Sequence numbers [from, from + count) are this block's. */
  from: number;
  count: number;
  text: string;
  bytes: number;
}

/** Parses a block: its valid events numbered within [from, from + count). */
export type DecodeBlock = (text: string, from: number, count: number) => SeqEvent[];

/** Fixed cost of a block beyond its text (the record and the array slot). */
const BLOCK_OVERHEAD = 64;

export class RelayBuffer {
  private ring = new EventRing(Infinity, Infinity);
  private blocks: TextBlock[] = [];
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

  /** Text blocks waiting to be parsed. */
  get pending(): number {
    return this.blocks.length - this.head;
  }

  push(e: SeqEvent): void {
    this.ring.push(e);
    if (this.size > this.max || this.bytes > this.maxBytes) this.evict();
  }

  /** A batch of traffic kept as text; the caller reserved sequence numbers [from, from + count). */
  pushText(from: number, count: number, text: string): void {
    const bytes = BLOCK_OVERHEAD + text.length;
    this.blocks.push({ from, count, text, bytes });
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

  private dropBlock(): TextBlock {
    const block = this.blocks[this.head]!;
    this.blocks[this.head++] = undefined as unknown as TextBlock; // let it be collected
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

  /**
   * Parses every text block into events, in sequence order among those already held. Called
   * when a panel starts watching, before toArray. The bounds apply to the result: parsed
   * events weigh more than their text.
   */
  materialize(decode: DecodeBlock): void {
    if (this.pending === 0) return;
    const held = this.ring.toArray();
    const fresh = new EventRing(Infinity, Infinity);
    fresh.evicted = this.ring.evicted;
    let i = 0;
    while (this.pending > 0) {
      const block = this.dropBlock();
      while (i < held.length && held[i]!.seq < block.from) fresh.push(held[i++]!);
      for (const e of decode(block.text, block.from, block.count)) fresh.push(e);
    }
    while (i < held.length) fresh.push(held[i++]!);
    this.ring = fresh;
    if (this.size > this.max || this.bytes > this.maxBytes) this.evict();
  }

  /** Events after `seq` (all when omitted), oldest first; text blocks must be materialized first. */
  toArray(afterSeq = -1): SeqEvent[] {
    if (this.pending > 0) throw new Error('RelayBuffer.toArray: materialize the text blocks first');
    return this.ring.toArray(afterSeq);
  }
}

// A bounded buffer of sequenced events that evicts message traffic before lifecycle facts.
//
// Losing a `create` or `close` would make a whole connection wrong, while losing old messages
// only shortens its history; so when full, the oldest message-like events go first, and only a
// buffer made entirely of lifecycle events (a socket storm) gives up its oldest of those.
//
// Bounded in events and in bytes: 50,000 events of 16 KiB payloads would be 800 MB, and the
// relay's ring lives in the page's own renderer (limits.ts). Bytes are an estimate
// (eventBytes): the string lengths an event carries plus a fixed overhead per object.
//
// Speed: the relay pushes every event of the page here, on the page's main thread. Traffic and
// lifecycle events sit in two queues (each in sequence order), so eviction takes from the head
// of one of them, O(1) per event, instead of rebuilding one array around the survivors (which
// measured ~0.8 µs per message in the relay, bench/page.bench.ts); toArray merges the two,
// O(n), on the rare replay or snapshot.
import type { HookEvent, SeqEvent } from './protocol.ts';

const isTraffic = (e: SeqEvent): boolean => e.ev.k === 'message' || e.ev.k === 'send' || e.ev.k === 'payload';

/** Rough heap cost of an event: its strings (1 byte per code unit: mostly ASCII) and its objects. */
export function eventBytes(ev: HookEvent): number {
  switch (ev.k) {
    case 'message':
    case 'send':
    case 'payload':
      return 96 + (ev.data === undefined ? 0 : ev.data.length);
    case 'create':
      return 160 + ev.url.length + (ev.stack?.length ?? 0);
    case 'close-call':
      return 128 + (ev.reason?.length ?? 0) + (ev.stack?.length ?? 0);
    case 'close':
      return 96 + ev.reason.length;
    case 'hello':
      return 96 + ev.url.length;
    case 'csp':
      // A policy can be 2 KiB: the byte bound must see it.
      return 96 + ev.blocked.length + ev.directive.length + ev.policy.length;
    default:
      return 96;
  }
}

/** An array used as a FIFO: shift() moves a head index; the dead prefix is dropped now and then. */
class Queue {
  items: SeqEvent[] = [];
  head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(e: SeqEvent): void {
    this.items.push(e);
  }

  shift(): SeqEvent {
    const e = this.items[this.head]!;
    this.items[this.head++] = undefined as unknown as SeqEvent; // let it be collected
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return e;
  }
}

export class EventRing {
  private traffic = new Queue();
  private life = new Queue();
  private held = 0;
  /** Events evicted so far. */
  evicted = 0;

  /** `max` events and about `maxBytes` bytes (eventBytes) at most. */
  constructor(
    readonly max: number,
    readonly maxBytes: number = Infinity,
  ) {}

  get size(): number {
    return this.traffic.length + this.life.length;
  }

  /** Estimated bytes held (eventBytes). */
  get bytes(): number {
    return this.held;
  }

  push(e: SeqEvent): void {
    (isTraffic(e) ? this.traffic : this.life).push(e);
    this.held += eventBytes(e.ev);
    if (this.size > this.max || this.held > this.maxBytes) this.evict();
  }

  private evict(): void {
    // Free an eighth of the capacity at once, of whichever bound was crossed, so that a flood
    // evicts every so often rather than on every push.
    const size = this.size;
    const count = size > this.max ? size - this.max + Math.max(1, this.max >> 3) : 0;
    const bytes = this.held > this.maxBytes ? this.held - this.maxBytes + this.maxBytes / 8 : 0;
    this.trim(count, bytes);
  }

  /**
   * Evicts `count` events, and more if needed to free `bytes` (message traffic first, oldest
   * first), counting them. Returns the bytes freed.
   */
  trim(count: number, bytes = 0): number {
    let toFree = Math.min(count, this.size);
    let bytesToFree = bytes;
    let freed = 0;
    while ((toFree > 0 || bytesToFree > 0) && this.size > 0) {
      // Lifecycle events go only when no traffic is left.
      const e = (this.traffic.length > 0 ? this.traffic : this.life).shift();
      const b = eventBytes(e.ev);
      this.held -= b;
      bytesToFree -= b;
      freed += b;
      toFree--;
      this.evicted++;
    }
    return freed;
  }

  /** The sequence number of the oldest message-like event held, if any. */
  oldestTrafficSeq(): number | undefined {
    return this.traffic.length > 0 ? this.traffic.items[this.traffic.head]!.seq : undefined;
  }

  /** Events after `seq` (all when omitted), oldest first. */
  toArray(afterSeq = -1): SeqEvent[] {
    const out: SeqEvent[] = [];
    const a = this.traffic.items;
    const b = this.life.items;
    let i = this.traffic.head;
    let j = this.life.head;
    while (i < a.length || j < b.length) {
      const e = j >= b.length || (i < a.length && a[i]!.seq < b[j]!.seq) ? a[i++]! : b[j++]!;
      if (e.seq > afterSeq) out.push(e);
    }
    return out;
  }

  clear(): void {
    this.traffic = new Queue();
    this.life = new Queue();
    this.held = 0;
  }
}

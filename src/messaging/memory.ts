// The in-memory twin of an extension port, for unit tests of port.ts and of anything built on it:
// two connected ends that behave as Chrome's do in the ways our code depends on.
//
// - Delivery is asynchronous (a microtask later), as it is across processes.
// - Each message is copied through JSON on the way, as Chrome's extension messaging serialises
//   it: the receiver never shares an object with the sender, `undefined` properties vanish, a
//   Date arrives as a string, and what JSON cannot encode (a BigInt, a cycle) throws in the
//   sender's postMessage.
// - disconnect() on one end fires onDisconnect on the other end only (runtime.Port reference:
//   the side that disconnects is not told), and a later postMessage on either end throws, with
//   Chrome's message.
// - `sever()` kills both ends without telling either, as Chromium 156 does to the content script
//   side of a document entering the back/forward cache (relay.iife.ts): only a post finds out.
// Nothing here touches a browser API: it runs in Node.
import type { PortLike } from './port.ts';

type Sender = NonNullable<PortLike['sender']>;

export class MemoryPort implements PortLike {
  /** Every message this end posted, as the other end received it (a JSON copy). */
  readonly posted: unknown[] = [];
  /** Calls of disconnect() on this end. */
  disconnects = 0;
  error: { message?: string } | null = null;
  private dead = false;
  private readonly msgListeners: Array<(msg: unknown) => void> = [];
  private readonly goneListeners: Array<() => void> = [];
  /** The other end; set by memoryPortPair. */
  peer!: MemoryPort;

  readonly onMessage = { addListener: (fn: (msg: unknown) => void) => void this.msgListeners.push(fn) };
  readonly onDisconnect = { addListener: (fn: () => void) => void this.goneListeners.push(fn) };

  constructor(
    readonly name: string,
    readonly sender?: Sender,
  ) {}

  /** Neither end has been disconnected or severed. */
  get alive(): boolean {
    return !this.dead;
  }

  postMessage(msg: unknown): void {
    if (this.dead) throw new Error('Attempting to use a disconnected port object');
    // JSON.stringify(undefined) is undefined: Chrome delivers null for it.
    const text = JSON.stringify(msg) ?? 'null';
    this.posted.push(JSON.parse(text));
    const peer = this.peer;
    queueMicrotask(() => {
      if (peer.dead) return;
      for (const fn of peer.msgListeners) fn(JSON.parse(text));
    });
  }

  disconnect(): void {
    this.disconnects++;
    if (this.dead) return;
    this.dead = this.peer.dead = true;
    const peer = this.peer;
    queueMicrotask(() => {
      for (const fn of peer.goneListeners) fn();
    });
  }

  /** Both ends die silently: no onDisconnect anywhere, posts throw. */
  sever(): void {
    this.dead = this.peer.dead = true;
  }

  get listening(): boolean {
    return this.msgListeners.length > 0;
  }
}

/** Two connected ends: `a` is the side that called connect(), `b` the side that accepted. */
export function memoryPortPair(name: string, sender?: Sender): { a: MemoryPort; b: MemoryPort } {
  const a = new MemoryPort(name);
  const b = new MemoryPort(name, sender);
  a.peer = b;
  b.peer = a;
  return { a, b };
}

/**
 * A stand-in for runtime.connect / runtime.onConnect: `connect` is what a client passes to
 * connectWithRetry; each call makes a pair and hands the accepting end to `accept`, or throws
 * `refuse` when set (an invalidated extension context). `ends` lists every accepted end.
 */
export class MemoryRuntime {
  readonly ends: MemoryPort[] = [];
  refuse: Error | undefined;

  constructor(private readonly accept: (port: MemoryPort) => void = () => undefined) {}

  readonly connect = (name: string): MemoryPort => {
    if (this.refuse) throw this.refuse;
    const { a, b } = memoryPortPair(name);
    this.ends.push(b);
    this.accept(b);
    return a;
  };

  /** The accepting end of the latest connection. */
  get last(): MemoryPort | undefined {
    return this.ends.at(-1);
  }
}

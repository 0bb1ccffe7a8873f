// One typed adapter over extension ports, used by the three contexts that keep one open: the
// relay (content script), the panel host (DevTools panel or viewer tab) and the hub (background).
//
// Why one adapter: each of them used to hold a raw chrome.runtime.Port and repeat the same
// chores slightly differently: catch postMessage on a dead port, read runtime.lastError in
// onDisconnect, reconnect after a delay, ignore a port it already replaced. Those are the rules
// of the transport, not of our protocol, and they are written once here.
//
// What it does not do: validate. `onMessage` hands over the raw value, typed `unknown`, and the
// receiver parses it with the protocol's schemas as before (core/wire/protocol.ts, core/wire/wire.ts):
// every boundary validates what it receives, a type parameter is no proof of anything.
//
// The transport rules it encodes (Chrome's "Message passing" guide and runtime.Port reference;
// Firefox's runtime.Port on MDN):
// - A port disconnects when the other end goes: a closed document, or the background stopping.
//   Chrome stops an MV3 service worker after ~30 s without events and its ports drop with it
//   ("The extension service worker lifecycle"); Firefox unloads an idle event page the same way.
//   Whoever needs the background again connects anew, which also wakes it.
// - onDisconnect fires on the other end only: a side that calls disconnect() hears nothing.
// - postMessage on a port that is already disconnected throws ("Attempting to use a
//   disconnected port object"); so does any call once the extension was reloaded
//   ("Extension context invalidated"). Neither is worth an exception in a page's event loop.
// - A disconnect caused by an error sets chrome.runtime.lastError during onDisconnect (Firefox:
//   port.error); left unread, Chrome logs "Unchecked runtime.lastError" in the page's console.
// - Chrome serialises a port message as JSON (the receiver gets a copy, never a shared object);
//   Firefox uses structured clone. Our messages are plain JSON either way (see memory.ts, whose
//   twin copies like Chrome, the stricter of the two).

/** The part of chrome.runtime.Port (and Firefox's runtime.Port) this module relies on. */
export interface PortLike {
  readonly name: string;
  readonly sender?: chrome.runtime.MessageSender | undefined;
  /** Firefox sets this when the port was closed by an error (MDN runtime.Port.error). */
  readonly error?: { message?: string } | null | undefined;
  postMessage(msg: unknown): void;
  disconnect(): void;
  readonly onMessage: { addListener(fn: (msg: unknown) => void): void };
  readonly onDisconnect: { addListener(fn: () => void): void };
}

/** Why a port went away, when the browser said (runtime.lastError or Firefox's port.error). */
function lastErrorOf(port: PortLike): string | undefined {
  // Read even when unused: reading lastError is what marks it checked (see the top of the file).
  const runtime = (globalThis as { chrome?: { runtime?: { lastError?: { message?: string } } } }).chrome?.runtime;
  const chromeError = runtime?.lastError?.message;
  return port.error?.message ?? chromeError;
}

/**
 * A port whose outgoing messages are typed `Out` (what this side sends, in its wire form) and
 * whose incoming messages are expected to be `In` (documentation only: they arrive `unknown`).
 */
export class TypedPort<In, Out> {
  /** Declares what the other side sends; never read (incoming values are validated, not trusted). */
  declare readonly __in?: In;
  private alive = true;

  constructor(readonly raw: PortLike) {
    // Registered first, so `alive` is false before any other disconnect handler runs.
    raw.onDisconnect.addListener(() => {
      this.alive = false;
    });
  }

  get name(): string {
    return this.raw.name;
  }

  get sender(): chrome.runtime.MessageSender | undefined {
    return this.raw.sender;
  }

  /** False once the port disconnected, was closed by us, or failed a post. */
  get open(): boolean {
    return this.alive;
  }

  /**
   * Sends `msg` as it is (no copy, no packing: the caller packs, core/wire/wire.ts). True when the
   * browser took it; false when the port is dead. A throwing postMessage is swallowed: the port
   * is dead from then on, and what to do about it (drop it, reconnect) is the caller's decision.
   */
  post(msg: Out): boolean {
    if (!this.alive) return false;
    try {
      this.raw.postMessage(msg);
      return true;
    } catch {
      this.alive = false;
      return false;
    }
  }

  /** Every message from the other side, unvalidated: parse it before use. */
  onMessage(handler: (raw: unknown) => void): void {
    this.raw.onMessage.addListener((msg: unknown) => handler(msg));
  }

  /** The other side went away; `error` is the browser's reason when it gave one. */
  onDisconnect(handler: (error: string | undefined) => void): void {
    this.raw.onDisconnect.addListener(() => handler(lastErrorOf(this.raw)));
  }

  /** Closes the port from this side. The other side's onDisconnect fires; ours does not (Chrome's rule). */
  disconnect(): void {
    this.alive = false;
    try {
      this.raw.disconnect();
    } catch {
      // Already closed, or the extension context is gone: either way it is closed.
    }
  }
}

export interface RetryOptions<In, Out> {
  /** The port's name (core/wire/protocol.ts PORT_*): the hub routes by it. */
  name: string;
  /** Wait after a disconnect before connecting again. */
  delayMs: number;
  /**
   * What `post` does while no port is open: 'queue' keeps the messages and sends them, in
   * order, right after the next connect's `onConnect`; 'drop' forgets them (the relay: its ring
   * replays everything the hub may lack once the hub asks, so a queue would only duplicate it).
   */
  whileDown: 'queue' | 'drop';
  /** A port is open: greet the hub here (its posts go out before any queued message). */
  onConnect(port: TypedPort<In, Out>): void;
  /** A message on the current port, unvalidated. Messages of a port we replaced never arrive. */
  onMessage(raw: unknown): void;
  /**
   * The current port is gone: the other side disconnected, or a post failed on it. Called once
   * per port, before the retry is scheduled. Not called for a port we drop ourselves
   * (`reconnect`, `close`), as Chrome does not fire onDisconnect on the side that disconnects.
   */
  onDisconnect?(error: string | undefined): void;
  /**
   * Connecting threw: the extension was reloaded or removed ("Extension context invalidated").
   * That does not heal, so the client stops for good.
   */
  onGone?(error: unknown): void;
  /**
   * Asked after each loss: false leaves the client without a port until `reconnect` (the relay
   * once no panel watches: reconnecting would wake a stopped service worker for nothing).
   * Default: always reconnect.
   */
  retry?(): boolean;
  /** Opens a port; chrome.runtime.connect unless a test passes its own (memory.ts). */
  connect?(name: string): PortLike;
}

export interface RetryClient<Out> {
  /** A port is open right now. */
  readonly connected: boolean;
  /** Sends on the current port. True when sent; false when queued, dropped, or the post failed. */
  post(msg: Out): boolean;
  /**
   * Drops the current port without waiting to hear from it and connects now. For a port we
   * know is dead although it never said so (Chromium closes the ports of a document entering
   * the back/forward cache and, seen in Chromium 156, does not tell that side), or one we want
   * replaced (a new subscription after a permission grant).
   */
  reconnect(): void;
  /** Drops the port and stops reconnecting. */
  close(): void;
}

/**
 * A client that keeps one port to the background open: connects now, and after each disconnect
 * connects again `delayMs` later (which wakes a stopped service worker or unloaded event page).
 */
export function connectWithRetry<In, Out>(opts: RetryOptions<In, Out>): RetryClient<Out> {
  const open = opts.connect ?? ((name: string) => chrome.runtime.connect({ name }));
  let port: TypedPort<In, Out> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const queue: Out[] = [];

  const cancelRetry = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  /** The current port `p` is gone: tell the user once, come back after the delay. */
  const lost = (p: TypedPort<In, Out>, error: string | undefined) => {
    if (port !== p) return; // replaced already, or reported already
    port = undefined;
    opts.onDisconnect?.(error);
    if (stopped || port) return; // closed, or reconnected by the handler itself
    cancelRetry();
    if (opts.retry && !opts.retry()) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect();
    }, opts.delayMs);
  };

  const connect = () => {
    if (stopped || port) return;
    cancelRetry();
    let p: TypedPort<In, Out>;
    try {
      p = new TypedPort<In, Out>(open(opts.name));
    } catch (err) {
      stopped = true;
      opts.onGone?.(err);
      return;
    }
    port = p;
    p.onMessage((raw) => {
      if (port === p) opts.onMessage(raw);
    });
    p.onDisconnect((error) => lost(p, error));
    opts.onConnect(p);
    // A greeting that failed: the port is dead already (it may never say so itself).
    if (port === p && !p.open) return lost(p, undefined);
    // Sent in order after the greeting; the first that fails stays queued with those after it.
    while (port === p && queue.length) {
      if (!send(queue[0]!)) break;
      queue.shift();
    }
  };

  /** Posts on the current port; a failed post counts as that port's disconnect. */
  const send = (msg: Out): boolean => {
    const p = port;
    if (!p) return false;
    if (p.post(msg)) return true;
    lost(p, undefined);
    return false;
  };

  const drop = () => {
    const p = port;
    port = undefined;
    p?.disconnect();
  };

  connect();
  return {
    get connected() {
      return port !== undefined;
    },
    post(msg) {
      if (send(msg)) return true;
      if (opts.whileDown === 'queue' && !stopped) queue.push(msg);
      return false;
    },
    reconnect() {
      if (stopped) return;
      drop();
      connect();
    },
    close() {
      stopped = true;
      cancelRetry();
      queue.length = 0;
      drop();
    },
  };
}

// The hook's record of each socket, and how a message the page receives is recorded: shared by
// the listeners (socket.ts) and by fault injection (faults.ts), which delivers messages itself.
import { PAYLOAD_CAP_BYTES } from '../core/wire/limits.ts';
import { utf8Length } from '../core/wire/payload.ts';
import type { HookEvent } from '../core/wire/protocol.ts';
import { apply, createNull, fnBind, WeakMapCtor, wmGet, wmSet, type AnyFn } from './builtins.ts';
import { capture, flagsOf } from './capture.ts';
import { emit, emitTraffic } from './emit.ts';

/** What one realm's WebSocket had before we wrapped it, and what fault injection needs of it. */
export interface Realm {
  win: typeof globalThis;
  proto: object;
  readyState: AnyFn;
  buffered: AnyFn;
  url: AnyFn;
  binaryType: AnyFn;
  send: AnyFn;
  close: AnyFn;
  /** The realm's own constructors: an event we dispatch is of the page's realm, as the browser's are. */
  MessageEvent: typeof MessageEvent;
  CloseEvent: typeof CloseEvent;
  Event: typeof Event;
  Uint8Array: typeof Uint8Array;
  Blob: typeof Blob | undefined;
  /** Our readyState getter is on the prototype (faults.ts installs it on the first fault). */
  readyStateCovered?: boolean;
}

/** An event held back: a message (real or ours), or the real end that came behind held messages. */
export interface Held {
  type: 'message' | 'close' | 'error';
  due: number;
  data?: unknown;
  /** What to record instead of `data` (an injected binary message: our bytes, not the page realm's object). */
  shown?: unknown;
  origin?: string;
  lastEventId?: string;
  code?: number;
  reason?: string;
  clean?: boolean;
  inj?: boolean;
}

export interface FaultState {
  /** The page was shown the end of this socket: every real event of it is stopped. */
  ended?: boolean;
  /** An end is about to be shown (fail-next after-open): real messages are stopped meanwhile. */
  ending?: boolean;
  /** A fail-next rule closed it while connecting: readyState reads CONNECTING until the browser's error, and its close is recorded as injected. */
  injClose?: boolean;
  connecting?: boolean;
  afterOpen?: { code: number; reason: string };
  holdUntil: number;
  holdDrop: boolean;
  delay: number;
  dropNext: number;
  block?: { text: string } | { re: RegExp };
  queue: Array<Held | undefined>;
  head: number;
  timer?: ReturnType<typeof setTimeout>;
}

export interface SockRec {
  sid: number;
  sent: number;
  received: number;
  ws: WebSocket;
  realm: Realm;
  /** Faults applied from the panel; absent (the fast path) until the first one. */
  f?: FaultState;
}

let nextSid = 0;
export const takeSid = (): number => nextSid++;
/** Whether `sid` was ever given out in this document. */
export const sidGiven = (sid: number): boolean => sid < nextSid;

const socks = new WeakMapCtor<object, SockRec>();
// Bound once, before any page script runs: a lookup per send() without an argument array.
export const rec = apply(fnBind, wmGet, [socks]) as (ws: object) => SockRec | undefined;
export const keepRec = (ws: object, r: SockRec): void => void apply(wmSet, socks, [ws, r]);

/**
 * Sockets not closed yet, by sid, so a command can name one. An object without a prototype:
 * reading and deleting its keys, and `for…in` over them, run no page code. A socket leaves when
 * it closes (or fails), so only open ones are held, which the browser keeps alive anyway.
 */
export const live = createNull(null) as Record<number, SockRec>;

/** A message the page receives, recorded (`inj`: one we put there, see faults.ts). */
export function recordMessage(r: SockRec, data: unknown, t: number, inj?: boolean): void {
  const n = r.received++;
  if (!inj && typeof data === 'string') {
    // The common case, inline: a text frame that fits the cap.
    const size = utf8Length(data);
    if (size <= PAYLOAD_CAP_BYTES) return emitTraffic(r.sid, t, n, size, 0, 0, 0, data);
  }
  const c = capture(data, r.sid, n, 'message');
  if (!inj) return emitTraffic(r.sid, t, n, c.size, flagsOf(c), 0, 0, c.data ?? null);
  // An injected one goes as a whole event: the columns have no flag for it (page-batch.ts).
  const ev: HookEvent = { k: 'message', sid: r.sid, t, n, bin: c.bin, size: c.size, inj: true };
  if (c.data !== undefined) ev.data = c.data;
  if (c.trunc) ev.trunc = true;
  if (c.later) ev.later = true;
  emit(ev);
}

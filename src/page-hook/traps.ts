// The traps of the natives the hook wraps (the WebSocket constructor, send, close, and the natives
// wrapped only to stay invisible: Function.prototype.toString, the iframe getters,
// Document.prototype.open, readyState), reduced to what must run while the page's call is on the
// stack: the page's own conversions and the native call. Everything else (recording, emitting) is
// in the hooks, which never throw and never run page code.
//
// Why the split: an error the native or the page's conversion creates takes its stack at that
// moment, our trap's frame included. V8 keeps that stack as an own property of the error, which
// stacks.ts rewrites without our frames. SpiderMonkey keeps it behind an inherited accessor, and
// an own `stack` written on the error would itself show; but it leaves out of a stack every frame
// whose principal the reader's does not subsume (an isolated-world content script's frames, read
// by the page: docs/firefox.md, measured on Firefox ESR). So in Firefox these same bodies run in
// the relay's isolated world (src/content/hidden-traps.ts) and call the hooks in the page hook
// across the worlds; in Chromium (and in Firefox if the isolated world did not answer) they run
// in the page hook with `LOCAL` (hidden.ts).
//
// Realm-neutral on purpose: no import of the hook's DOM built-ins, only lang.ts; whatever belongs
// to one realm (making a TypeError or an iterable the page's realm owns) comes through `TrapIo`.
// Values handed to the hooks are the page's own or primitives, never an object of the realm that
// runs the trap (Firefox would hand the page world an opaque wrapper of it).
import { apply, isObject, withTwo } from './lang.ts';
import { convertArgs } from './protocols.ts';
import { toText } from './to-text.ts';
import type { TrapIo } from './trap-io.ts';

export type { TrapIo } from './trap-io.ts';

export interface CtorHooks {
  now: () => number;
  /** The newTarget to give the native: the native itself when the page called our wrapper. */
  newTarget: (newTarget: unknown) => unknown;
  threw: (t: number, url: unknown, err: unknown) => void;
  /** A socket was made; `protocols` as converted, already bounded. */
  made: (ws: unknown, t: number, ...protocols: string[]) => void;
}

/** What `gate` answers for a send: go on, swallow it (return undefined), or pass it to the native unrecorded. */
export const SEND_GO = 0;
export const SEND_SWALLOW = 1;
export const SEND_UNRECORDED = 2;

export interface SendHooks {
  /**
   * The common send, whole, where the native cannot throw: text on one of our open (or closing,
   * or closed) sockets with no fault set (HTML, WebSocket send(): only CONNECTING throws, and a
   * string needs no conversion). Sends and records it and says true; else false and does nothing.
   * One call into the hook for the common case: in Firefox each call crosses between worlds.
   */
  fast: (self: unknown, data: unknown, argc: number) => boolean;
  /** Our record of the socket (opaque here), or undefined for anything not ours. */
  rec: (self: unknown) => unknown;
  /** Whether `value` is sent as its string (neither BufferSource nor Blob: WebIDL overload resolution). */
  asText: (value: unknown) => boolean;
  gate: (r: unknown, value: unknown) => number;
  sent: (r: unknown, self: unknown, value: unknown) => void;
}

export interface CloseHooks {
  /** What the close call record needs from before the call (opaque here), or undefined for anything not ours. */
  begin: (self: unknown) => unknown;
  end: (state: unknown, args: unknown, failed: boolean, err: unknown) => void;
}

export interface PassHooks {
  /** The receiver to call the native with. */
  receiver: (self: unknown) => unknown;
  /** What the page gets, given what the native returned. */
  after: (self: unknown, result: unknown) => unknown;
}


export function constructTrap(io: TrapIo, h: CtorHooks, rawTarget: unknown, rawArgs: ArrayLike<unknown>, rawNewTarget: unknown): unknown {
  const target: unknown = io.waive(rawTarget);
  const args = io.waive(rawArgs) as ArrayLike<unknown>;
  const newTarget: unknown = io.waive(rawNewTarget);
  const t = h.now();
  let ws: unknown;
  let protocols: string[];
  try {
    const converted = convertArgs(io, args);
    protocols = converted.protocols;
    ws = io.construct(target, converted.args, io.waive(h.newTarget(newTarget)));
  } catch (err) {
    io.hide(err);
    h.threw(t, args.length > 0 ? args[0] : undefined, err);
    throw err;
  }
  // Spread by this realm's Reflect.apply: the hook gets strings, not an array of this realm.
  apply(h.made, h, withTwo(ws, t, protocols));
  return ws;
}

export function sendTrap(io: TrapIo, h: SendHooks, rawTarget: unknown, rawSelf: unknown, rawArgs: ArrayLike<unknown>): unknown {
  // send() returns undefined (HTML, WebSocket interface). The values as given, the first argument
  // and the count, not the arguments' array: a primitive crosses between Firefox's worlds without
  // a wrapper, and a wrapper crossing back is the page's object again.
  if (h.fast(rawSelf, rawArgs.length > 0 ? rawArgs[0] : undefined, rawArgs.length)) return undefined;
  const target: unknown = io.waive(rawTarget);
  const self: unknown = io.waive(rawSelf);
  const args = io.waive(rawArgs) as ArrayLike<unknown>;
  const r = h.rec(self);
  let a = args;
  let result: unknown;
  try {
    if (r !== undefined) {
      // An object that is neither BufferSource nor Blob is sent as its string (WebIDL overload
      // resolution, then "convert to a USVString"): converted here, once, and the native given
      // the string, so that we record what was sent without running its toString again. Only
      // for one of our sockets: on anything else the native throws before converting.
      if (a.length > 0 && isObject(a[0]) && h.asText(a[0])) {
        const text = toText(io, a[0]);
        // No text to be had: the native fails on the stand-in as it would have on the value.
        if (!text.ok) return io.apply(target, self, [text.standIn]);
        a = [text.text];
      }
      const verdict = h.gate(r, a.length > 0 ? a[0] : undefined);
      if (verdict === SEND_SWALLOW) return undefined;
      if (verdict === SEND_UNRECORDED) return io.apply(target, self, a);
    }
    result = io.apply(target, self, a);
  } catch (err) {
    io.hide(err);
    throw err;
  }
  if (r !== undefined) h.sent(r, self, a.length > 0 ? a[0] : undefined);
  return result;
}

export function closeTrap(io: TrapIo, h: CloseHooks, rawTarget: unknown, rawSelf: unknown, rawArgs: ArrayLike<unknown>): unknown {
  const target: unknown = io.waive(rawTarget);
  const self: unknown = io.waive(rawSelf);
  const args = io.waive(rawArgs) as ArrayLike<unknown>;
  const state = h.begin(self);
  let failed = false;
  let thrown: unknown;
  try {
    return io.apply(target, self, args);
  } catch (err) {
    io.hide(err);
    failed = true;
    thrown = err;
    throw err;
  } finally {
    if (state !== undefined) h.end(state, args, failed, thrown);
  }
}

export function passTrap(io: TrapIo, h: PassHooks, rawTarget: unknown, rawSelf: unknown, rawArgs: ArrayLike<unknown>): unknown {
  const self: unknown = io.waive(rawSelf);
  let result: unknown;
  try {
    result = io.apply(io.waive(rawTarget), io.waive(h.receiver(self)), io.waive(rawArgs) as ArrayLike<unknown>);
  } catch (err) {
    io.hide(err);
    throw err;
  }
  return h.after(self, result);
}

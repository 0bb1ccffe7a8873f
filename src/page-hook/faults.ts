// Fault injection into the page's own sockets, commanded from the panel (core/faults/commands.ts;
// the commands arrive through command.ts). The page must see what a real failure of that kind
// shows it, and nothing of us until a fault is applied: no prototype is touched before then.
//
// How: each socket gets our capturing listeners at construction, before the page can add any
// (socket.ts), so they run first and can stop a real event (stopImmediatePropagation, saved) and
// deliver it later as a new event of the socket's realm with the same data and origin. Ending a
// link shows the page the events of the end we fake, closes the real socket underneath with
// INJECTED_CLOSE_CODE (a frame telling the server it was a test, so it frees the socket), and
// stops every real event of it from then on. What we record is what the page saw, when it saw it:
// a message we held is recorded when delivered, one we dropped never; what we put there is
// recorded with `inj`.
import { BLOCK_MATCH_CHARS, INJECTED_CLOSE_CODE, INJECTED_CLOSE_REASON } from '../core/faults/checks.ts';
import type { HookEvent } from '../core/wire/protocol.ts';
import {
  apply, clearTimer, createNull, eventTrusted, getOwnDesc, msgData, msgLastEventId, msgOrigin, NOARGS, ObjectDefine, perfNow, ProxyCtor, reExec, setTimer, stopImmediate, strIndexOf,
  strSlice, closeCode, closeReason, closeClean, dispatch, urlHref, urlOrigin, URLCtor,
} from './builtins.ts';
import { disguise } from './disguise.ts';
import { emit } from './emit.ts';
import { trapFor } from './hidden.ts';
import { passTrap } from './traps.ts';
import { live, rec, recordMessage, type FaultState, type Held, type Realm, type SockRec } from './record.ts';

export function faultsOf(r: SockRec): FaultState {
  return (r.f ??= { holdUntil: 0, holdDrop: false, delay: 0, dropNext: 0, queue: [], head: 0 });
}

function isTrusted(e: Event): boolean {
  try {
    return !eventTrusted || apply(eventTrusted, e, NOARGS) === true;
  } catch {
    return false;
  }
}

/** A dictionary without a prototype: the browser reads every member of it (WebIDL) and finds no page getter on Object.prototype. */
function dict(fields: Record<string, unknown>): Record<string, unknown> {
  const d = createNull(null) as Record<string, unknown>;
  for (const k in fields) d[k] = fields[k];
  return d;
}

/** The readyState the page reads (our getter, once installed), for our own records. */
export function pageReadyState(r: SockRec): 0 | 1 | 2 | 3 {
  if (r.f?.ended) return 3;
  if (r.f?.connecting) return 0;
  return apply(r.realm.readyState, r.ws, NOARGS) as 0 | 1 | 2 | 3;
}

/**
 * Puts our readyState getter on the realm's WebSocket.prototype, disguised as the native (a
 * Proxy of it: same name, length and source text), the first time a fault needs it: a socket
 * the page was shown closed reads CLOSED while the real one is still closing underneath.
 */
function coverReadyState(realm: Realm): void {
  if (realm.readyStateCovered) return;
  const d = getOwnDesc(realm.proto, 'readyState');
  if (!d?.get) return;
  realm.readyStateCovered = true;
  const get = new ProxyCtor(d.get, {
    apply: trapFor('pass', {
      receiver: (self: unknown) => self,
      after: (self: unknown, state: unknown) => {
        const r = rec(self as object);
        if (r?.f?.ended) return 3;
        if (r?.f?.connecting) return 0;
        return state;
      },
    }, passTrap),
  });
  disguise(get, d.get);
  ObjectDefine(realm.proto, 'readyState', { get, set: d.set, enumerable: d.enumerable, configurable: d.configurable });
}

function schedule(r: SockRec, f: FaultState, ms: number): void {
  if (f.timer !== undefined) clearTimer(f.timer);
  f.timer = setTimer(() => pump(r), ms < 0 ? 0 : ms);
}

function discard(f: FaultState): void {
  if (f.timer !== undefined) clearTimer(f.timer);
  f.timer = undefined;
  f.queue = [];
  f.head = 0;
}

/** Delivers what is due, in order, unless a silence holds it; then waits for the next. */
function pump(r: SockRec): void {
  const f = r.f;
  if (!f) return;
  f.timer = undefined;
  const now = perfNow();
  if (f.holdUntil > now) return schedule(r, f, f.holdUntil - now);
  while (f.head < f.queue.length) {
    const it = f.queue[f.head]!;
    if (it.due > now) return schedule(r, f, it.due - now);
    f.queue[f.head++] = undefined;
    deliver(r, it);
    if (f.ended) return discard(f);
    // A listener of the page may have run long, or a silence may have begun: look again.
    if (f.holdUntil > perfNow()) return schedule(r, f, f.holdUntil - perfNow());
  }
  f.queue = [];
  f.head = 0;
}

function deliver(r: SockRec, it: Held): void {
  const { realm, ws } = r;
  const t = perfNow();
  let ev: Event;
  if (it.type === 'message') {
    // A message the browser receives while the socket is not OPEN is not delivered (HTML, "When a
    // WebSocket message has been received": if readyState is not OPEN, return): one held past the
    // page's own close() (a library that gave up during the silence) must not reach it either.
    if ((apply(realm.readyState, ws, NOARGS) as number) !== 1) return;
    ev = new realm.MessageEvent('message', dict({ bubbles: false, cancelable: false, composed: false, data: it.data, origin: it.origin ?? '', lastEventId: it.lastEventId ?? '', source: null }));
    recordMessage(r, it.shown ?? it.data, t, it.inj);
  } else if (it.type === 'error') {
    ev = new realm.Event('error', dict({ bubbles: false, cancelable: false, composed: false }));
    emit({ k: 'error', sid: r.sid, t, rs: pageReadyState(r) });
  } else {
    ev = new realm.CloseEvent('close', dict({ bubbles: false, cancelable: false, composed: false, code: it.code, reason: it.reason, wasClean: it.clean }));
    const close: HookEvent = { k: 'close', sid: r.sid, t, code: it.code!, reason: it.reason!, clean: it.clean! };
    if (it.inj) close.inj = true;
    emit(close);
  }
  apply(dispatch, ws, [ev]);
}

function enqueue(r: SockRec, f: FaultState, it: Held): void {
  f.queue[f.queue.length] = it;
  if (f.timer === undefined) schedule(r, f, it.due - perfNow());
}

/**
 * The capturing listener every socket gets first (socket.ts). Only the browser's events are
 * faulted: an event the page dispatched itself, and ours (untrusted too), pass untouched.
 */
export function gate(r: SockRec, type: string, e: Event): void {
  const f = r.f;
  if (!f && type === 'message') return; // the hot path: no fault on this socket
  if (!isTrusted(e)) return;
  if (type === 'close' || type === 'error') {
    delete live[r.sid];
    if (f) f.connecting = false;
  }
  if (!f) return;
  const stop = () => apply(stopImmediate, e, NOARGS);
  if (f.ended) return stop();
  if (type === 'open') {
    const a = f.afterOpen;
    if (!a) return;
    // The page sees its open; the server's close comes right after, before any of its messages.
    f.afterOpen = undefined;
    f.ending = true;
    setTimer(() => {
      emit({ k: 'inject', t: perfNow(), sid: r.sid, op: 'fail-next', ok: true, as: 'after-open', code: a.code, reason: a.reason });
      end(r, a.code, a.reason, true);
    }, 0);
    return;
  }
  if (type === 'message') {
    if (f.ending) return stop();
    if (f.dropNext > 0) {
      f.dropNext--;
      return stop();
    }
    const now = perfNow();
    if (f.holdUntil > now && f.holdDrop) return stop();
    if (f.holdUntil <= now && f.delay === 0 && f.head >= f.queue.length) return;
    let data: unknown;
    let origin: string;
    let lastEventId: string;
    try {
      data = apply(msgData, e, NOARGS);
      origin = apply(msgOrigin, e, NOARGS) as string;
      lastEventId = apply(msgLastEventId, e, NOARGS) as string;
    } catch {
      return;
    }
    stop();
    return enqueue(r, f, { type: 'message', due: now + f.delay, data, origin, lastEventId });
  }
  // The real end, behind messages still held: it waits for them, so the page sees them first.
  if (f.head >= f.queue.length) return;
  stop();
  const it: Held = { type: type as 'close' | 'error', due: 0 };
  if (type === 'close') {
    try {
      it.code = apply(closeCode, e, NOARGS) as number;
      it.reason = apply(closeReason, e, NOARGS) as string;
      it.clean = apply(closeClean, e, NOARGS) === true;
    } catch {
      return;
    }
  }
  enqueue(r, f, it);
}

/**
 * Shows the page the end of the link: a cut (`close` 1006 not clean, after `error` if it was still
 * connecting) when `clean` is false, else the server's clean close with `code` and `reason`. The real socket closes with
 * our own code underneath; its events are stopped from now on (gate).
 */
export function end(r: SockRec, code: number, reason: string, clean: boolean): void {
  // A cut shows `error` only to a socket that never opened: neither Chromium nor Firefox fires it
  // before the 1006 of one that had (docs/firefox.md, close codes as each browser reports them).
  const connecting = !clean && (apply(r.realm.readyState, r.ws, NOARGS) as number) === 0;
  const f = faultsOf(r);
  f.ended = true;
  f.ending = false;
  discard(f);
  coverReadyState(r.realm);
  delete live[r.sid];
  try {
    apply(r.realm.close, r.ws, [INJECTED_CLOSE_CODE, INJECTED_CLOSE_REASON]);
  } catch {
    // already closing: nothing more goes to the server anyway
  }
  // In a task of its own, as the network's events come: not inside the command's dispatch.
  setTimer(() => {
    if (connecting) deliver(r, { type: 'error', due: 0 });
    deliver(r, { type: 'close', due: 0, code, reason, clean, inj: true });
  }, 0);
}

/** An injected message as if from the server, in order behind anything held. */
export function injectIn(r: SockRec, data: unknown, shown: unknown): void {
  const f = faultsOf(r);
  let origin = '';
  try {
    origin = apply(urlOriginOf, r, NOARGS) as string;
  } catch {
    // an origin we cannot read: the event's is empty, as for a MessageEvent made by hand
  }
  enqueue(r, f, { type: 'message', due: perfNow() + f.delay, data, shown, origin, inj: true });
}

/** The origin the browser gives a socket's messages: its URL's (WebSockets, "receives a message"). */
function urlOriginOf(this: SockRec): string {
  return apply(urlOrigin, new URLCtor(apply(this.realm.url, this.ws, NOARGS) as string), NOARGS) as string;
}

/** Whether a send may go on (false: a block swallowed it, or the page was shown the socket closed). */
export function sendGate(r: SockRec, data: unknown): boolean {
  const f = r.f!;
  if (f.ended) return false;
  const b = f.block;
  if (!b || typeof data !== 'string') return true;
  const text = data.length > BLOCK_MATCH_CHARS ? (apply(strSlice, data, [0, BLOCK_MATCH_CHARS]) as string) : data;
  if ('text' in b) return (apply(strIndexOf, text, [b.text]) as number) < 0;
  return apply(reExec, b.re, [text]) === null;
}

/** Undoes the faults of one socket (what is held goes to the page now); an end shown stays. */
export function clearSocket(r: SockRec): void {
  const f = r.f;
  if (!f || f.ended) return;
  f.holdUntil = 0;
  f.delay = 0;
  f.dropNext = 0;
  f.block = undefined;
  f.afterOpen = undefined;
  for (let i = f.head; i < f.queue.length; i++) f.queue[i]!.due = 0;
  if (f.head < f.queue.length) schedule(r, f, 0);
}

/** A socket URL as compared by fail-next: as the browser serialised it, without a fragment. */
export function endpointKey(url: string): string | undefined {
  try {
    const href = apply(urlHref, new URLCtor(url), NOARGS) as string;
    const hash = apply(strIndexOf, href, ['#']) as number;
    return hash < 0 ? href : (apply(strSlice, href, [0, hash]) as string);
  } catch {
    return undefined;
  }
}

export interface FailRule {
  key: string;
  url: string;
  /** Attempts still to fail; Infinity until cleared. */
  left: number;
  as: 'before-open' | 'after-open';
  code: number;
  reason: string;
}
export let rules: FailRule[] = [];
export const setRules = (list: FailRule[]): void => void (rules = list);

/** A new socket: fails it when a fail-next rule of this document matches its URL. */
export function failNext(r: SockRec): void {
  if (rules.length === 0) return;
  const key = endpointKey(apply(r.realm.url, r.ws, NOARGS) as string);
  let rule: FailRule | undefined;
  let i = 0;
  for (; i < rules.length; i++) if (rules[i]!.key === key) break;
  rule = rules[i];
  if (!rule) return;
  if (--rule.left <= 0) {
    const rest: FailRule[] = [];
    for (let j = 0; j < rules.length; j++) if (j !== i) rest[rest.length] = rules[j]!;
    rules = rest;
  }
  const f = faultsOf(r);
  coverReadyState(r.realm);
  if (rule.as === 'after-open') {
    f.afterOpen = { code: rule.code, reason: rule.reason };
    return;
  }
  emit({ k: 'inject', t: perfNow(), sid: r.sid, op: 'fail-next', ok: true, as: 'before-open', url: rule.url });
  // close() while CONNECTING fails the connection: the browser fires its own error and close
  // 1006 (WebSockets Standard, close() step "fail the WebSocket connection"). Until then the page
  // reads CONNECTING, as for a connection the network refused.
  f.injClose = true;
  f.connecting = true;
  try {
    apply(r.realm.close, r.ws, NOARGS);
  } catch {
    f.connecting = false;
  }
}

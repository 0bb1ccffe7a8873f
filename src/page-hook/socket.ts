// Wrapping WebSocket in one realm: the constructor, send() and close() become Proxies of the
// originals, and every socket the page makes gets listeners that record what happens to it.
import { SEND } from '../core/wire/page-batch.ts';
import { utf8Length } from '../core/wire/payload.ts';
import { PAYLOAD_CAP_BYTES } from '../core/wire/limits.ts';
import type { HookEvent } from '../core/wire/protocol.ts';
import {
  addListener, apply, closeClean, closeCode, closeReason, eventTrusted, NumberCtor, getter, msgData, NOARGS, perfNow, ProxyCtor, StringCtor, strSlice,
  type AnyFn,
} from './builtins.ts';
import { capture, flagsOf, OTHER, payloadKind, plainString } from './capture.ts';
import { stack } from './stacks.ts';
import { onViolation } from './csp.ts';
import { trapFor } from './hidden.ts';
import {
  closeTrap, constructTrap, SEND_GO, SEND_SWALLOW, SEND_UNRECORDED, sendTrap, type CloseHooks, type CtorHooks, type SendHooks,
} from './traps.ts';
import { keep } from './reattach.ts';
import { disguise, disguisingToString, redefine } from './disguise.ts';
import { emit, emitTraffic } from './emit.ts';
import { failNext, gate, pageReadyState, sendGate } from './faults.ts';
import { describeThrown } from './thrown.ts';
import { keepRec, live, rec, recordMessage, takeSid, type Realm, type SockRec } from './record.ts';

interface SocketGetters {
  readyState: AnyFn;
  protocol: AnyFn;
  extensions: AnyFn;
}

/**
 * Whether `e` is an event the browser fired. A page may dispatch any event of any interface on a
 * socket (DOM Standard, dispatchEvent(): `isTrusted` is false for those): a `new Event('message')`
 * has no MessageEvent `data`, and a MessageEvent it made carries what it chose. Neither is
 * traffic, so neither is recorded. `isTrusted` is read through the getter saved at start
 * (builtins.ts), guarded like every read of the event: our listener never throws into the page.
 */
function trusted(e: Event): boolean {
  try {
    return !eventTrusted || apply(eventTrusted, e, NOARGS) === true;
  } catch {
    return false;
  }
}

function onSocketEvents(ws: WebSocket, r: SockRec, get: SocketGetters): void {
  const on = (type: string, fn: (e: Event) => void) => apply(addListener, ws, [type, fn]);
  // Fault injection's gate first, capturing: at the target, capturing listeners run before the
  // others (DOM Standard, "dispatch": "invoke" with "capturing" first; Chromium 156 runs a
  // target's listeners in the order they were added, capturing or not, measured on an
  // EventTarget), and these are added before the page can add any, so either way a fault can
  // stop a real event before anyone sees it.
  const gated = (type: string) => apply(addListener, ws, [type, (e: Event) => gate(r, type, e), true]);
  gated('open');
  gated('message');
  gated('error');
  gated('close');
  // Each listener records only a trusted event, and reads it in a try: the getters are
  // MessageEvent's and CloseEvent's, which throw on an event of another interface (WebIDL,
  // "perform a security check" / the receiver must implement the interface).
  on('open', (e) => {
    if (!trusted(e)) return;
    let ev: HookEvent;
    try {
      ev = { k: 'open', sid: r.sid, t: perfNow(), protocol: StringCtor(apply(get.protocol, ws, NOARGS)), extensions: StringCtor(apply(get.extensions, ws, NOARGS)) };
    } catch {
      return;
    }
    emit(ev);
  });
  on('message', (e) => {
    // The page benchmark's floor build: what seeing each message costs the page before any of
    // our work (docs/performance.md).
    if (__SA_FLOOR__) return;
    const t = perfNow();
    let data: unknown;
    try {
      if (eventTrusted && apply(eventTrusted, e, NOARGS) !== true) return;
      data = apply(msgData, e, NOARGS);
    } catch {
      return; // not a MessageEvent the browser fired
    }
    recordMessage(r, data, t);
  });
  on('error', (e) => {
    if (!trusted(e)) return;
    let rs: 0 | 1 | 2 | 3;
    try {
      rs = apply(get.readyState, ws, NOARGS) as 0 | 1 | 2 | 3;
    } catch {
      return;
    }
    emit({ k: 'error', sid: r.sid, t: perfNow(), rs });
  });
  on('close', (e) => {
    if (!trusted(e)) return;
    let ev: HookEvent;
    try {
      ev = {
        k: 'close',
        sid: r.sid,
        t: perfNow(),
        code: apply(closeCode, e, NOARGS) as number,
        reason: apply(strSlice, StringCtor(apply(closeReason, e, NOARGS)), [0, 1024]) as string,
        clean: apply(closeClean, e, NOARGS) === true,
      };
      // The browser's own close of a socket a fail-next rule closed before it opened (faults.ts).
      if (r.f?.injClose) ev.inj = true;
    } catch {
      return;
    }
    emit(ev);
  });
}

/** Wraps WebSocket in one realm (our own window, or a same-origin child that has no hook yet). */
export function install(win: typeof globalThis): void {
  const NativeWS = win.WebSocket as typeof WebSocket | undefined;
  if (typeof NativeWS !== 'function') return;
  const proto = NativeWS.prototype;
  const readyStateGet = getter(proto, 'readyState');
  const bufferedGet = getter(proto, 'bufferedAmount');
  const urlGet = getter(proto, 'url');
  const getters: SocketGetters = { readyState: readyStateGet, protocol: getter(proto, 'protocol'), extensions: getter(proto, 'extensions') };
  const nativeSend = proto.send as AnyFn;
  const nativeClose = proto.close as AnyFn;
  const w = win as unknown as Record<string, unknown>;
  const realm: Realm = {
    win, proto, readyState: readyStateGet, buffered: bufferedGet, url: urlGet, binaryType: getter(proto, 'binaryType'), send: nativeSend, close: nativeClose,
    MessageEvent: w.MessageEvent as typeof MessageEvent, CloseEvent: w.CloseEvent as typeof CloseEvent, Event: w.Event as typeof Event,
    Uint8Array: w.Uint8Array as typeof Uint8Array, Blob: typeof w.Blob === 'function' ? (w.Blob as typeof Blob) : undefined,
  };
  const winFnToString = win.Function.prototype.toString as AnyFn;

  const ctorHooks: CtorHooks = {
    now: perfNow,
    newTarget: (newTarget) => (newTarget === Wrapped ? NativeWS : newTarget),
    threw: (t, url, err) => {
      emit({ k: 'create', sid: takeSid(), t, url: apply(strSlice, plainString(url) ?? '', [0, 8192]) as string, protocols: [], threw: describeThrown(err) });
    },
    made(wsMade, t, ...protocols) {
      const ws = wsMade as WebSocket;
      const r: SockRec = { sid: takeSid(), sent: 0, received: 0, ws, realm };
      keepRec(ws, r);
      live[r.sid] = r;
      // readyState now, before any task runs: a socket the page's CSP blocked is already CLOSED
      // (3), gets `error` and never `close` (Chromium 156, docs/page-signals.md).
      const rs = apply(readyStateGet, ws, NOARGS) as 0 | 1 | 2 | 3;
      const ev: HookEvent = { k: 'create', sid: r.sid, t, url: apply(urlGet, ws, []) as string, protocols, rs };
      const st = stack();
      if (st) ev.stack = st;
      emit(ev);
      onSocketEvents(ws, r, getters);
      failNext(r);
    },
  };
  const Wrapped = new ProxyCtor(NativeWS, { construct: trapFor('construct', ctorHooks, constructTrap) });

  /** Records a send that went out; `known` is the readyState already read for it (send() never changes it). */
  const sent = (r: SockRec, self: unknown, data: unknown, known?: 0 | 1 | 2 | 3): void => {
    const n = r.sent++;
    const t = perfNow();
    const rs = known ?? (apply(readyStateGet, self, NOARGS) as 0 | 1 | 2 | 3);
    const buffered = apply(bufferedGet, self, NOARGS) as number;
    if (typeof data === 'string') {
      // The common case, inline: a text frame that fits the cap.
      const size = utf8Length(data);
      if (size <= PAYLOAD_CAP_BYTES) {
        emitTraffic(r.sid, t, n, size, SEND, rs, buffered, data);
        return;
      }
    }
    const c = capture(data, r.sid, n, 'send');
    emitTraffic(r.sid, t, n, c.size, flagsOf(c) | SEND, rs, buffered, c.data ?? null);
  };
  const oneArg: unknown[] = [undefined];
  const sendHooks: SendHooks = {
    fast: (self, data, argc) => {
      if (argc === 0 || typeof data !== 'string') return false;
      const r = rec(self as object);
      if (!r || r.f) return false;
      const rs = apply(readyStateGet, self, NOARGS) as 0 | 1 | 2 | 3;
      if (rs === 0) return false;
      // The native ignores any further argument (one parameter, WebIDL). One array for every
      // call: the native reads it at once and runs no page code for a string.
      oneArg[0] = data;
      apply(nativeSend, self, oneArg);
      oneArg[0] = undefined;
      sent(r, self, data, rs);
      return true;
    },
    rec: (self) => rec(self as object),
    asText: (value) => payloadKind(value) === OTHER,
    // A send fault (faults.ts): swallowed by a block, or passed on unrecorded to a socket the page was shown closed.
    gate: (r, value) => {
      const sr = r as SockRec;
      if (!sr.f || sendGate(sr, value)) return SEND_GO;
      return sr.f.ended ? SEND_UNRECORDED : SEND_SWALLOW;
    },
    sent: (r, self, data) => sent(r as SockRec, self, data),
  };
  const sendProxy = new ProxyCtor(nativeSend, { apply: trapFor('send', sendHooks, sendTrap) });

  interface Closing { r: SockRec; t: number; rs: 0 | 1 | 2 | 3 }
  const closeHooks: CloseHooks = {
    begin: (self) => {
      const t = perfNow();
      const r = rec(self as object);
      if (!r) return undefined;
      const state: Closing = { r, t, rs: pageReadyState(r) };
      return state;
    },
    end: (state, argsAny, failed, err) => {
      const { r, t, rs } = state as Closing;
      const args = argsAny as ArrayLike<unknown>;
      const ev: HookEvent = { k: 'close-call', sid: r.sid, t, rs };
      // What the browser converted, re-read without running page code (plainString).
      const code: unknown = args[0];
      if (typeof code === 'number') ev.code = code;
      else if (code !== undefined) {
        const asText = plainString(code);
        if (asText !== undefined) ev.code = NumberCtor(asText);
      }
      const reason = args[1] !== undefined ? plainString(args[1]) : undefined;
      if (reason !== undefined) ev.reason = apply(strSlice, reason, [0, 1024]) as string;
      const st = stack();
      if (st) ev.stack = st;
      if (failed) ev.threw = describeThrown(err);
      emit(ev);
    },
  };
  const closeProxy = new ProxyCtor(nativeClose, { apply: trapFor('close', closeHooks, closeTrap) });
  const toStringProxy = disguisingToString(winFnToString);
  disguise(Wrapped, NativeWS);
  disguise(sendProxy, nativeSend);
  disguise(closeProxy, nativeClose);

  redefine(proto, 'send', sendProxy);
  redefine(proto, 'close', closeProxy);
  // `ws.constructor === WebSocket` must stay true for the page, whose WebSocket is the wrapper.
  redefine(proto, 'constructor', Wrapped);
  redefine(win.Function.prototype, 'toString', toStringProxy);
  redefine(win, 'WebSocket', Wrapped);
  // A CSP violation of this realm's document (a same-origin child inherits the parent's policy).
  // On the window, capturing, so ours runs before any listener the page can add: the event
  // targets the document and its path goes through the window first (DOM Standard, "get the
  // parent" of a Document). `true` rather than an options object, whose members a page could
  // reach through Object.prototype by the time a child frame is wrapped.
  keep(win as unknown as Window, () => apply(addListener, win, ['securitypolicyviolation', onViolation, true]));
}

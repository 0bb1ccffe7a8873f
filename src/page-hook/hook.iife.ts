// MAIN-world page hook: wraps WebSocket so every socket the page makes is recorded, and
// streams the facts to the isolated relay. Built as a self-contained IIFE (the `.iife.ts`
// name makes crxjs inline it, see the README's Architecture) so it runs synchronously at document_start,
// before the page's first script.
//
// It must be invisible to the page (e2e/transparency.spec.ts holds it to that): the constructor is a Proxy
// (instanceof, statics, subclassing and the prototype stay real), send/close are Proxies of
// the originals (name, length, non-constructibility stay real), errors are the originals',
// and every built-in we use is saved before the page can replace it.
import { channelFor } from '../core/wire/channel.ts';
import { HOOK_BUFFER_MAX, PAYLOAD_CAP_BYTES, PROTOCOL_VERSION } from '../core/wire/limits.ts';
import { BatchBuilder, BIN, LATER, SEND, TRUNC } from '../core/wire/page-batch.ts';
import { base64, utf8Length, utf8Prefix } from '../core/wire/payload.ts';
import type { HookEvent } from '../core/wire/protocol.ts';

type AnyFn = (...args: any[]) => any;

// ---- built-ins, saved before any page script runs ----
const R = Reflect;
const apply = R.apply;
const construct = R.construct;
const ObjectDefine = Object.defineProperty;
const getOwnDesc = Object.getOwnPropertyDescriptor;
const ProxyCtor = Proxy;
const WeakMapCtor = WeakMap;
const wmGet = WeakMap.prototype.get;
const wmSet = WeakMap.prototype.set;
const stringify = JSON.stringify;
const ErrorCtor = Error;
const Uint8ArrayCtor = Uint8Array;
const ArrayBufferCtor = ArrayBuffer;
const isView = ArrayBuffer.isView;
const BlobCtor = typeof Blob === 'function' ? Blob : undefined;
const blobSlice = BlobCtor?.prototype.slice;
const blobArrayBuffer = BlobCtor?.prototype.arrayBuffer;
const promiseThen = Promise.prototype.then;
const fnBind = Function.prototype.bind;
const CustomEventCtor = CustomEvent;
const addListener = EventTarget.prototype.addEventListener;
const dispatch = EventTarget.prototype.dispatchEvent;
const setTimer = setTimeout;
const perfNow = performance.now.bind(performance);
const timeOrigin = performance.timeOrigin;
const strSlice = String.prototype.slice;
const strIndexOf = String.prototype.indexOf;
const symbolFor = Symbol.for;
const StringCtor = String;
const getter = (proto: object, name: string): AnyFn => {
  const d = getOwnDesc(proto, name);
  if (!d?.get) throw new ErrorCtor(`no getter ${name}`);
  return d.get;
};
const msgData = getter(MessageEvent.prototype, 'data');
const closeCode = getter(CloseEvent.prototype, 'code');
const closeReason = getter(CloseEvent.prototype, 'reason');
const closeClean = getter(CloseEvent.prototype, 'wasClean');
const docHidden = getter(Document.prototype, 'hidden');
const pageShowPersisted = getter(PageTransitionEvent.prototype, 'persisted');
// `isTrusted` is [LegacyUnforgeable] (DOM Standard, interface Event): an own, non-configurable
// accessor of every event rather than a getter on Event.prototype, so take it off an event of
// our own. Any event's getter reads any event's flag (WebIDL checks the interface, not the object).
const eventTrusted = getOwnDesc(new Event(''), 'isTrusted')?.get;
// SecurityPolicyViolationEvent getters (CSP Level 3, "Violation DOM events"); absent in a
// browser without the interface, and then no violation is recorded.
const SpvProto = typeof SecurityPolicyViolationEvent === 'function' ? SecurityPolicyViolationEvent.prototype : undefined;
const spvGetter = (name: string): AnyFn | undefined => (SpvProto ? getOwnDesc(SpvProto, name)?.get : undefined);
const spvBlocked = spvGetter('blockedURI');
const spvDirective = spvGetter('effectiveDirective');
const spvPolicy = spvGetter('originalPolicy');
const spvDisposition = spvGetter('disposition');

const channel = channelFor(__SA_CHANNEL__);

/** Shared argument list for the getters we call on every message (no array per call). */
const NOARGS: [] = [];

// ---- the outgoing queue ----
let relayListening = false;
/** The batch taking new events; `full` holds older ones that reached BATCH_MAX, oldest first. */
let cur = new BatchBuilder();
let full: BatchBuilder[] = [];
let fullCount = 0;
/** Events in `full` and `cur`. */
let queued = 0;
let droppedBeforeRelay = 0;
let flushScheduled = false;

/** Events per batch: under PageToRelaySchema's 10,000 even when a long-held buffer goes at once. */
const BATCH_MAX = 5_000;

function send(batch: BatchBuilder, dropped: number): void {
  apply(dispatch, window, [new CustomEventCtor(channel.page, { detail: stringify(batch.batch(PROTOCOL_VERSION, dropped)) })]);
}

function flush(): void {
  if (!relayListening || queued === 0) return;
  const older = full;
  const olderCount = fullCount;
  const last = cur;
  let dropped = droppedBeforeRelay;
  full = [];
  fullCount = 0;
  cur = new BatchBuilder();
  queued = 0;
  droppedBeforeRelay = 0;
  for (let i = 0; i < olderCount; i++) {
    send(older[i]!, dropped);
    dropped = 0;
  }
  if (last.count > 0) send(last, dropped);
}

/**
 * Above this many queued events we flush at once rather than wait for the timer, so that a
 * page sending in a long synchronous loop holds at most this many events (a flush turns them
 * into one string, which the relay takes over). The relay defers its own work on a batch until
 * the page's script returns (relay.iife.ts), so the page's loop pays only the stringify.
 */
const FLUSH_AT = 2_000;
/** How long events may wait to be sent as one batch. */
const FLUSH_MS = 10;

/** When the oldest event now queued was recorded (performance.now). */
let queuedSince = 0;

/** Makes room for one more event in `cur`, or says it must be dropped (no relay yet, buffer full). */
function admit(now: number): boolean {
  if (!relayListening && queued >= HOOK_BUFFER_MAX) {
    droppedBeforeRelay++;
    return false;
  }
  if (queued === 0) queuedSince = now;
  if (cur.count >= BATCH_MAX) {
    full[fullCount++] = cur;
    cur = new BatchBuilder();
  }
  queued++;
  return true;
}

function queuedOne(now: number): void {
  if (!relayListening) return scheduleFlush();
  // A page flooded with messages runs one task per message back to back, and timers starve
  // behind them: measured at 10,000 msg/s with DevTools open, the flush timer fired so late that
  // batches waited for FLUSH_AT and reached the panel ~300 ms after the page had them
  // (bench/panel.bench.ts latency). So the age of the batch is checked here too.
  if (queued >= FLUSH_AT || now - queuedSince >= FLUSH_MS) flush();
  else scheduleFlush();
}

/** Queues an event other than traffic; `now` is performance.now() when the caller already has it. */
function emit(ev: HookEvent, now: number = perfNow()): void {
  if (!admit(now)) return;
  cur.other(ev);
  queuedOne(now);
}

/** Queues a send (flags has SEND) or message straight into the batch's columns (page-batch.ts). */
function emitTraffic(sid: number, t: number, n: number, size: number, flags: number, rs: number, buffered: number, data: string | null): void {
  if (!admit(t)) return;
  cur.traffic(sid, t, n, size, flags, rs, buffered, data);
  queuedOne(t);
}

function onFlushTimer(): void {
  flushScheduled = false;
  flush();
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  // A busy socket delivers one message per task, so a microtask flush would still cost one
  // cross-world dispatch per message; a short timer gathers a whole burst into one.
  setTimer(onFlushTimer, FLUSH_MS);
}

function stack(): string | undefined {
  const s = new ErrorCtor().stack;
  if (typeof s !== 'string') return undefined;
  // Drop the "Error" line and our own frames (stack() and the trap) so the page's caller is first.
  let cut = 0;
  for (let i = 0; i < 3; i++) {
    const nl = apply(strIndexOf, s, ['\n', cut]) as number;
    if (nl < 0) break;
    cut = nl + 1;
  }
  return apply(strSlice, s, [cut, cut + 4000]) as string;
}

// ---- payloads ----
// Hot path (bench/page.bench.ts: the hook runs on the page's main thread for every message):
// a text frame under the cap goes straight into the batch's columns (emitTraffic: no event object,
// closure or spread per message); other payloads make one small Captured record; only a Blob,
// which cannot be read synchronously, costs more.
interface Captured {
  bin: boolean;
  size: number;
  data?: string;
  trunc?: boolean;
  later?: boolean;
}

function captureBytes(bytes: Uint8Array): Captured {
  const size = bytes.length;
  if (size <= PAYLOAD_CAP_BYTES) return { bin: true, size, data: base64(bytes, size) };
  return { bin: true, size, data: base64(bytes, PAYLOAD_CAP_BYTES), trunc: true };
}

function captureText(data: string): Captured {
  const size = utf8Length(data);
  if (size <= PAYLOAD_CAP_BYTES) return { bin: false, size, data };
  return { bin: false, size, data: utf8Prefix(data, PAYLOAD_CAP_BYTES), trunc: true };
}

function capture(data: unknown, sid: number, n: number, dir: 'send' | 'message'): Captured {
  if (typeof data === 'string') return captureText(data);
  if (data instanceof ArrayBufferCtor) return captureBytes(new Uint8ArrayCtor(data));
  if (isView(data)) {
    const view = data as ArrayBufferView;
    return captureBytes(new Uint8ArrayCtor(view.buffer, view.byteOffset, view.byteLength));
  }
  if (BlobCtor && blobSlice && blobArrayBuffer && data instanceof BlobCtor) {
    // A Blob cannot be read synchronously; read at most the cap, off the page's time budget,
    // and attach it to the message afterwards (a `payload` event).
    const size = data.size;
    const part = apply(blobSlice, data, [0, PAYLOAD_CAP_BYTES]) as Blob;
    const p = apply(blobArrayBuffer, part, NOARGS) as Promise<ArrayBuffer>;
    apply(promiseThen, p, [
      (buf: ArrayBuffer) => emit({ k: 'payload', sid, n, dir, data: base64(new Uint8ArrayCtor(buf)), trunc: size > PAYLOAD_CAP_BYTES }),
      () => undefined,
    ]);
    return { bin: true, size, later: true };
  }
  // Something the browser will stringify (send(123) sends "123"); record what it will send.
  return captureText(StringCtor(data));
}

// ---- per-socket records ----
interface SockRec {
  sid: number;
  sent: number;
  received: number;
}
let nextSid = 0;
const socks = new WeakMapCtor<object, SockRec>();
// Bound once, before any page script runs: a lookup per send() without an argument array.
const rec = apply(fnBind, wmGet, [socks]) as (ws: object) => SockRec | undefined;

/** The column flags of a captured payload (page-batch.ts). */
function flagsOf(c: Captured): number {
  let flags = c.bin ? BIN : 0;
  if (c.trunc) flags |= TRUNC;
  if (c.later) flags |= LATER;
  return flags;
}

// Wrappers → originals, so our patched Function.prototype.toString can answer as the native would.
const disguised = new WeakMapCtor<object, AnyFn>();

interface SocketGetters {
  readyState: AnyFn;
  protocol: AnyFn;
  extensions: AnyFn;
}

function onSocketEvents(ws: WebSocket, r: SockRec, get: SocketGetters): void {
  const on = (type: string, fn: (e: Event) => void) => apply(addListener, ws, [type, fn]);
  on('open', () => {
    emit({ k: 'open', sid: r.sid, t: perfNow(), protocol: StringCtor(apply(get.protocol, ws, [])), extensions: StringCtor(apply(get.extensions, ws, [])) });
  });
  on('message', (e) => {
    const t = perfNow();
    const n = r.received++;
    const data: unknown = apply(msgData, e, NOARGS);
    if (typeof data === 'string') {
      // The common case, inline: a text frame that fits the cap.
      const size = utf8Length(data);
      if (size <= PAYLOAD_CAP_BYTES) return emitTraffic(r.sid, t, n, size, 0, 0, 0, data);
    }
    const c = capture(data, r.sid, n, 'message');
    emitTraffic(r.sid, t, n, c.size, flagsOf(c), 0, 0, c.data ?? null);
  });
  on('error', () => {
    emit({ k: 'error', sid: r.sid, t: perfNow(), rs: apply(get.readyState, ws, []) as 0 | 1 | 2 | 3 });
  });
  on('close', (e) => {
    emit({
      k: 'close',
      sid: r.sid,
      t: perfNow(),
      code: apply(closeCode, e, []) as number,
      reason: apply(strSlice, apply(closeReason, e, []) as string, [0, 1024]) as string,
      clean: apply(closeClean, e, []) as boolean,
    });
  });
}

/** Wraps WebSocket in one realm (our own window, or a same-origin child that has no hook yet). */
function install(win: typeof globalThis): void {
  const NativeWS = win.WebSocket as typeof WebSocket | undefined;
  if (typeof NativeWS !== 'function') return;
  const proto = NativeWS.prototype;
  const readyStateGet = getter(proto, 'readyState');
  const bufferedGet = getter(proto, 'bufferedAmount');
  const urlGet = getter(proto, 'url');
  const getters: SocketGetters = { readyState: readyStateGet, protocol: getter(proto, 'protocol'), extensions: getter(proto, 'extensions') };
  const nativeSend = proto.send as AnyFn;
  const nativeClose = proto.close as AnyFn;
  const winFnToString = win.Function.prototype.toString as AnyFn;

  const Wrapped = new ProxyCtor(NativeWS, {
    construct(target, args, newTarget) {
      const t = perfNow();
      const url = args.length > 0 ? args[0] : undefined;
      const protos = args[1];
      let ws: WebSocket;
      try {
        ws = construct(target, args, newTarget === Wrapped ? target : newTarget) as WebSocket;
      } catch (err) {
        const e = err as { name?: unknown; message?: unknown } | null;
        const threw = `${StringCtor(e?.name)}: ${StringCtor(e?.message)}`;
        emit({ k: 'create', sid: nextSid++, t, url: apply(strSlice, StringCtor(url), [0, 8192]) as string, protocols: [], threw: apply(strSlice, threw, [0, 512]) as string });
        throw err;
      }
      const r: SockRec = { sid: nextSid++, sent: 0, received: 0 };
      apply(wmSet, socks, [ws, r]);
      const protocols: string[] = [];
      if (typeof protos === 'string') protocols[0] = protos;
      else if (protos && typeof protos === 'object') for (const p of protos as Iterable<unknown>) protocols[protocols.length] = StringCtor(p);
      // readyState now, before any task runs: a socket the page's CSP blocked is already CLOSED
      // (3), gets `error` and never `close` (Chromium 156, docs/page-signals.md).
      const rs = apply(readyStateGet, ws, NOARGS) as 0 | 1 | 2 | 3;
      const ev: HookEvent = { k: 'create', sid: r.sid, t, url: apply(urlGet, ws, []) as string, protocols, rs };
      const st = stack();
      if (st) ev.stack = st;
      emit(ev);
      onSocketEvents(ws, r, getters);
      return ws;
    },
  });

  const sendProxy = new ProxyCtor(nativeSend, {
    apply(target, self, args) {
      const result = apply(target, self, args);
      const r = rec(self as object);
      if (r) {
        const n = r.sent++;
        const t = perfNow();
        const rs = apply(readyStateGet, self, NOARGS) as 0 | 1 | 2 | 3;
        const buffered = apply(bufferedGet, self, NOARGS) as number;
        const data: unknown = args[0];
        if (typeof data === 'string') {
          // The common case, inline: a text frame that fits the cap.
          const size = utf8Length(data);
          if (size <= PAYLOAD_CAP_BYTES) {
            emitTraffic(r.sid, t, n, size, SEND, rs, buffered, data);
            return result;
          }
        }
        const c = capture(data, r.sid, n, 'send');
        emitTraffic(r.sid, t, n, c.size, flagsOf(c) | SEND, rs, buffered, c.data ?? null);
      }
      return result;
    },
  });

  const closeProxy = new ProxyCtor(nativeClose, {
    apply(target, self, args) {
      const t = perfNow();
      const r = rec(self as object);
      const rs = r ? (apply(readyStateGet, self, []) as 0 | 1 | 2 | 3) : 0;
      let threw: string | undefined;
      try {
        return apply(target, self, args);
      } catch (err) {
        const e = err as { name?: unknown; message?: unknown } | null;
        threw = `${StringCtor(e?.name)}: ${StringCtor(e?.message)}`;
        throw err;
      } finally {
        if (r) {
          const ev: HookEvent = { k: 'close-call', sid: r.sid, t, rs };
          if (args[0] !== undefined) ev.code = Number(args[0]);
          if (args[1] !== undefined) ev.reason = apply(strSlice, StringCtor(args[1]), [0, 1024]) as string;
          const st = stack();
          if (st) ev.stack = st;
          if (threw) ev.threw = apply(strSlice, threw, [0, 512]) as string;
          emit(ev);
        }
      }
    },
  });

  const toStringProxy = new ProxyCtor(winFnToString, {
    apply(target, self, args) {
      const original = typeof self === 'function' || (typeof self === 'object' && self !== null)
        ? (apply(wmGet, disguised, [self]) as AnyFn | undefined)
        : undefined;
      return apply(target, original ?? self, args);
    },
  });
  apply(wmSet, disguised, [Wrapped, NativeWS]);
  apply(wmSet, disguised, [sendProxy, nativeSend]);
  apply(wmSet, disguised, [closeProxy, nativeClose]);
  apply(wmSet, disguised, [toStringProxy, winFnToString]);

  // Same attributes as the natives' own properties (WebIDL: writable, configurable, not enumerable).
  const redefine = (obj: object, key: string, value: unknown) => {
    const d = getOwnDesc(obj, key);
    ObjectDefine(obj, key, { value, writable: d?.writable ?? true, enumerable: d?.enumerable ?? false, configurable: d?.configurable ?? true });
  };
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
  apply(addListener, win, ['securitypolicyviolation', onViolation, true]);
}

/**
 * Records a `securitypolicyviolation` that may explain a socket the browser refused: only a
 * trusted one (a page can dispatch its own, of any shape), only for connect-src / default-src
 * (other directives govern images, scripts, frames…). Never changes the event (no
 * preventDefault, no stopPropagation: the page's listeners get it as they would without us),
 * and never throws into the page: fields are read through the getters saved above, guarded.
 */
function onViolation(e: Event): void {
  let ev: HookEvent;
  try {
    if (!eventTrusted || !spvBlocked || !spvDirective || !spvPolicy || apply(eventTrusted, e, NOARGS) !== true) return;
    const directive = StringCtor(apply(spvDirective, e, NOARGS));
    if (directive !== 'connect-src' && directive !== 'default-src') return;
    ev = {
      k: 'csp',
      t: perfNow(),
      blocked: apply(strSlice, StringCtor(apply(spvBlocked, e, NOARGS)), [0, 8192]) as string,
      directive,
      policy: apply(strSlice, StringCtor(apply(spvPolicy, e, NOARGS)), [0, 2048]) as string,
    };
    const disposition: unknown = spvDisposition ? apply(spvDisposition, e, NOARGS) : undefined;
    if (disposition === 'enforce' || disposition === 'report') ev.disposition = disposition;
  } catch {
    return; // not a real SecurityPolicyViolationEvent: not ours to record
  }
  emit(ev);
}

// A page can take a pristine WebSocket off a fresh same-origin iframe (about:blank gets no
// content script before the parent can touch it). Wrap such a window the moment the parent
// reaches into it. A marker in the global symbol registry (shared by all realms of the agent)
// tells hooks apart so a frame is never wrapped twice.
const MARK = symbolFor(`${__SA_CHANNEL__}:installed`);
const marked = (win: object): boolean => {
  try {
    return getOwnDesc(win, MARK) !== undefined;
  } catch {
    return true; // cross-origin: not ours to touch
  }
};
const mark = (win: object) => ObjectDefine(win, MARK, { value: true, enumerable: false, configurable: false, writable: false });

function coverChildFrames(): void {
  const protoFrame = HTMLIFrameElement.prototype;
  for (const key of ['contentWindow', 'contentDocument'] as const) {
    const d = getOwnDesc(protoFrame, key);
    const get = d?.get;
    if (!d || !get) continue;
    const wrappedGet = new ProxyCtor(get, {
      apply(target, self, args) {
        const value = apply(target, self, args);
        const win = key === 'contentWindow' ? value : (value as Document | null)?.defaultView;
        if (win && !marked(win)) {
          try {
            mark(win);
            install(win as typeof globalThis);
          } catch {
            // Cross-origin or torn down: that frame's own hook covers it.
          }
        }
        return value;
      },
    });
    apply(wmSet, disguised, [wrappedGet, get]);
    ObjectDefine(protoFrame, key, { ...d, get: wrappedGet });
  }
}

function watchPage(): void {
  const page = (what: 'pagehide' | 'pageshow' | 'online' | 'offline' | 'hidden' | 'visible' | 'freeze' | 'resume', persisted?: boolean) => {
    const ev: HookEvent = { k: 'page', t: perfNow(), what };
    if (persisted !== undefined) ev.persisted = persisted;
    emit(ev);
  };
  const opts = { capture: true };
  apply(addListener, window, ['pagehide', (e: Event) => {
    page('pagehide', apply(pageShowPersisted, e, []) as boolean);
    // The document is going away: no microtask will run for us. Send now.
    flush();
  }, opts]);
  apply(addListener, window, ['pageshow', (e: Event) => {
    const persisted = apply(pageShowPersisted, e, []) as boolean;
    if (persisted) page('pageshow', true);
  }, opts]);
  apply(addListener, window, ['online', () => page('online'), opts]);
  apply(addListener, window, ['offline', () => page('offline'), opts]);
  apply(addListener, document, ['visibilitychange', () => page(apply(docHidden, document, []) ? 'hidden' : 'visible'), opts]);
  apply(addListener, document, ['freeze', () => { page('freeze'); flush(); }, opts]);
  apply(addListener, document, ['resume', () => page('resume'), opts]);
}

function connectRelay(): void {
  apply(addListener, window, [channel.ready, () => {
    relayListening = true;
    flush();
  }]);
  apply(dispatch, window, [new CustomEventCtor(channel.hello)]);
}

(function main() {
  if (marked(window)) return; // already wrapped by the parent's hook (see coverChildFrames)
  mark(window);
  emit({ k: 'hello', t: perfNow(), timeOrigin, url: location.href, top: window === window.top });
  install(globalThis);
  coverChildFrames();
  watchPage();
  connectRelay();
})();

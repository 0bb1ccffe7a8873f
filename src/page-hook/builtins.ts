// Every built-in the page hook uses, saved when the hook's IIFE starts: at document_start,
// before any page script can replace one. hook.iife.ts imports this module first, so this
// code runs before the other hook modules' own top-level code.

export type AnyFn = (...args: any[]) => any;

// First: what the trap bodies share with Firefox's isolated world (lang.ts).
export { apply, construct, StringCtor, strSlice, SymbolIterator, SymbolToPrimitive } from './lang.ts';
import { apply } from './lang.ts';
export const ObjectDefine = Object.defineProperty;
export const getOwnDesc = Object.getOwnPropertyDescriptor;
export const ProxyCtor = Proxy;
export const WeakMapCtor = WeakMap;
export const wmGet = WeakMap.prototype.get;
export const wmSet = WeakMap.prototype.set;
export const WeakSetCtor = WeakSet;
export const wsAdd = WeakSet.prototype.add;
export const wsHas = WeakSet.prototype.has;
export const preventDefault = Event.prototype.preventDefault;
/** Fault injection (faults.ts) stops a real event before the page's listeners, and the command event before any page listener reads it. */
export const stopImmediate = Event.prototype.stopImmediatePropagation;
export const parseJson = JSON.parse;
export const hasOwn = Object.prototype.hasOwnProperty;
export const RegExpCtor = RegExp;
export const reExec = RegExp.prototype.exec;
export const strCharCodeAt = String.prototype.charCodeAt;
export const URLCtor = URL;
export const createNull = Object.create;
export const stringify = JSON.stringify;
export const isArray = Array.isArray;
export const ObjectKeys = Object.keys;
export const ObjectProto = Object.prototype;
export const ArrayProto = Array.prototype;
export const ErrorCtor = Error;
export const TypeErrorCtor = TypeError;
export const getProto = Object.getPrototypeOf;
/** Firefox reads an error's stack through this accessor, which a page could replace; V8 has it on each error instead. */
export const stackGet = getOwnDesc(Error.prototype, 'stack')?.get;
export const stackSet = getOwnDesc(Error.prototype, 'stack')?.set;
export const Uint8ArrayCtor = Uint8Array;
export const isView = ArrayBuffer.isView;
export const BlobCtor = typeof Blob === 'function' ? Blob : undefined;
export const blobSlice = BlobCtor?.prototype.slice;
export const blobArrayBuffer = BlobCtor?.prototype.arrayBuffer;
export const promiseThen = Promise.prototype.then;
export const fnBind = Function.prototype.bind;
export const CustomEventCtor = CustomEvent;
export const addListener = EventTarget.prototype.addEventListener;
export const dispatch = EventTarget.prototype.dispatchEvent;
// A worker that deep capture paused at its start has no timers yet (measured in Chromium 156:
// setTimeout and clearTimeout are undefined there until the worker runs, worker.iife.ts). There
// they are looked up when needed, and a microtask stands in until they exist.
const savedSet = typeof setTimeout === 'function' ? setTimeout : undefined;
const savedClear = typeof clearTimeout === 'function' ? clearTimeout : undefined;
const settled = Promise.resolve();
export const setTimer = (savedSet ??
  ((fn: () => void, ms?: number) => {
    const later = (globalThis as { setTimeout?: typeof setTimeout }).setTimeout;
    if (typeof later === 'function') return later(fn, ms);
    apply(promiseThen, settled, [fn]);
    return 0;
  })) as typeof setTimeout;
/** Whether this global has timers now (a worker the debugger holds at its start does not). */
export const timersExist = (): boolean => savedSet !== undefined || typeof (globalThis as { setTimeout?: unknown }).setTimeout === 'function';
export const clearTimer = (savedClear ??
  ((id?: number) => {
    const later = (globalThis as { clearTimeout?: typeof clearTimeout }).clearTimeout;
    if (typeof later === 'function') later(id);
  })) as typeof clearTimeout;
export const perfNow = performance.now.bind(performance);
export const timeOrigin = performance.timeOrigin;
/** Date.now needs no `this`; saved so a page faking time (test clocks) cannot fool the anchors. */
export const dateNow = Date.now;
export const strIndexOf = String.prototype.indexOf;
export const NumberCtor = Number;
export const getter = (proto: object, name: string): AnyFn => {
  const d = getOwnDesc(proto, name);
  if (!d?.get) throw new ErrorCtor(`no getter ${name}`);
  return d.get;
};
// Brand checks and fields of binary payloads through the getters, never `instanceof` (a page can
// give ArrayBuffer or Blob a static Symbol.hasInstance) nor a getter looked up at call time.
export const abByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
export const taBuffer = getter(TypedArrayProto, 'buffer');
export const taOffset = getter(TypedArrayProto, 'byteOffset');
export const taLength = getter(TypedArrayProto, 'byteLength');
export const dvBuffer = getter(DataView.prototype, 'buffer');
export const dvOffset = getter(DataView.prototype, 'byteOffset');
export const dvLength = getter(DataView.prototype, 'byteLength');
export const blobSize = BlobCtor ? getter(BlobCtor.prototype, 'size') : undefined;
export const msgData = getter(MessageEvent.prototype, 'data');
export const msgOrigin = getter(MessageEvent.prototype, 'origin');
export const msgLastEventId = getter(MessageEvent.prototype, 'lastEventId');
export const ceDetail = getter(CustomEvent.prototype, 'detail');
export const urlHref = getter(URL.prototype, 'href');
export const urlOrigin = getter(URL.prototype, 'origin');
export const closeCode = getter(CloseEvent.prototype, 'code');
export const closeReason = getter(CloseEvent.prototype, 'reason');
export const closeClean = getter(CloseEvent.prototype, 'wasClean');
// A worker has neither interface (deep capture runs this hook there, worker.iife.ts), and no
// page events to read them on: a stand-in that is never called there.
const noGetter: AnyFn = () => undefined;
export const docHidden = typeof Document === 'function' ? getter(Document.prototype, 'hidden') : noGetter;
export const pageShowPersisted = typeof PageTransitionEvent === 'function' ? getter(PageTransitionEvent.prototype, 'persisted') : noGetter;
// `isTrusted` is [LegacyUnforgeable] (DOM Standard, interface Event): an own, non-configurable
// accessor of every event rather than a getter on Event.prototype, so take it off an event of
// our own. Any event's getter reads any event's flag (WebIDL checks the interface, not the object).
export const eventTrusted = getOwnDesc(new Event(''), 'isTrusted')?.get;
// SecurityPolicyViolationEvent getters (CSP Level 3, "Violation DOM events"); absent in a
// browser without the interface, and then no violation is recorded.
const SpvProto = typeof SecurityPolicyViolationEvent === 'function' ? SecurityPolicyViolationEvent.prototype : undefined;
const spvGetter = (name: string): AnyFn | undefined => (SpvProto ? getOwnDesc(SpvProto, name)?.get : undefined);
export const spvBlocked = spvGetter('blockedURI');
export const spvDirective = spvGetter('effectiveDirective');
export const spvPolicy = spvGetter('originalPolicy');
export const spvDisposition = spvGetter('disposition');


/** Shared argument list for the getters we call on every message (no array per call). */
export const NOARGS: [] = [];

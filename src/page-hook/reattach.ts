// Our listeners on a window and its document, kept across document.open().
import { apply, getOwnDesc, ObjectDefine, ProxyCtor, WeakMapCtor, WeakSetCtor, wmGet, wmSet, wsAdd, wsHas, type AnyFn } from './builtins.ts';
import { disguise } from './disguise.ts';
import { trapFor } from './hidden.ts';
import { passTrap } from './traps.ts';

// document.open() erases every event listener of the document and of its window (HTML, "document
// open steps": "erase all event listeners and handlers"), ours included: the answer that tells
// hooks a window is wrapped (frames.ts), the CSP, lifecycle and relay listeners. The Window and
// its WebSocket stay, wrapped. So each realm's Document.prototype.open becomes a Proxy of the
// native that, once the native returned, adds our listeners again (addEventListener ignores one
// already there: DOM Standard, "add an event listener").
const again = new WeakMapCtor<object, Array<() => void>>();
const covered = new WeakSetCtor<object>();

/** Runs `add` now and again after every document.open() of `win`'s document. */
export function keep(win: Window, add: () => void): void {
  add();
  const doc = win.document as Document | undefined;
  // A worker (worker.iife.ts) has no document to reopen: its listeners stay.
  if (!doc) return;
  let list = apply(wmGet, again, [doc]) as Array<() => void> | undefined;
  if (!list) {
    list = [];
    apply(wmSet, again, [doc, list]);
    coverOpen(win);
  }
  list[list.length] = add;
}

function coverOpen(win: Window): void {
  const proto = (win as unknown as { Document?: { prototype?: object } }).Document?.prototype;
  if (!proto || apply(wsHas, covered, [proto])) return;
  const d = getOwnDesc(proto, 'open');
  const native = d?.value as AnyFn | undefined;
  if (!d || typeof native !== 'function') return;
  apply(wsAdd, covered, [proto]);
  const openProxy = new ProxyCtor(native, {
    apply: trapFor('pass', { receiver: (self: unknown) => self, after: relisten }, passTrap),
  });
  disguise(openProxy, native);
  ObjectDefine(proto, 'open', { value: openProxy, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable });
}

/** After a document.open() returned: our listeners of that document's window, added again. */
function relisten(self: unknown, result: unknown): unknown {
  const list = apply(wmGet, again, [self]) as Array<() => void> | undefined;
  if (list) {
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!();
      } catch {
        // a window torn down meanwhile: nothing to listen to
      }
    }
  }
  return result;
}

// Same-origin child frames: their WebSocket is wrapped the moment the parent reaches into them,
// and a marker tells whether a window is wrapped already.
import { addListener, apply, CustomEventCtor, dispatch, getOwnDesc, NOARGS, ObjectDefine, preventDefault, ProxyCtor, WeakSetCtor, wsAdd, wsHas } from './builtins.ts';
import { disguise } from './disguise.ts';
import { trapFor } from './hidden.ts';
import { passTrap } from './traps.ts';
import { keep } from './reattach.ts';
import { install } from './socket.ts';

// A page can take a pristine WebSocket off a fresh same-origin iframe (about:blank gets no
// content script before the parent can touch it). Wrap such a window the moment the parent
// reaches into it, and never twice: the frame's own hook may run later, or may have run first.
//
// Hooks of different realms (the parent's, the child's own) cannot share a closure, and anything
// they put on the window a page can enumerate (a property, even a registered symbol, shows in
// Object.getOwnPropertySymbols). So a hook asks the window: it dispatches a cancelable event of
// the private channel there, and whichever hook installed into that window listens for it and
// cancels it (DOM Standard, dispatchEvent() returns false once preventDefault() was called on a
// cancelable event). A yes is kept in a closure-held WeakSet of documents, so a window is asked
// once: keyed by the document, not the WindowProxy, which outlives a navigation of its frame
// to a new Window (HTML, "browsing context"). `document` is [LegacyUnforgeable] (HTML, Window
// interface): an own accessor of each window that a page cannot replace.
const ASK = `${__SA_CHANNEL__}:i`;
const known = new WeakSetCtor<object>();
const answer = (e: Event) => {
  apply(preventDefault, e, NOARGS);
};
// Every member given, so that reading the dictionary (WebIDL, "converting to a dictionary")
// finds none on Object.prototype, where a page could have put a getter.
const askInit: CustomEventInit = { bubbles: false, cancelable: true, composed: false, detail: null };

export const marked = (win: Window): boolean => {
  try {
    const doc = win.document;
    if (apply(wsHas, known, [doc])) return true;
    if (apply(dispatch, win, [new CustomEventCtor(ASK, askInit)]) !== false) return false;
    apply(wsAdd, known, [doc]);
    return true;
  } catch {
    return true; // cross-origin or torn down: not ours to touch
  }
};
export const mark = (win: Window): void => {
  apply(wsAdd, known, [win.document]);
  keep(win, () => apply(addListener, win, [ASK, answer, true]));
};

export function coverChildFrames(): void {
  const protoFrame = HTMLIFrameElement.prototype;
  for (const key of ['contentWindow', 'contentDocument'] as const) {
    const d = getOwnDesc(protoFrame, key);
    const get = d?.get;
    if (!d || !get) continue;
    const wrappedGet = new ProxyCtor(get, {
      apply: trapFor('pass', {
        receiver: (self: unknown) => self,
        after: (_self: unknown, value: unknown) => {
          try {
            const win = key === 'contentWindow' ? value : (value as Document | null)?.defaultView;
            if (win && !marked(win as Window)) {
              mark(win as Window);
              install(win as typeof globalThis);
            }
          } catch {
            // Cross-origin or torn down: that frame's own hook covers it.
          }
          return value;
        },
      }, passTrap),
    });
    disguise(wrappedGet, get);
    ObjectDefine(protoFrame, key, { ...d, get: wrappedGet });
  }
}

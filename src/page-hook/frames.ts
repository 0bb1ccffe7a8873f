// Same-origin child frames: their WebSocket is wrapped the moment the parent reaches into them,
// and a marker tells whether a window is wrapped already.
import { apply, getOwnDesc, ObjectDefine, ProxyCtor, symbolFor } from './builtins.ts';
import { disguise } from './disguise.ts';
import { install } from './socket.ts';

// A page can take a pristine WebSocket off a fresh same-origin iframe (about:blank gets no
// content script before the parent can touch it). Wrap such a window the moment the parent
// reaches into it. A marker in the global symbol registry (shared by all realms of the agent)
// tells hooks apart so a frame is never wrapped twice.
const MARK = symbolFor(`${__SA_CHANNEL__}:installed`);
export const marked = (win: object): boolean => {
  try {
    return getOwnDesc(win, MARK) !== undefined;
  } catch {
    return true; // cross-origin: not ours to touch
  }
};
export const mark = (win: object) => ObjectDefine(win, MARK, { value: true, enumerable: false, configurable: false, writable: false });

export function coverChildFrames(): void {
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
    disguise(wrappedGet, get);
    ObjectDefine(protoFrame, key, { ...d, get: wrappedGet });
  }
}

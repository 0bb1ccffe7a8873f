// The page's call stack where it called us, and errors passed on to it without our frames.
import { apply, ErrorCtor, getOwnDesc, getProto, NOARGS, stackGet, stackSet, strIndexOf, strSlice } from './builtins.ts';

/**
 * Whether reading a stack would run page code: V8 formats an error's stack with
 * `Error.prepareStackTrace` when the page set one (a data property, found through the prototype
 * chain, getters ignored: V8's stack trace API). Then we read no stack at all: the page's
 * function would run for our error (it could throw into the page or see our frames), and calling
 * it only to catch what it throws is still running page code the page did not ask for.
 */
function pageFormatsStacks(): boolean {
  try {
    let obj: object | null = ErrorCtor;
    while (obj !== null) {
      const d = getOwnDesc(obj, 'prepareStackTrace');
      if (d) return 'value' in d && d.value !== undefined;
      obj = getProto(obj) as object | null;
    }
    return false;
  } catch {
    return true;
  }
}

/** An error's stack string, read through the getter saved at start where the engine has one (Firefox: Error.prototype.stack). */
function readStack(e: object): unknown {
  return stackGet ? apply(stackGet, e, NOARGS) : (e as { stack?: unknown }).stack;
}

/**
 * The page's call stack where it called into our trap. Called straight from the trap (the
 * constructor's or close()'s): the three lines dropped are "Error", stack() and the trap.
 * Never throws, and never runs page code (pageFormatsStacks).
 */
export function stack(): string | undefined {
  if (pageFormatsStacks()) return undefined;
  try {
    const s = readStack(new ErrorCtor());
    if (typeof s !== 'string') return undefined;
    // Drop the "Error" line and our own frames (stack() and the trap) so the page's caller is first.
    let cut = 0;
    for (let i = 0; i < 3; i++) {
      const nl = apply(strIndexOf, s, ['\n', cut]) as number;
      if (nl < 0) break;
      cut = nl + 1;
    }
    return apply(strSlice, s, [cut, cut + 4000]) as string;
  } catch {
    return undefined;
  }
}

// Where our own code lives, read off a stack taken as the hook starts (before any page script):
// "chrome-extension://<id>/" or "moz-extension://<uuid>/". Undefined if the stack does not say.
const ourOrigin = ((): string | undefined => {
  try {
    const s = readStack(new ErrorCtor());
    if (typeof s !== 'string') return undefined;
    for (const scheme of ['chrome-extension://', 'moz-extension://']) {
      const at = apply(strIndexOf, s, [scheme]) as number;
      if (at < 0) continue;
      const end = apply(strIndexOf, s, ['/', at + scheme.length]) as number;
      if (end > at) return apply(strSlice, s, [at, end + 1]) as string;
    }
  } catch {
    // no stack to read: nothing to hide either
  }
  return undefined;
})();

/**
 * An error that goes through our trap to the page (the native's own DOMException or TypeError,
 * or whatever the page's own conversion threw) has our trap in its stack, where it was created
 * or passed. Without us that frame is not there, so it goes: only the lines naming our origin,
 * and only on a stack that has one. The error object stays the one the browser made (its
 * interface, name, message and code untouched: WebIDL, "create an exception"); V8 keeps an
 * assigned stack as the error's own, in the property it already had.
 */
export function hideOurFrames(err: unknown): void {
  if (!ourOrigin || typeof err !== 'object' || err === null || pageFormatsStacks()) return;
  try {
    const s: unknown = readStack(err);
    if (typeof s !== 'string' || (apply(strIndexOf, s, [ourOrigin]) as number) < 0) return;
    let out = '';
    let from = 0;
    while (from <= s.length) {
      let nl = apply(strIndexOf, s, ['\n', from]) as number;
      if (nl < 0) nl = s.length;
      const line = apply(strSlice, s, [from, nl]) as string;
      if ((apply(strIndexOf, line, [ourOrigin]) as number) < 0) out = out === '' && from === 0 ? line : `${out}\n${line}`;
      from = nl + 1;
    }
    if (stackSet) apply(stackSet, err, [out]);
    else (err as { stack: string }).stack = out;
  } catch {
    // a page-made error whose stack we cannot read or write: left as it is
  }
}

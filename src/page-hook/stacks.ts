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
 * constructor's or close()'s): what is dropped is V8's "Error" header, stack() and the trap.
 * Never throws, and never runs page code (pageFormatsStacks).
 */
export function stack(): string | undefined {
  if (pageFormatsStacks()) return undefined;
  try {
    const s = readStack(new ErrorCtor());
    if (typeof s !== 'string') return undefined;
    // Drop V8's "Error" header and our own frames (stack() and the trap) so the page's caller is
    // first. SpiderMonkey has no header line, so the count of lines to drop differs: our frames
    // are known by our mark; without one (no stack said where we live), the V8 count.
    let cut = 0;
    for (let i = 0; i < 8; i++) {
      const nl = apply(strIndexOf, s, ['\n', cut]) as number;
      if (nl < 0) break;
      const line = apply(strSlice, s, [cut, nl]) as string;
      const ours = ourMark ? (apply(strIndexOf, line, [ourMark]) as number) >= 0 || (i === 0 && line === 'Error') : i < 3;
      if (!ours) break;
      cut = nl + 1;
    }
    return apply(strSlice, s, [cut, cut + 4000]) as string;
  } catch {
    return undefined;
  }
}

// Where our own code lives, read off a stack taken as the hook starts (before any page script).
// Chromium names it by URL: "chrome-extension://<id>/". Firefox names a MAIN-world content
// script's frames "<fn>@<anonymous code>:<line>:<col>" (measured on Firefox ESR 153; a page's own
// eval'd code reads "<url> line N > eval" there, never "<anonymous code>"), so for a stack with
// no extension URL the mark is the location of the hook's own first frame, "@<location>:".
// Undefined if the stack says neither.
const ourMark = ((): string | undefined => {
  try {
    const s = readStack(new ErrorCtor());
    if (typeof s !== 'string') return undefined;
    for (const scheme of ['chrome-extension://', 'moz-extension://']) {
      const at = apply(strIndexOf, s, [scheme]) as number;
      if (at < 0) continue;
      const end = apply(strIndexOf, s, ['/', at + scheme.length]) as number;
      if (end > at) return apply(strSlice, s, [at, end + 1]) as string;
    }
    // SpiderMonkey's format: the first line is this function's frame, "name@location:line:col".
    const nl = apply(strIndexOf, s, ['\n']) as number;
    const first = nl < 0 ? s : (apply(strSlice, s, [0, nl]) as string);
    const atSign = apply(strIndexOf, first, ['@']) as number;
    if (atSign < 0) return undefined;
    let end = first.length;
    for (let colons = 0; colons < 2 && end > atSign; end--) if (first[end - 1] === ':') colons++;
    const location = apply(strSlice, first, [atSign, end + 1]) as string;
    return location.length > 2 ? location : undefined;
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
 * interface, name, message and code untouched: WebIDL, "create an exception").
 *
 * Only where the error already holds its stack as its own property (V8: every error and
 * DOMException), which an assignment replaces in place. SpiderMonkey keeps the stack behind an
 * inherited accessor and an assignment adds an own data property the native error never has
 * (measured on Firefox ESR 153), which a page can see as plainly as the frame: there the traps run
 * in the isolated world instead, whose frames no page-read stack shows (traps.ts, docs/firefox.md),
 * and this is called only by a trap that fell back to the hook's own world, where it does nothing.
 */
export function hideOurFrames(err: unknown): void {
  if (!ourMark || typeof err !== 'object' || err === null || pageFormatsStacks()) return;
  try {
    if (!getOwnDesc(err, 'stack')) return;
    const s: unknown = readStack(err);
    if (typeof s !== 'string' || (apply(strIndexOf, s, [ourMark]) as number) < 0) return;
    let out = '';
    let kept = 0;
    let from = 0;
    while (from <= s.length) {
      let nl = apply(strIndexOf, s, ['\n', from]) as number;
      if (nl < 0) nl = s.length;
      const line = apply(strSlice, s, [from, nl]) as string;
      if ((apply(strIndexOf, line, [ourMark]) as number) < 0) out = kept++ === 0 ? line : `${out}\n${line}`;
      from = nl + 1;
    }
    if (stackSet) apply(stackSet, err, [out]);
    else (err as { stack: string }).stack = out;
  } catch {
    // a page-made error whose stack we cannot read or write: left as it is
  }
}

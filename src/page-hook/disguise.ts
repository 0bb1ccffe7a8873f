// Keeping our wrappers looking native: Function.prototype.toString answers for a wrapper as it
// would for the original, and the properties we replace keep the natives' attributes.
import { apply, getOwnDesc, ObjectDefine, ProxyCtor, wmGet, wmSet, WeakMapCtor, type AnyFn } from './builtins.ts';
import { trapFor } from './hidden.ts';
import { passTrap } from './traps.ts';

// Wrappers → originals, so our patched Function.prototype.toString can answer as the native would.
const disguised = new WeakMapCtor<object, object>();

/** Makes toString show `original`'s source for `wrapper`. */
export function disguise(wrapper: object, original: object): void {
  apply(wmSet, disguised, [wrapper, original]);
}

/** A toString for one realm that shows every disguised wrapper as its original. */
export function disguisingToString(winFnToString: AnyFn): AnyFn {
  const toStringProxy = new ProxyCtor(winFnToString, {
    apply: trapFor('pass', {
      receiver: (self: unknown) => {
        const original = typeof self === 'function' || (typeof self === 'object' && self !== null)
          ? (apply(wmGet, disguised, [self]) as object | undefined)
          : undefined;
        return original ?? self;
      },
      after: (_self: unknown, result: unknown) => result,
    }, passTrap),
  });
  disguise(toStringProxy, winFnToString);
  return toStringProxy;
}

/** Replaces a property with the same attributes as the native's own (WebIDL: writable, configurable, not enumerable). */
export function redefine(obj: object, key: string, value: unknown): void {
  const d = getOwnDesc(obj, key);
  ObjectDefine(obj, key, { value, writable: d?.writable ?? true, enumerable: d?.enumerable ?? false, configurable: d?.configurable ?? true });
}

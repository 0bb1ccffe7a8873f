// The batch as JSON text, whatever the page put on Object.prototype or Array.prototype.
import { ArrayProto, getOwnDesc, getProto, isArray, ObjectKeys, ObjectProto, StringCtor, stringify } from './builtins.ts';

/**
 * JSON.stringify calls `toJSON` on every object and array it meets (ECMAScript,
 * SerializeJSONProperty: a Get, so an inherited one counts), and our batches' objects and arrays
 * inherit from the page's Object.prototype and Array.prototype. So the saved JSON.stringify is
 * used only while neither has a `toJSON` and Array.prototype still inherits straight from
 * Object.prototype (whose own prototype cannot change: it is an immutable prototype exotic
 * object). Two lookups per batch, none per message. Otherwise the batch is written by hand.
 */
export function batchJson(batch: object): string {
  if (!getOwnDesc(ArrayProto, 'toJSON') && !getOwnDesc(ObjectProto, 'toJSON') && getProto(ArrayProto) === ObjectProto) return stringify(batch);
  return write(batch);
}

/**
 * The JSON text JSON.stringify would give for our own values (plain objects, arrays, strings,
 * finite numbers, booleans, null), without looking anything up on a prototype. A string is
 * quoted by the saved JSON.stringify: for a primitive it reads no toJSON.
 */
function write(v: unknown): string {
  if (typeof v === 'string') return stringify(v);
  if (typeof v === 'number') return v === v && v !== Infinity && v !== -Infinity ? StringCtor(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || typeof v !== 'object') return 'null';
  if (isArray(v)) {
    const a = v as unknown[];
    let out = '[';
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      out += (i > 0 ? ',' : '') + (x === undefined || typeof x === 'function' ? 'null' : write(x));
    }
    return `${out}]`;
  }
  const keys = ObjectKeys(v);
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === 'function') continue;
    out += `${first ? '' : ','}${stringify(k)}:${write(x)}`;
    first = false;
  }
  return `${out}}`;
}

// What the hook records of a payload, using only saved built-ins.
import { PAYLOAD_CAP_BYTES } from '../core/wire/limits.ts';
import { BIN, LATER, TRUNC } from '../core/wire/page-batch.ts';
import { base64, utf8Length, utf8Prefix } from '../core/wire/payload.ts';
import { abByteLength, apply, blobArrayBuffer, blobSize, blobSlice, dvBuffer, dvLength, dvOffset, isView, NOARGS, promiseThen, StringCtor, taBuffer, taLength, taOffset, Uint8ArrayCtor } from './builtins.ts';
import { emit } from './emit.ts';

/**
 * A page's value as a string, without calling the page: a primitive converts with no user code
 * (ECMAScript ToString), an object would run its own toString or Symbol.toPrimitive a second
 * time (the browser already ran it once, WebIDL "convert to a DOMString"), which the page
 * could see. So an object gives `undefined`.
 */
export function plainString(v: unknown): string | undefined {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return StringCtor(v);
  return undefined;
}

// ---- payloads ----
// Hot path (bench/page.bench.ts: the hook runs on the page's main thread for every message):
// a text frame under the cap goes straight into the batch's columns (emitTraffic: no event object,
// closure or spread per message); other payloads make one small Captured record; only a Blob,
// which cannot be read synchronously, costs more.
export interface Captured {
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

/** What a payload is, told by its internal slots (the saved getters throw on anything else). */
export const OTHER = 0;
const VIEW = 1;
const BUFFER = 2;
const BLOB = 3;
export function payloadKind(data: unknown): number {
  if (typeof data !== 'object' || data === null) return OTHER;
  if (isView(data)) return VIEW;
  try {
    apply(abByteLength, data, NOARGS);
    return BUFFER;
  } catch {
    // not an ArrayBuffer
  }
  if (blobSize) {
    try {
      apply(blobSize, data, NOARGS);
      return BLOB;
    } catch {
      // not a Blob
    }
  }
  return OTHER;
}

function viewBytes(view: object): Uint8Array {
  try {
    return new Uint8ArrayCtor(apply(taBuffer, view, NOARGS) as ArrayBuffer, apply(taOffset, view, NOARGS) as number, apply(taLength, view, NOARGS) as number);
  } catch {
    return new Uint8ArrayCtor(apply(dvBuffer, view, NOARGS) as ArrayBuffer, apply(dvOffset, view, NOARGS) as number, apply(dvLength, view, NOARGS) as number);
  }
}

export function capture(data: unknown, sid: number, n: number, dir: 'send' | 'message'): Captured {
  if (typeof data === 'string') return captureText(data);
  const kind = payloadKind(data);
  if (kind === BUFFER) return captureBytes(new Uint8ArrayCtor(data as ArrayBuffer));
  if (kind === VIEW) return captureBytes(viewBytes(data as object));
  if (kind === BLOB && blobSlice && blobArrayBuffer && blobSize) {
    // A Blob cannot be read synchronously; read at most the cap, off the page's time budget,
    // and attach it to the message afterwards (a `payload` event).
    const size = apply(blobSize, data, NOARGS) as number;
    const part = apply(blobSlice, data, [0, PAYLOAD_CAP_BYTES]) as Blob;
    const p = apply(blobArrayBuffer, part, NOARGS) as Promise<ArrayBuffer>;
    apply(promiseThen, p, [
      (buf: ArrayBuffer) => emit({ k: 'payload', sid, n, dir, data: base64(new Uint8ArrayCtor(buf)), trunc: size > PAYLOAD_CAP_BYTES }),
      () => undefined,
    ]);
    return { bin: true, size, later: true };
  }
  // A primitive the browser stringified (send(123) sends "123"); an object reaches here only
  // if the send trap did not convert it (plainString: never its toString a second time).
  return captureText(plainString(data) ?? '');
}

/** The column flags of a captured payload (page-batch.ts). */
export function flagsOf(c: Captured): number {
  let flags = c.bin ? BIN : 0;
  if (c.trunc) flags |= TRUNC;
  if (c.later) flags |= LATER;
  return flags;
}

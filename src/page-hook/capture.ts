// What the hook records of a payload, using only saved built-ins.
import { PAYLOAD_CAP_BYTES } from '../core/wire/limits.ts';
import { BIN, LATER, TRUNC } from '../core/wire/page-batch.ts';
import { base64, utf8Length, utf8Prefix } from '../core/wire/payload.ts';
import { apply, ArrayBufferCtor, BlobCtor, blobArrayBuffer, blobSlice, isView, NOARGS, promiseThen, StringCtor, Uint8ArrayCtor } from './builtins.ts';
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

export function capture(data: unknown, sid: number, n: number, dir: 'send' | 'message'): Captured {
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

/** The column flags of a captured payload (page-batch.ts). */
export function flagsOf(c: Captured): number {
  let flags = c.bin ? BIN : 0;
  if (c.trunc) flags |= TRUNC;
  if (c.later) flags |= LATER;
  return flags;
}

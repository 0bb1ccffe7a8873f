// The hook → relay batch (PageToRelay), with message traffic in columns.
//
// Every message the page sends or receives crosses from the page's world to the relay's as JSON,
// on the page's own main thread: the hook stringifies a batch, the relay parses it. As an array
// of objects that cost ~1.1–2.0 µs per event to stringify and ~1.3–1.7 µs to parse and rebuild
// (Node, 2,000 send events of 16 bytes, on the bench machine); with send/message events as
// columns of numbers and strings (a `0` in `events` holds each one's place) ~0.6–0.9 and ~0.35 µs,
// and the JSON is 2.4× smaller. Lifecycle events, rare, stay objects. The relay rebuilds each
// traffic event as the object the rest of the pipeline knows and validates it like any other
// (checkEvent), so columns change the cost, not the rules.
//
// The encoder runs in the page's world (hook.iife.ts): it uses no built-in a page could replace
// (no Array.prototype methods, no JSON: the hook stringifies with the JSON.stringify it saved).
import type { HookEvent } from './protocol.ts';

/** Traffic columns; entry j describes the j-th `0` in `events`. */
export interface TrafficColumns {
  /** sid */
  s: number[];
  /** t */
  t: number[];
  /** n */
  n: number[];
  /** size */
  z: number[];
  /** flags: 1 send (else message), 2 bin, 4 trunc, 8 later */
  f: number[];
  /** rs (sends; 0 for messages) */
  r: number[];
  /** buffered (sends; 0 for messages) */
  b: number[];
  /** data, or null when the event has none */
  d: Array<string | null>;
}

export interface PageBatch {
  v: number;
  /** Events in order; a `0` stands for the next entry of `cols`. */
  events: Array<HookEvent | 0>;
  cols?: TrafficColumns;
  dropped?: number;
}

export const SEND = 1;
export const BIN = 2;
export const TRUNC = 4;
export const LATER = 8;

/** The batch for the queued events queue[from, to), traffic in columns. */
export function encodeBatch(v: number, queue: readonly HookEvent[], from: number, to: number, dropped: number): PageBatch {
  const events: Array<HookEvent | 0> = [];
  const s: number[] = [];
  const t: number[] = [];
  const n: number[] = [];
  const z: number[] = [];
  const f: number[] = [];
  const r: number[] = [];
  const b: number[] = [];
  const d: Array<string | null> = [];
  let j = 0;
  for (let i = from; i < to; i++) {
    const e = queue[i]!;
    if (e.k === 'send' || e.k === 'message') {
      events[i - from] = 0;
      s[j] = e.sid;
      t[j] = e.t;
      n[j] = e.n;
      z[j] = e.size;
      let flags = e.bin ? BIN : 0;
      if (e.trunc) flags |= TRUNC;
      if (e.later) flags |= LATER;
      if (e.k === 'send') {
        f[j] = flags | SEND;
        r[j] = e.rs;
        b[j] = e.buffered;
      } else {
        f[j] = flags;
        r[j] = 0;
        b[j] = 0;
      }
      d[j] = e.data === undefined ? null : e.data;
      j++;
    } else events[i - from] = e;
  }
  const batch: PageBatch = { v, events };
  if (j > 0) batch.cols = { s, t, n, z, f, r, b, d };
  if (dropped) batch.dropped = dropped;
  return batch;
}

const COLUMN_KEYS = ['s', 't', 'n', 'z', 'f', 'r', 'b', 'd'] as const;

/**
 * The batch's events as plain (unvalidated) objects, traffic rebuilt from the columns, or an
 * error when the columns cannot be matched to the placeholders. Each event still has to pass
 * checkEvent: a column holding junk yields an event that fails there, counted on its own.
 */
export function decodeEvents(events: readonly unknown[], cols: unknown): unknown[] | string {
  let placeholders = 0;
  for (const e of events) if (e === 0) placeholders++;
  if (placeholders === 0 && cols === undefined) return events as unknown[];
  if (typeof cols !== 'object' || cols === null) return 'cols: missing';
  const c = cols as Record<string, unknown>;
  for (const k of COLUMN_KEYS) {
    const col = c[k];
    if (!Array.isArray(col) || col.length !== placeholders) return `cols.${k}: expected ${placeholders} entries`;
  }
  const { s, t, n, z, f, r, b, d } = c as unknown as Record<(typeof COLUMN_KEYS)[number], unknown[]>;
  const out: unknown[] = new Array(events.length);
  let j = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e !== 0) {
      out[i] = e;
      continue;
    }
    const flags = f![j];
    if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 15) {
      out[i] = { k: 'bad-flags' };
      j++;
      continue;
    }
    const raw: Record<string, unknown> =
      flags & SEND
        ? { k: 'send', sid: s![j], t: t![j], n: n![j], rs: r![j], buffered: b![j], bin: (flags & BIN) !== 0, size: z![j] }
        : { k: 'message', sid: s![j], t: t![j], n: n![j], bin: (flags & BIN) !== 0, size: z![j] };
    const data = d![j];
    if (data !== null) raw.data = data;
    if (flags & TRUNC) raw.trunc = true;
    if (flags & LATER) raw.later = true;
    out[i] = raw;
    j++;
  }
  return out;
}

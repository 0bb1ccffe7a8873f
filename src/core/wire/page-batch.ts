// The hook → relay batch (PageToRelaySchema checks its envelope), with message traffic in columns.
//
// Every message the page sends or receives crosses from the page's world to the relay's as JSON,
// on the page's own main thread: the hook stringifies a batch, the relay parses it (or, for a batch
// of traffic alone, keeps the text and the hub parses it: relay-buffer.ts). As an array
// of objects that cost ~1.1–2.0 µs per event to stringify and ~1.3–1.7 µs to parse and rebuild
// (Node, 2,000 send events of 16 bytes, on the bench machine); with send/message events as
// columns of numbers and strings (a `0` in `events` holds each one's place) ~0.6–0.9 and ~0.35 µs,
// and the JSON is 2.4× smaller. Lifecycle events, rare, stay objects. Whoever parses the batch
// rebuilds each traffic event as the object the rest of the pipeline knows and validates it like
// any other (checkEvent), so columns change the cost, not the rules.
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
  /** Events in the batch (`events.length`); first so the relay can read it off the text. */
  c?: number;
  /** Of those, events that are objects in `events` rather than columns. */
  l?: number;
  /** Events the hook itself had to drop (its buffer overflowed before the relay listened). */
  dropped?: number;
  /** Events in order; a `0` stands for the next entry of `cols`. */
  events: Array<HookEvent | 0>;
  cols?: TrafficColumns;
}

export const SEND = 1;
export const BIN = 2;
export const TRUNC = 4;
export const LATER = 8;

/**
 * One batch being filled by the hook: traffic goes straight into the columns (no event object
 * per message, no second pass to encode), anything else into `events` as is. Used on the page's
 * main thread for every message: plain index writes, no Array.prototype method a page could
 * have replaced.
 */
export class BatchBuilder {
  count = 0;
  private objects = 0;
  private j = 0;
  private readonly events: Array<HookEvent | 0> = [];
  private readonly s: number[] = [];
  private readonly t: number[] = [];
  private readonly n: number[] = [];
  private readonly z: number[] = [];
  private readonly f: number[] = [];
  private readonly r: number[] = [];
  private readonly b: number[] = [];
  private readonly d: Array<string | null> = [];

  /** A send (flags has SEND; rs and buffered are the socket's) or message (rs, buffered 0). */
  traffic(sid: number, t: number, n: number, size: number, flags: number, rs: number, buffered: number, data: string | null): void {
    const j = this.j++;
    this.events[this.count++] = 0;
    this.s[j] = sid;
    this.t[j] = t;
    this.n[j] = n;
    this.z[j] = size;
    this.f[j] = flags;
    this.r[j] = rs;
    this.b[j] = buffered;
    this.d[j] = data;
  }

  other(ev: HookEvent): void {
    this.events[this.count++] = ev;
    this.objects++;
  }

  /**
   * The batch to stringify. Key order matters: `v`, `c`, `l`, `dropped` lead the JSON text, and
   * the relay reads them off it without parsing (rawHeader).
   */
  batch(v: number, dropped: number): PageBatch {
    const out: PageBatch = { v, c: this.count, l: this.objects, dropped, events: this.events };
    if (this.j > 0) out.cols = { s: this.s, t: this.t, n: this.n, z: this.z, f: this.f, r: this.r, b: this.b, d: this.d };
    return out;
  }
}

/** Events per batch at most (PageToRelaySchema's bound on `events`). */
export const BATCH_EVENTS_MAX = 10_000;

/**
 * The event count of a batch of traffic alone, read off its JSON text, or undefined when the text
 * does not start like one (other events in it, a drop count, another version, anything else).
 * The relay keeps such a batch as text while no panel watches (relay-buffer.ts) and parses it
 * only when one does; the count is the page's claim until then, checked when it is parsed.
 */
export function rawHeader(text: string, v: number): number | undefined {
  const m = RAW_HEADER.exec(text);
  if (!m || Number(m[1]) !== v) return undefined;
  const c = Number(m[2]);
  return c >= 1 && c <= BATCH_EVENTS_MAX ? c : undefined;
}

const RAW_HEADER = /^\{"v":(\d{1,3}),"c":(\d{1,5}),"l":0,"dropped":0,"events":\[/;

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

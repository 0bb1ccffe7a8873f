// Checking hook events fast, with exactly HookEventSchema's rules.
//
// Two receivers check every event of a flood on a thread that matters: the relay, on the page's
// own main thread (bench/page.bench.ts), and the panel, on its render thread (bench/panel.bench.ts
// latency and longest task). A valibot parse costs ~1.3 µs per event in Node, about twice that in
// a page's CPU profile. Message traffic (send / message / payload: nearly every event) is
// therefore checked by hand here, with the schema's bounds; the rare lifecycle events go through
// the schema variant of their kind. test/event-check.test.ts holds this to the schema on random
// and hostile inputs, so the two cannot drift apart silently.
import * as v from 'valibot';

import { PAYLOAD_CAP_BYTES } from './limits.ts';
import { HookEventSchema, parseWith } from './protocol.ts';
import type { HookEvent } from './protocol.ts';

/** protocol.ts MAX_DATA: base64 of the cap is 4/3 of it. */
const MAX_DATA = PAYLOAD_CAP_BYTES * 2;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isOptBool = (x: unknown): boolean => x === undefined || typeof x === 'boolean';
const isOptData = (x: unknown): boolean => x === undefined || (typeof x === 'string' && x.length <= MAX_DATA);

type Raw = Record<string, unknown>;

/**
 * The object schema of each event kind, taken from HookEventSchema's own variants: validating
 * with it directly gives the schema's result at ~0.6 µs instead of ~1.3 µs per event.
 */
const KIND_SCHEMAS = new Map<unknown, v.GenericSchema<unknown, HookEvent>>(
  HookEventSchema.options.map((o) => [o.entries.k.literal, o as v.GenericSchema<unknown, HookEvent>]),
);

/**
 * A send / message / payload event, checked by hand. The output is a fresh object with known
 * keys only, so extra keys a forger adds never travel further (valibot's `object` strips them
 * the same way).
 */
function checkTraffic(e: Raw): HookEvent | undefined {
  const { k, sid, n } = e;
  if (!isCount(sid) || !isCount(n)) return undefined;
  if (k === 'payload') {
    const { dir, data, trunc } = e;
    if ((dir !== 'send' && dir !== 'message') || typeof data !== 'string' || data.length > MAX_DATA || typeof trunc !== 'boolean') return undefined;
    return { k, sid, n, dir, data, trunc };
  }
  const { t, bin, size, data, trunc, later, inj } = e;
  if (!isTime(t) || typeof bin !== 'boolean' || !isCount(size) || !isOptData(data) || !isOptBool(trunc) || !isOptBool(later) || (inj !== undefined && inj !== true)) return undefined;
  let ev: HookEvent;
  if (k === 'message') ev = { k, sid, t, n, bin, size };
  else {
    const { rs, buffered } = e;
    if ((rs !== 0 && rs !== 1 && rs !== 2 && rs !== 3) || !isCount(buffered)) return undefined;
    ev = { k: 'send', sid, t, n, rs, buffered, bin, size };
  }
  if (data !== undefined) ev.data = data as string;
  if (trunc !== undefined) ev.trunc = trunc as boolean;
  if (later !== undefined) ev.later = later as boolean;
  if (inj === true) ev.inj = true;
  return ev;
}

/** A valid HookEvent (a fresh object), or a short reason why `raw` is not one. */
export function checkEvent(raw: unknown): HookEvent | string {
  if (typeof raw !== 'object' || raw === null) return 'not an object';
  const k = (raw as Raw).k;
  if (k === 'message' || k === 'send' || k === 'payload') return checkTraffic(raw as Raw) ?? `bad ${k} event`;
  const schema = KIND_SCHEMAS.get(k);
  if (!schema) return 'unknown kind';
  const r = v.safeParse(schema, raw);
  if (r.success) return r.output;
  // The slow path only for the error text: a failing event is rare and is counted, not shown.
  const full = parseWith(HookEventSchema, raw);
  return full.ok ? 'invalid' : full.error;
}

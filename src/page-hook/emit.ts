// The hook's outgoing queue: events gathered into batches (core/wire/page-batch.ts) and handed to a
// transport, held until it says it listens (a bounded number of them: the rest are counted as
// dropped). In a page the transport is a CustomEvent on the window to the isolated relay
// (connectRelay); in a worker, where deep capture installs the hook, a debugger binding
// (connectTransport, worker.iife.ts).
import { channelFor } from '../core/wire/channel.ts';
import { eventBytes } from '../core/wire/event-ring.ts';
import { CLOCK_STEP_MS, HOOK_BUFFER_BYTES, HOOK_BUFFER_MAX, PROTOCOL_VERSION } from '../core/wire/limits.ts';
import { BatchBuilder } from '../core/wire/page-batch.ts';
import type { HookEvent } from '../core/wire/protocol.ts';
import { addListener, apply, CustomEventCtor, dateNow, dispatch, perfNow, setTimer, timeOrigin, timersExist } from './builtins.ts';
import { batchJson } from './json.ts';
import { keep } from './reattach.ts';

const channel = channelFor(__SA_CHANNEL__);

let relayListening = false;
/** The batch taking new events; `full` holds older ones that reached BATCH_MAX, oldest first. */
let cur = new BatchBuilder();
let full: BatchBuilder[] = [];
let fullCount = 0;
/** Events in `full` and `cur`, and about how many bytes (eventBytes). */
let queued = 0;
let queuedBytes = 0;
let droppedBeforeRelay = 0;
let flushScheduled = false;

/** Events per batch: under PageToRelaySchema's 10,000 even when a long-held buffer goes at once. */
const BATCH_MAX = 5_000;

function toRelay(json: string): void {
  // Every member of the CustomEventInit given (DOM Standard), so that the dictionary is read
  // (WebIDL, "converting to a dictionary": a Get per member) without reaching Object.prototype,
  // where a page may have put a getter.
  const init: CustomEventInit<string> = { bubbles: false, cancelable: false, composed: false, detail: json };
  apply(dispatch, window, [new CustomEventCtor(channel.page, init)]);
}

/** Where each batch's JSON text goes: the page's relay unless connectTransport said otherwise. */
let transport: (json: string) => void = toRelay;

function send(batch: BatchBuilder, dropped: number): void {
  transport(batchJson(batch.batch(PROTOCOL_VERSION, dropped)));
}

/** Sends everything queued, if the relay listens (also called when the document goes away). */
export function flush(): void {
  if (!relayListening || queued === 0) return;
  const older = full;
  const olderCount = fullCount;
  const last = cur;
  let dropped = droppedBeforeRelay;
  full = [];
  fullCount = 0;
  cur = new BatchBuilder();
  queued = 0;
  queuedBytes = 0;
  droppedBeforeRelay = 0;
  for (let i = 0; i < olderCount; i++) {
    send(older[i]!, dropped);
    dropped = 0;
  }
  if (last.count > 0) send(last, dropped);
}

/**
 * Above this many queued events we flush at once rather than wait for the timer, so that a
 * page sending in a long synchronous loop holds at most this many events (a flush turns them
 * into one string, which the relay takes over). The relay defers its own work on a batch until
 * the page's script returns (relay.iife.ts), so the page's loop pays only the stringify.
 */
const FLUSH_AT = 2_000;
/** How long events may wait to be sent as one batch. */
const FLUSH_MS = 10;

/** When the oldest event now queued was recorded (performance.now). */
let queuedSince = 0;

/** wall − (timeOrigin + t) at the last anchor sent; hello's timeOrigin is the first, so 0. */
let anchoredOffset = 0;

/**
 * Once per batch, as it opens: reads the wall clock and, when it drifted from the monotonic
 * one by more than CLOCK_STEP_MS since the last anchor, puts a `clock` event first in the batch,
 * with the `t` of the event that opens it, so the anchor covers every event of the batch. Never
 * per message: a busy socket's events share one batch, and nothing here runs for them.
 */
function anchor(now: number): void {
  const wall = dateNow();
  const offset = wall - timeOrigin - now;
  if (offset - anchoredOffset <= CLOCK_STEP_MS && anchoredOffset - offset <= CLOCK_STEP_MS) return;
  anchoredOffset = offset;
  cur.other({ k: 'clock', t: now, wall });
  queued++;
}

/** Makes room for one more event of about `bytes` in `cur`, or says it must be dropped (no relay yet, buffer full). */
function admit(now: number, bytes: number): boolean {
  if (!relayListening && (queued >= HOOK_BUFFER_MAX || queuedBytes + bytes > HOOK_BUFFER_BYTES)) {
    droppedBeforeRelay++;
    return false;
  }
  if (queued === 0) {
    queuedSince = now;
    anchor(now);
  }
  if (cur.count >= BATCH_MAX) {
    full[fullCount++] = cur;
    cur = new BatchBuilder();
  }
  queued++;
  queuedBytes += bytes;
  return true;
}

function queuedOne(now: number): void {
  if (!relayListening) return scheduleFlush();
  // A page flooded with messages runs one task per message back to back, and timers starve
  // behind them: measured at 10,000 msg/s with DevTools open, the flush timer fired so late that
  // batches waited for FLUSH_AT and reached the panel ~300 ms after the page had them
  // (bench/panel.bench.ts latency). So the age of the batch is checked here too.
  if (queued >= FLUSH_AT || now - queuedSince >= FLUSH_MS) flush();
  else scheduleFlush();
}


/** Queues an event other than traffic; `now` is performance.now() when the caller already has it. */
export function emit(ev: HookEvent, now: number = perfNow()): void {
  if (!admit(now, eventBytes(ev))) return;
  cur.other(ev);
  queuedOne(now);
}

/** Queues a send (flags has SEND) or message straight into the batch's columns (page-batch.ts). */
export function emitTraffic(sid: number, t: number, n: number, size: number, flags: number, rs: number, buffered: number, data: string | null): void {
  // As eventBytes counts a send or message: a fixed overhead and the payload's code units.
  if (!admit(t, 96 + (data === null ? 0 : data.length))) return;
  cur.traffic(sid, t, n, size, flags, rs, buffered, data);
  queuedOne(t);
}


function onFlushTimer(): void {
  flushScheduled = false;
  flush();
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  // A worker the debugger holds at its start has no timers yet (Chromium 156, measured): what is
  // queued then waits for the worker's next event, by when it runs and has them.
  if (!timersExist()) return;
  flushScheduled = true;
  // A busy socket delivers one message per task, so a microtask flush would still cost one
  // cross-world dispatch per message; a short timer gathers a whole burst into one.
  setTimer(onFlushTimer, FLUSH_MS);
}

/** Announces the hook to the relay and starts sending once it answers that it listens. */
export function connectRelay(): void {
  const onReady = () => {
    relayListening = true;
    flush();
  };
  keep(window, () => apply(addListener, window, [channel.ready, onReady]));
  apply(dispatch, window, [new CustomEventCtor(channel.hello)]);
}

/**
 * Sends every batch to `to` instead of the relay, from now on (a worker's debugger binding,
 * worker.iife.ts): it listens from the start, so what was held goes at once.
 */
export function connectTransport(to: (json: string) => void): void {
  transport = to;
  relayListening = true;
  flush();
}

// Isolated-world relay: takes the page hook's events, checks them, numbers them, keeps a
// bounded ring of them and forwards them in batches to the background hub over a long-lived
// port. The ring is what makes capture independent of DevTools and of the service worker:
// it starts at document_start, and when the worker is stopped (MV3 does that at will) the
// relay reconnects and replays it, and the hub drops what it already had by sequence number.
//
// Speed: a content script runs on the page's own main thread, so every microsecond spent here
// per message is the page's (bench/page.bench.ts). Hence:
// - message traffic (send/message/payload, nearly every event) gets a hand-written check of
//   exactly the schema's rules (checkTraffic) instead of a valibot parse per event (1.3 µs per
//   event in Node, about twice that in a CPU profile of the page); the rare lifecycle events go
//   through the schema. The hub validates every event again with the full schema (hub.ts
//   parseRelay), in the service worker, off the page's thread: "validate at every boundary"
//   holds, and a check this file gets wrong costs one event there, counted as malformed.
// - a batch is handled in a microtask, not inside the page's dispatch: a page sending in a long
//   synchronous loop makes the hook flush every 2,000 events, and the page's loop then pays
//   only the hook's stringify, not our parse, ring and port message (those run when its
//   script returns). Not a timer: under a flood, timers starve behind the message tasks
//   (measured: batches reached the panel ~300 ms late at 10,000 msg/s).
// - one port message per hook batch, sent as soon as the batch is handled: the hook already
//   gathers a burst (10 ms), so a second timer here would only add latency. Its events travel
//   as one JSON string (see wire()).
import { channelFor } from '../core/channel.ts';
import { PAYLOAD_CAP_BYTES, RELAY_RING_BYTES, RELAY_RING_MAX } from '../core/limits.ts';
import { HookEventSchema, PageToRelaySchema, PORT_RELAY, PROTOCOL_VERSION, parseWith, zeroDrops } from '../core/protocol.ts';
import type { DropCounters, HookEvent, RelayCommand, RelayToHub, SeqEvent } from '../core/protocol.ts';
import { EventRing } from '../core/event-ring.ts';

const channel = channelFor(__SA_CHANNEL__);
const doc = newDocId();
const ring = new EventRing(RELAY_RING_MAX, RELAY_RING_BYTES);
const drops: DropCounters = zeroDrops();
let seq = 0;
let port: chrome.runtime.Port | undefined;
let connectedOnce = false;
let pending: SeqEvent[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let contextAlive = true;

/**
 * A random id for this document. Not crypto.randomUUID(): it is [SecureContext] (WebCrypto
 * spec) and a content script gets its page's context, so on a plain-http page that is not
 * localhost it does not exist and the relay died on its first line, capturing nothing (seen in
 * Firefox ESR 153 and Chromium 156). getRandomValues is available in every context.
 */
function newDocId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const debug = (...args: unknown[]) => {
  if (__SA_DEBUG__) console.debug('[socket-autopsy relay]', ...args);
};

/**
 * The wire form of a message to the hub: a relay-events message carries its events as one JSON
 * string (`packed`, with `events` empty), which the hub turns back into the message it
 * validates (hub.ts unpackRelay). Chrome's extension messaging converts a message value by
 * value: in a CPU profile of 200,000 send() calls (bench/page.bench.ts) posting the events as
 * objects took 570 ms of the page's thread, as one string 370 ms, stringify included.
 */
function wire(msg: RelayToHub): RelayToHub | (Omit<Extract<RelayToHub, { type: 'relay-events' }>, 'events'> & { events: []; packed: string }) {
  if (msg.type !== 'relay-events' || msg.events.length === 0) return msg;
  return { type: msg.type, doc: msg.doc, drops: msg.drops, events: [], packed: JSON.stringify(msg.events) };
}

function post(msg: RelayToHub): boolean {
  if (!port) return false;
  try {
    port.postMessage(wire(msg));
    return true;
  } catch (err) {
    debug('post failed', err);
    port = undefined;
    return false;
  }
}

function connect(): void {
  if (!contextAlive || port) return;
  try {
    port = chrome.runtime.connect({ name: PORT_RELAY });
  } catch (err) {
    // "Extension context invalidated": the extension was reloaded or removed; stop quietly.
    contextAlive = false;
    debug('connect failed', err);
    return;
  }
  const replay = connectedOnce;
  connectedOnce = true;
  const own = port;
  own.onDisconnect.addListener(() => {
    void chrome.runtime.lastError;
    // A port we already replaced (pageshow below): nothing to do.
    if (port !== own) return;
    port = undefined;
    // The worker stopped (or is restarting): come back and replay. A document that is being
    // unloaded never gets here, and a restore from the bfcache reconnects on pageshow.
    setTimeout(connect, 50);
  });
  post({ type: 'relay-hello', v: PROTOCOL_VERSION, doc, replay });
  // Everything we still hold, oldest first; the hub ignores sequence numbers it already has.
  const all = ring.toArray();
  pending = [];
  sentDrops = '';
  for (let i = 0; i < all.length; i += 5000) sendBatch(all.slice(i, i + 5000));
  sendBatch([]);
}

let sentDrops = '';

/** Events per port message: well under RelayToHubSchema's 50,000. */
const POST_MAX = 10_000;

function sendBatch(events: SeqEvent[]): void {
  const now = { ...drops, evicted: drops.evicted + ring.evicted };
  const key = `${now.malformed}/${now.evicted}/${now.hook}`;
  // Send drop counts even with no events: a page that only sends garbage must still show up.
  if (events.length === 0 && key === sentDrops) return;
  if (post({ type: 'relay-events', doc, events, drops: now })) sentDrops = key;
}

function flush(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  const batch = pending;
  pending = [];
  if (batch.length <= POST_MAX) return sendBatch(batch);
  for (let i = 0; i < batch.length; i += POST_MAX) sendBatch(batch.slice(i, i + POST_MAX));
}

/** For drop counts alone (malformed input): one port message per burst of garbage. */
function schedule(): void {
  if (flushTimer === undefined) flushTimer = setTimeout(flush, 16);
}

// ---- checking the page's events ----
// The same rules as HookEventSchema's traffic variants (protocol.ts), written out: bounds,
// integer counts, finite times, known keys only (the output is a fresh object, so extra keys a
// forger adds never travel further).
const MAX_DATA = PAYLOAD_CAP_BYTES * 2; // protocol.ts: base64 of the cap is 4/3 of it
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isOptBool = (x: unknown): boolean => x === undefined || typeof x === 'boolean';
const isOptData = (x: unknown): boolean => x === undefined || (typeof x === 'string' && x.length <= MAX_DATA);

type Raw = Record<string, unknown>;

function checkTraffic(e: Raw): HookEvent | undefined {
  const { k, sid, n } = e;
  if (!isCount(sid) || !isCount(n)) return undefined;
  if (k === 'payload') {
    const { dir, data, trunc } = e;
    if ((dir !== 'send' && dir !== 'message') || typeof data !== 'string' || data.length > MAX_DATA || typeof trunc !== 'boolean') return undefined;
    return { k, sid, n, dir, data, trunc };
  }
  const { t, bin, size, data, trunc, later } = e;
  if (!isTime(t) || typeof bin !== 'boolean' || !isCount(size) || !isOptData(data) || !isOptBool(trunc) || !isOptBool(later)) return undefined;
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
  return ev;
}

function checkEvent(raw: unknown): HookEvent | string {
  if (typeof raw === 'object' && raw !== null) {
    const k = (raw as Raw).k;
    if (k === 'message' || k === 'send' || k === 'payload') return checkTraffic(raw as Raw) ?? `bad ${k} event`;
  }
  const ev = parseWith(HookEventSchema, raw);
  return ev.ok ? ev.value : ev.error;
}

function malformed(why: string): void {
  drops.malformed++;
  debug('malformed', why);
  schedule();
}

/** One batch from the hook: a JSON string of PageToRelay. */
function handle(detail: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return malformed('not JSON');
  }
  const batch = parseWith(PageToRelaySchema, parsed);
  if (!batch.ok) return malformed(batch.error);
  if (batch.value.dropped) drops.hook += batch.value.dropped;
  for (const raw of batch.value.events) {
    const ev = checkEvent(raw);
    if (typeof ev === 'string') {
      malformed(ev);
      continue;
    }
    const stamped: SeqEvent = { seq: seq++, ev };
    ring.push(stamped);
    pending.push(stamped);
  }
}

/** Batches received and not handled yet (see the top of this file). */
let inbox: string[] = [];
let drainQueued = false;

function drain(): void {
  drainQueued = false;
  const batches = inbox;
  inbox = [];
  for (const detail of batches) handle(detail);
  if (pending.length) flush();
}

function onPageEvent(e: Event): void {
  const detail = (e as CustomEvent<unknown>).detail;
  if (typeof detail !== 'string') return malformed('detail is not a string');
  inbox.push(detail);
  // pagehide and freeze: the document may be gone before any task of ours runs, so that batch
  // (and whatever waits before it) is handled and sent now. JSON escapes quotes inside strings,
  // so this text only occurs as a page event's own key.
  if (detail.includes('"k":"page"')) drain();
  else if (!drainQueued) {
    drainQueued = true;
    queueMicrotask(drain);
  }
}

/**
 * Alt+Shift+K opens the standalone viewer for this tab (the hub decides which tab from the
 * message's sender, never from anything in the page). Chosen because it is in neither browser's
 * published shortcut list (Firefox's web console is Ctrl+Shift+K; Chrome's Alt+Shift combinations
 * are T, B, I and A), so the page receives it and we do not shadow a browser command.
 * `event.code`, not `key`: on macOS Option+Shift+K types the Apple logo (U+F8FF), so `key` is
 * never "K" there.
 *
 * Only `isTrusted` events count: a page can dispatch a KeyboardEvent that looks identical, but
 * its isTrusted is false (DOM spec, "isTrusted"), so page script cannot open tabs through us.
 * Capture phase on window, registered at document_start before any page script, so a page
 * listener cannot stop it first. We never preventDefault: the page still gets its key.
 */
function onKeyDown(e: KeyboardEvent): void {
  if (!e.isTrusted || e.repeat || e.code !== 'KeyK' || !e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return;
  if (!contextAlive) return;
  const msg: RelayCommand = { type: 'relay-open-viewer', v: PROTOCOL_VERSION };
  try {
    // A one-shot message rather than the port: it wakes a stopped service worker / unloaded
    // Firefox event page even when the port is down and about to reconnect.
    chrome.runtime.sendMessage(msg, () => void chrome.runtime.lastError);
  } catch (err) {
    contextAlive = false;
    debug('open viewer failed', err);
  }
}

window.addEventListener(channel.page, onPageEvent);
// Tell the hook we listen, whether it started before us (it waits for this) or after us (it
// says hello, and we answer).
window.addEventListener(channel.hello, () => window.dispatchEvent(new CustomEvent(channel.ready)));
window.dispatchEvent(new CustomEvent(channel.ready));
window.addEventListener('keydown', onKeyDown, true);
window.addEventListener('pageshow', (e) => {
  if (!(e as PageTransitionEvent).persisted) return;
  // Back from the back/forward cache. Chromium closes a document's extension ports when it
  // enters the cache (an open one would keep it out: NotRestoredReason EmbedderExtensionMessaging)
  // and, seen in Chromium 156, this side's onDisconnect never fires for it: the port we still
  // hold is dead, and without this the restored page was never captured again
  // (e2e/bfcache.spec.ts). Drop it and connect anew; the hello says replay and the ring fills in
  // whatever the hub lacks.
  const stale = port;
  port = undefined;
  try {
    stale?.disconnect();
  } catch {
    // Already closed: that is the expected case.
  }
  connect();
});
connect();

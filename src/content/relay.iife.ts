// Isolated-world relay: takes the page hook's events, validates them, numbers them, keeps a
// bounded ring of them and forwards them in batches to the background hub over a long-lived
// port. The ring is what makes capture independent of DevTools and of the service worker:
// it starts at document_start, and when the worker is stopped (MV3 does that at will) the
// relay reconnects and replays it, and the hub drops what it already had by sequence number.
import { channelFor } from '../core/channel.ts';
import { RELAY_RING_MAX } from '../core/limits.ts';
import { HookEventSchema, PageToRelaySchema, PORT_RELAY, PROTOCOL_VERSION, parseWith, zeroDrops } from '../core/protocol.ts';
import type { DropCounters, RelayCommand, RelayToHub, SeqEvent } from '../core/protocol.ts';
import { EventRing } from '../core/event-ring.ts';

const channel = channelFor(__SA_CHANNEL__);
const doc = newDocId();
const ring = new EventRing(RELAY_RING_MAX);
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

function post(msg: RelayToHub): boolean {
  if (!port) return false;
  try {
    port.postMessage(msg);
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
  port.onDisconnect.addListener(() => {
    port = undefined;
    void chrome.runtime.lastError;
    // The worker stopped (or is restarting): come back and replay. A document that is being
    // unloaded never gets here, and pagehide with bfcache reconnects on pageshow.
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

function sendBatch(events: SeqEvent[]): void {
  const now = { ...drops, evicted: drops.evicted + ring.evicted };
  const key = `${now.malformed}/${now.evicted}/${now.hook}`;
  // Send drop counts even with no events: a page that only sends garbage must still show up.
  if (events.length === 0 && key === sentDrops) return;
  if (post({ type: 'relay-events', doc, events, drops: now })) sentDrops = key;
}

function flush(): void {
  flushTimer = undefined;
  const batch = pending;
  pending = [];
  sendBatch(batch);
}

function schedule(): void {
  // Batch across tasks: a chatty socket fires one message event per task, and one port
  // message per WebSocket message would cost more than the messages themselves.
  if (flushTimer === undefined) flushTimer = setTimeout(flush, 16);
}

function onPageEvent(e: Event): void {
  const detail = (e as CustomEvent<unknown>).detail;
  const malformed = (why: string) => {
    drops.malformed++;
    debug('malformed', why);
    schedule();
  };
  if (typeof detail !== 'string') return malformed('detail is not a string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return malformed('not JSON');
  }
  const batch = parseWith(PageToRelaySchema, parsed);
  if (!batch.ok) return malformed(batch.error);
  if (batch.value.dropped) drops.hook += batch.value.dropped;
  let urgent = false;
  for (const raw of batch.value.events) {
    const ev = parseWith(HookEventSchema, raw);
    if (!ev.ok) {
      malformed(ev.error);
      continue;
    }
    const stamped: SeqEvent = { seq: seq++, ev: ev.value };
    ring.push(stamped);
    pending.push(stamped);
    if (ev.value.k === 'page' && (ev.value.what === 'pagehide' || ev.value.what === 'freeze')) urgent = true;
  }
  if (urgent) {
    // The document may be gone before any timer fires.
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flush();
  } else schedule();
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
  if ((e as PageTransitionEvent).persisted && !port) connect();
});
connect();

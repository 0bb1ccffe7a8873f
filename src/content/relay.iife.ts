// Isolated-world relay: takes the page hook's events, checks them, numbers them, keeps a
// bounded ring of them and, while a panel watches this tab, forwards them in batches to the
// background hub over a long-lived port. The ring is what makes capture independent of DevTools
// and of the service worker: it starts at document_start; when a panel starts watching (DevTools
// opened late, the panel shown for the first time, a viewer tab) and when a stopped worker comes
// back (MV3 stops it at will), the relay replays it, and the hub drops what it already had by
// sequence number.
//
// Sleep: the relay opens no port at load. A port connecting wakes a stopped MV3 service worker,
// and Chrome stops an idle one after ~30 s ("The extension service worker lifecycle",
// https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/lifecycle): every
// frame of every tab reconnecting after each stop kept waking it for tabs nobody inspects
// (bench/idle.bench.ts). So the relay connects only when the hub asks (`hub-watch` by
// tabs.sendMessage, sent to every frame of a tab a panel watches), reconnects after a drop only
// while a panel watches, and once told no panel watches keeps its port until the worker's next
// stop, then stays quiet. The ring keeps capturing all along.
//
// Speed: a content script runs on the page's own main thread, so every microsecond spent here
// per message is the page's (bench/page.bench.ts). Hence:
// - nothing is forwarded while no panel watches the tab (the hub says so with `hub-watch`): no
//   stringify, no port message, and no validation, storage or IPC in the service worker and the
//   browser process, which on a 2-core machine is CPU taken from the page as well. Most tabs,
//   most of the time, are not being watched; the ring keeps what a panel will want when it comes.
// - a batch of message traffic alone (nearly every batch of a flood) is never parsed here: it is
//   kept as the hook's JSON text with its sequence numbers reserved and, while a panel watches,
//   forwarded as it is; the hub decodes and validates it in the service worker
//   (core/wire/relay-buffer.ts, core/wire/text-block.ts). Lifecycle events are parsed on arrival as always.
// - traffic that is parsed here (in a batch with lifecycle events) gets a hand-written check of
//   exactly the schema's rules (core/wire/event-check.ts) instead of a valibot parse per event. The
//   hub validates every event again, in the service worker: "validate at every boundary" holds.
// - a batch is handled in a microtask, not inside the page's dispatch: a page sending in a long
//   synchronous loop makes the hook flush every 2,000 events, and the page's loop then pays
//   only the hook's stringify, not our parse and ring (those run when its script returns). Not a
//   timer: under a flood, timers starve behind the message tasks (measured: batches reached the
//   panel ~300 ms late at 10,000 msg/s).
// - one port message per hook batch, sent as soon as the batch is handled: the hook already
//   gathers a burst (10 ms), so a second timer here would only add latency. Its events travel
//   as one JSON string (core/wire/wire.ts).
import { channelFor } from '../core/wire/channel.ts';
import { checkEvent } from '../core/wire/event-check.ts';
import { RELAY_RING_BYTES, RELAY_RING_MAX } from '../core/wire/limits.ts';
import { HubToRelaySchema, HubWakeSchema, PORT_RELAY, PROTOCOL_VERSION, parseWith, zeroDrops } from '../core/wire/protocol.ts';
import type { DropCounters, HookCommand, HubToRelay, RelayCommand, RelayToHub, SeqEvent, TextBlock } from '../core/wire/protocol.ts';
import { rawHeader } from '../core/wire/page-batch.ts';
import { isBlock, itemEvents, RelayBuffer, type BufferItem } from '../core/wire/relay-buffer.ts';
import { parseHookBatch } from '../core/wire/text-block.ts';
import { packRelay } from '../core/wire/wire.ts';
import { connectWithRetry, type RetryClient } from '../messaging/port.ts';
import { offerHiddenTraps } from './hidden-traps.ts';
import type { RelayToHubWire } from '../messaging/types.ts';

const channel = channelFor(__SA_CHANNEL__);
const doc = newDocId();
/**
 * The hook acts only on fault commands carrying this (page-hook/command.ts says why a page can
 * neither learn nor forge it). Given as the detail of our `ready` until the hook has spoken: its
 * first batch comes back inside that very dispatch (it flushes on `ready`), before any page script
 * ran, so a page's later `hello` gets a `ready` without it.
 */
const token = newDocId();
let hookHeard = false;
const buffer = new RelayBuffer(RELAY_RING_MAX, RELAY_RING_BYTES);
const drops: DropCounters = zeroDrops();
let seq = 0;
let connectedOnce = false;
/** The next connection is the one made on a restore from the back/forward cache. */
let restoring = false;
/** A panel watches this tab: forward events as they come (else the ring only keeps them). */
let watched = false;
/** The hub's last word: a panel watches this tab. Only then does a lost port come back. */
let wanted = false;
let pending: BufferItem[] = [];
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

/** False when the port is down (the message is dropped: the ring replays it, see the top). */
function post(msg: RelayToHub): boolean {
  return hub?.post(packRelay(msg)) ?? false;
}

/**
 * The port to the hub (messaging/port.ts), opened when the hub first asks (see the top). When
 * it drops while a panel watches (the worker stopped, or is restarting) it comes back 50 ms
 * later and the hub asks for a replay; when no panel watches it stays down. A document that is
 * being unloaded never reconnects, and a restore from the bfcache reconnects on pageshow.
 * While it is down, messages are dropped rather than queued: the ring holds them all.
 */
let hub: RetryClient<RelayToHubWire> | undefined;

function connect(): void {
  if (!contextAlive) return;
  if (hub) {
    if (!hub.connected) hub.reconnect();
    return;
  }
  hub = connectWithRetry<HubToRelay, RelayToHubWire>({
    name: PORT_RELAY,
    delayMs: 50,
    whileDown: 'drop',
    retry: () => wanted,
    onConnect(port) {
      const replay = connectedOnce;
      connectedOnce = true;
      // A new hub instance knows nothing of us: it says whether to forward once it has our hello.
      watched = false;
      pending = [];
      const hello: RelayToHub = { type: 'relay-hello', v: PROTOCOL_VERSION, doc, replay, born: performance.timeOrigin };
      if (restoring) hello.restored = true;
      restoring = false;
      port.post(packRelay(hello));
    },
    onMessage(raw) {
      const parsed = parseWith(HubToRelaySchema, raw);
      if (!parsed.ok) return debug('bad hub message', parsed.error);
      const msg = parsed.value;
      if (msg.type === 'hub-fault') {
        // For this frame's document only: after a navigation the hub may still name the last one.
        if (msg.doc === doc) window.dispatchEvent(new CustomEvent(channel.command, { detail: JSON.stringify({ token, cmd: msg.cmd } satisfies HookCommand) }));
        return;
      }
      wanted = msg.on;
      setWatched(msg.on);
    },
    onDisconnect(error) {
      debug('port closed', error);
      watched = false;
    },
    onGone(err) {
      // "Extension context invalidated": the extension was reloaded or removed; stop quietly.
      contextAlive = false;
      debug('connect failed', err);
    },
  });
}

/**
 * Starts or stops forwarding. Starting replays everything the ring holds, oldest first (the hub
 * ignores sequence numbers it already has), and marks the last batch `replayed` so the hub knows
 * when this document is complete.
 */
function setWatched(on: boolean): void {
  if (on === watched) return;
  watched = on;
  pending = [];
  if (!on) return;
  sentDrops = '';
  sendItems(buffer.items(), REPLAY_CHUNK);
  sendBatch([], true);
}

let sentDrops = '';

/** Events per port message: well under RelayToHubSchema's 50,000. */
const POST_MAX = 10_000;
/** Events per message of a replay: a 50,000-event ring goes in ten messages, not one huge one. */
const REPLAY_CHUNK = 5_000;

function sendBatch(items: BufferItem[], replayed = false): void {
  if (!watched) return;
  const now = { ...drops, evicted: drops.evicted + buffer.evicted };
  const key = `${now.malformed}/${now.evicted}/${now.hook}`;
  // Send drop counts even with no events: a page that only sends garbage must still show up.
  if (items.length === 0 && key === sentDrops && !replayed) return;
  const events: SeqEvent[] = [];
  const blocks: TextBlock[] = [];
  for (const item of items) {
    if (isBlock(item)) blocks.push(item);
    else events.push(item);
  }
  const msg: RelayToHub = { type: 'relay-events', doc, events, drops: now };
  if (blocks.length) msg.blocks = blocks;
  if (replayed) msg.replayed = true;
  if (post(msg)) sentDrops = key;
}

/** Sends `items` in port messages of at most about `maxEvents` events each. */
function sendItems(items: BufferItem[], maxEvents: number): void {
  let from = 0;
  let weight = 0;
  for (let i = 0; i < items.length; i++) {
    weight += itemEvents(items[i]!);
    if (weight >= maxEvents) {
      sendBatch(items.slice(from, i + 1));
      from = i + 1;
      weight = 0;
    }
  }
  if (from < items.length) sendBatch(from === 0 ? items : items.slice(from));
}

function flush(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  const batch = pending;
  pending = [];
  if (batch.length) sendItems(batch, POST_MAX);
  else sendBatch(batch);
}

/** For drop counts alone (malformed input): one port message per burst of garbage. */
function schedule(): void {
  if (watched && flushTimer === undefined) flushTimer = setTimeout(flush, 16);
}

function malformed(why: string): void {
  drops.malformed++;
  debug('malformed', why);
  schedule();
}

/** A hook batch's events, unchecked, or why the batch is unusable; counts the hook's drops. */
function parseBatch(detail: string): unknown[] | string {
  const batch = parseHookBatch(detail);
  if (typeof batch === 'string') return batch;
  drops.hook += batch.dropped;
  return batch.events;
}

/**
 * A batch of traffic alone, kept and forwarded as it came: unparsed, its sequence numbers
 * reserved (core/wire/relay-buffer.ts says why; the hub decodes and checks it). False for anything else.
 */
function keepAsText(detail: string): boolean {
  const count = rawHeader(detail, PROTOCOL_VERSION);
  if (count === undefined) return false;
  const block: TextBlock = { from: seq, count, text: detail };
  seq += count;
  buffer.pushText(block);
  if (watched) pending.push(block);
  return true;
}

/** One batch from the hook: a JSON string of PageToRelay. */
function handle(detail: string): void {
  if (keepAsText(detail)) return;
  const events = parseBatch(detail);
  if (typeof events === 'string') return malformed(events);
  for (const raw of events) {
    const ev = checkEvent(raw);
    if (typeof ev === 'string') {
      malformed(ev);
      continue;
    }
    const stamped: SeqEvent = { seq: seq++, ev };
    buffer.push(stamped);
    if (watched) pending.push(stamped);
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
  if (!hookHeard) stopOfferingTraps();
  hookHeard = true;
  const detail = (e as CustomEvent<unknown>).detail;
  if (typeof detail !== 'string') return malformed('detail is not a string');
  // Nobody watches and nothing waits before it: keep it as text now, no microtask needed. (While
  // a panel watches, the microtask is what keeps the port message out of a page's send loop.)
  if (!watched && inbox.length === 0 && keepAsText(detail)) return;
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

const ready = (): boolean => window.dispatchEvent(new CustomEvent(channel.ready, { detail: hookHeard ? null : token }));
const onHello = (): void => void ready();
function listen(): void {
  window.addEventListener(channel.page, onPageEvent);
  // Tell the hook we listen, whether it started before us (it waits for this) or after us (it
  // says hello, and we answer).
  window.addEventListener(channel.hello, onHello);
  window.addEventListener('keydown', onKeyDown, true);
  window.addEventListener('pageshow', onPageShow);
}
const stopOfferingTraps = offerHiddenTraps(channel.traps);
listen();
ready();
// The hook started before us (it answered `ready` at once): its question went unheard.
if (hookHeard) stopOfferingTraps();
// document.open() erases every listener of the window, an isolated world's too (HTML, "document
// open steps"), and the hook goes on sending to no one. It also empties the document, which a
// mutation observer (not a listener: it survives) sees; adding the same listeners again is a
// no-op where they were not erased (DOM Standard, "add an event listener"). The observer's
// callback runs as a microtask, before the hook's next flush, which normally waits for a timer (emit.ts).
try {
  new MutationObserver(listen).observe(document, { childList: true });
} catch (err) {
  debug('no mutation observer', err);
}

/**
 * The hub's wake (protocol.ts HubWakeSchema), sent to every frame of a tab a panel watches. Only
 * from our own background: sender.id is this extension and there is no sender.tab (a content
 * script of ours, in some page, has one). Answered, so the hub knows the tab has a relay at all.
 */
function onRuntimeMessage(raw: unknown, sender: chrome.runtime.MessageSender, reply: (r: unknown) => void): boolean {
  if (sender.id !== chrome.runtime.id || sender.tab) return false;
  const parsed = parseWith(HubWakeSchema, raw);
  if (!parsed.ok) {
    debug('bad hub wake', parsed.error);
    return false;
  }
  if (parsed.value.on) {
    wanted = true;
    connect();
  }
  reply(true);
  return false;
}
try {
  chrome.runtime.onMessage.addListener(onRuntimeMessage);
} catch (err) {
  contextAlive = false;
  debug('no runtime', err);
}
function onPageShow(e: Event): void {
  if (!(e as PageTransitionEvent).persisted) return;
  // Back from the back/forward cache. Chromium closes a document's extension ports when it
  // enters the cache (an open one would keep it out: NotRestoredReason EmbedderExtensionMessaging)
  // and, seen in Chromium 156, this side's onDisconnect never fires for it: the port we still
  // hold is dead, and without this the restored page was never captured again
  // (e2e/bfcache.spec.ts). Drop it and connect anew; the hello says replay and the ring fills in
  // whatever the hub lacks.
  if (!contextAlive) return;
  restoring = true;
  // Nobody watches: forget the dead port; the hub's next wake connects, saying `restored`.
  if (wanted) hub?.reconnect();
  else hub?.close();
  if (!wanted) hub = undefined;
}

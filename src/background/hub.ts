// Background hub: a thin router and bounded store keyed by tab. Relays (one per document)
// push sequenced events in; panels subscribe to one tab and get a snapshot, then updates.
// It only accepts ports from our own content scripts and extension pages, validates every
// message, and never sends one tab's data to another tab's panel.
//
// Chrome runs this as an MV3 service worker, Firefox as an event page (`background.scripts`,
// scripts/manifest-for.ts). Both unload it when idle and drop its ports: all state here is a
// cache that the relays' replay rebuilds, and every listener is registered synchronously at the
// top level so that the event that wakes the background is delivered to it.
import {
  PanelToHubSchema,
  PORT_PANEL,
  PORT_RELAY,
  PROTOCOL_VERSION,
  RelayCommandSchema,
  parseWith,
} from '../core/wire/protocol.ts';
import type { DocEvents, DocInfo, HubToPanel, PanelToHub, RelayToHub } from '../core/wire/protocol.ts';
import { packHub, unpack } from '../core/wire/wire.ts';
import { dispatch, type Handlers } from '../messaging/handlers.ts';
import { TypedPort, type PortLike } from '../messaging/port.ts';
import type { PanelPort, RelayPort } from '../messaging/types.ts';
import { startDeep } from './deep-hub.ts';
import { FaultRouter } from './faults.ts';
import { NetBook } from './net-book.ts';
import { hasNetAccess, observeNetwork } from './net-observer.ts';
import { persistNet } from './net-persist.ts';
import { parseRelay } from './relay-parse.ts';
import { TabStore } from './tab-store.ts';
import { WakeLoop, wakeTab } from './wake.ts';
import { Watching, type Tell } from './watch.ts';

const store = new TabStore();
const net = new NetBook();
const panels = new Map<number, Set<PanelPort>>();
const ownOrigin = chrome.runtime.getURL('');

const debug = (...args: unknown[]) => {
  if (__SA_DEBUG__) console.debug('[socket-autopsy hub]', ...args);
};

function send(tabId: number, msg: HubToPanel): void {
  const set = panels.get(tabId);
  if (!set?.size) return;
  const wire = packHub(msg);
  for (const p of set) {
    // A port that cannot take a message is gone: its panel resubscribes when it comes back.
    if (!p.post(wire)) panels.get(tabId)?.delete(p);
  }
}

// Which of our documents a network request came from: Chrome names the browser's document of a
// request (webRequest details.documentId) and of a relay port (sender.documentId). A request can
// be seen before its document's relay said hello (the port connects asynchronously): it is
// attributed when the hello comes (NetBook.attribute). Firefox names no document: its requests
// are matched by URL, order and outcome alone (core/network/net-match.ts), never guessed from the frame,
// whose previous document may still be the one we know.
const docByBrowserDoc = new Map<string, string>();

const netSaved = persistNet(net, debug);

/** Network changes go out in one message per tab every so often: a retry storm makes thousands. */
const NET_FLUSH_MS = 50;
let netFlush: ReturnType<typeof setTimeout> | undefined;
function flushNet(): void {
  netFlush = undefined;
  for (const tabId of net.tabsWithChanges()) {
    netSaved.changed(tabId);
    const changed = net.takeChanged(tabId);
    // Only what a panel watches leaves the background; the rest waits in the book (bounded).
    if (changed && panels.get(tabId)?.size) send(tabId, { type: 'hub-net', ...changed });
  }
}

observeNetwork(
  {
    docFor(_tabId, _frameId, documentId) {
      return documentId ? docByBrowserDoc.get(documentId) : undefined;
    },
  },
  (tabId, patch) => {
    net.apply(tabId, patch);
    netFlush ??= setTimeout(flushNet, NET_FLUSH_MS);
  },
);

function update(tabId: number, docs: DocInfo[], batches: DocEvents[]): void {
  if (!panels.get(tabId)?.size) return;
  send(tabId, { type: 'hub-update', docs, batches });
}

// Deep capture (Chrome): workers' hooks become documents of the tab and their batches take the
// relays' validation path; the network layer's events join webRequest's in the NetBook.
const deep = startDeep({
  store,
  update,
  send,
  parseRelay: (raw) => parseRelay(raw, debug),
  net(tabId, patch) {
    net.apply(tabId, patch);
    netFlush ??= setTimeout(flushNet, NET_FLUSH_MS);
  },
});

// A subscription waits for its tab's relays before it gets its snapshot: they connect only once
// woken (wake.ts), and a snapshot sent at once would be empty and, since a snapshot replaces the
// panel's state, blank the panel until they replayed. The same holds after a restart of this
// background (Firefox unloads an idle event page, Chrome stops an idle worker, both after ~30 s):
// its store is empty until the relays replay. So: wake the tab, then wait until its relays are
// connected, have replayed and gone quiet; not at all when no relay answered the wake.
const RELAY_QUIET_MS = 150;
/** The longest a subscription waits for relays to replay before it gets what there is. */
const REPLAY_WAIT_MAX_MS = 3000;
/** When a relay of the tab last spoke to this hub instance. */
const lastRelayAt = new Map<number, number>();

// Which tabs are watched, and the relays to tell (watch.ts says how forwarding is switched).
const watching = new Watching<RelayPort, PanelPort>();
const faults = new FaultRouter<RelayPort>();
const wakeLoop = new WakeLoop(() => watching.watchedTabs());

function tell(tabId: number, tells: Tell<RelayPort>[]): void {
  for (const t of tells) {
    if (!t.relay.post({ type: 'hub-watch', on: t.on })) watching.unreachable(tabId, t.relay);
  }
}

/** The tab's relays are woken and have replayed what a new subscriber needs (or it waited long enough). */
async function relaysReplayed(tabId: number): Promise<void> {
  const asked = Date.now();
  const reached = await wakeTab(tabId);
  return new Promise((resolve) => {
    const check = () => {
      const now = Date.now();
      const quiet = now - (lastRelayAt.get(tabId) ?? 0) >= RELAY_QUIET_MS;
      const ready = !watching.replaying(tabId) && (!reached || (watching.hasRelays(tabId) && quiet));
      if (ready || now - asked >= REPLAY_WAIT_MAX_MS) resolve();
      else setTimeout(check, 20);
    };
    check();
  });
}

/** One relay port: the tab and frame its sender names, and the document it said hello for. */
interface RelayConn {
  port: RelayPort;
  sender: chrome.runtime.MessageSender;
  tabId: number;
  frameId: number;
  doc: string | undefined;
}

/** Each relay message, validated (parseRelay). `rejected`: sequence numbers of refused events. */
const relayHandlers: Handlers<RelayToHub, { conn: RelayConn; rejected: number[] }> = {
  'relay-hello'(msg, { conn }) {
    const { tabId, sender } = conn;
    conn.doc = msg.doc;
    const browserDoc = (sender as { documentId?: string }).documentId;
    if (browserDoc) {
      docByBrowserDoc.set(browserDoc, msg.doc);
      net.attribute(tabId, browserDoc, msg.doc);
      netFlush ??= setTimeout(flushNet, NET_FLUSH_MS);
    }
    const { removed } = store.hello(tabId, msg.doc, conn.frameId, sender.url ?? '', msg.replay, msg.restored, msg.born);
    if (removed.length) {
      net.forgetDocs(tabId, removed);
      netSaved.changed(tabId);
      // The new page began at its own start; a page restored from the back/forward cache began
      // long ago but is back only now: what DevTools logged before now was the page we left.
      const since = msg.restored ? Date.now() : msg.born;
      send(tabId, { type: 'hub-cleared', keepDocs: store.docIds(tabId), ...(since !== undefined ? { since } : {}) });
      // The panel's Clear forgets every observation: what the tab still has comes again.
      send(tabId, { type: 'hub-net', ...net.snapshot(tabId) });
    }
    const info = store.docInfo(tabId, msg.doc);
    if (info) update(tabId, [info], []);
    tell(tabId, [watching.addRelay(tabId, conn.port)]);
    faults.addRelay(tabId, conn.port, msg.doc);
  },
  'relay-events'(msg, { conn, rejected }) {
    const { tabId } = conn;
    // A port speaks for one document only: the one it said hello for.
    if (msg.doc !== conn.doc) return;
    if (msg.replayed) watching.replayed(tabId, conn.port);
    const fresh = store.events(tabId, msg.doc, msg.events, msg.drops, rejected);
    const info = store.docInfo(tabId, msg.doc);
    if (fresh && info) update(tabId, [info], fresh.length ? [{ doc: msg.doc, events: fresh }] : []);
  },
};

function onRelay(port: RelayPort): void {
  const sender = port.sender;
  const tabId = sender?.tab?.id;
  if (sender?.id !== chrome.runtime.id || typeof tabId !== 'number' || tabId < 0) {
    debug('refused relay port', sender);
    port.disconnect();
    return;
  }
  const conn: RelayConn = { port, sender, tabId, frameId: sender.frameId ?? 0, doc: undefined };
  port.onMessage((raw) => {
    lastRelayAt.set(tabId, Date.now());
    const parsed = parseRelay(unpack(raw, 'events'), debug);
    if ('error' in parsed) {
      debug('bad relay message', parsed.error);
      return;
    }
    dispatch(relayHandlers, parsed.msg, { conn, rejected: parsed.rejected });
  });
  port.onDisconnect(() => {
    const { doc } = conn;
    const browserDoc = (sender as { documentId?: string }).documentId;
    if (browserDoc && docByBrowserDoc.get(browserDoc) === doc) docByBrowserDoc.delete(browserDoc);
    watching.removeRelay(tabId, port);
    faults.removeRelay(tabId, port);
    if (!doc) return;
    const info = store.markGone(tabId, doc);
    if (info) update(tabId, [info], []);
  });
}

/** One panel port: the tab it subscribed to, and whether it is still open. */
interface PanelConn {
  port: PanelPort;
  tabId: number | undefined;
  open: boolean;
}

/** Each panel message, validated with PanelToHubSchema. */
const panelHandlers: Handlers<PanelToHub, PanelConn> = {
  'panel-subscribe'(msg, conn) {
    const { port } = conn;
    if (conn.tabId !== undefined) unwatch(conn.tabId, port);
    const wanted = (conn.tabId = msg.tabId);
    store.setPreserveLog(wanted, msg.preserveLog);
    tell(wanted, watching.setWatcher(wanted, port, true));
    wakeLoop.update();
    const subscribe = (netAccess: boolean) => {
      // Gone, or subscribed to another tab, while we waited.
      if (!conn.open || conn.tabId !== wanted) return;
      let set = panels.get(wanted);
      if (!set) panels.set(wanted, (set = new Set()));
      set.add(port);
      const snap = store.snapshot(wanted);
      // The largest message of all (up to the tab's whole store): packed like every other.
      const snapshot: HubToPanel = { type: 'hub-snapshot', v: PROTOCOL_VERSION, tabId: wanted, ...snap, ...net.snapshot(wanted), netAccess };
      if (!port.post(packHub(snapshot))) set.delete(port);
      const deepNow = deep?.report(wanted);
      if (deepNow && deepNow.state !== 'off') port.post({ type: 'hub-deep', ...deepNow });
    };
    void relaysReplayed(wanted)
      .then(() => netSaved.loaded)
      .then(hasNetAccess)
      .then(subscribe);
  },
  'panel-clear'(_msg, { tabId }) {
    if (tabId === undefined) return;
    const keepDocs = store.clear(tabId);
    net.clear(tabId);
    netSaved.forget(tabId);
    send(tabId, { type: 'hub-cleared', keepDocs });
  },
  'panel-preserve-log'(msg, { tabId }) {
    if (tabId === undefined) return;
    store.setPreserveLog(tabId, msg.on);
  },
  // A fault for a document of the watched tab (faults.ts), never of another tab: conn.tabId is
  // the panel's own subscription.
  'panel-fault'(msg, { port, tabId }) {
    if (tabId === undefined) return;
    const sends = faults.route(tabId, msg.doc, msg.cmd);
    const sent = sends.filter((f) => f.relay.post({ type: 'hub-fault', doc: f.doc, cmd: f.cmd })).length;
    if (!sent) port.post({ type: 'hub-fault-refused', doc: msg.doc, op: msg.cmd.op, error: sends.length ? 'unreachable' : 'no-document' });
  },
  // Deep capture of the panel's own tab only (deep-hub.ts).
  'panel-deep'(msg, { port, tabId }) {
    if (tabId === undefined) return;
    if (!deep) port.post({ type: 'hub-deep', state: 'error', error: 'unsupported' });
    else void deep.set(tabId, msg.on);
  },
};

/** A panel stops watching `tabId`; the last one to go undoes the faults sent to the tab. */
function unwatch(tabId: number, port: PanelPort): void {
  panels.get(tabId)?.delete(port);
  tell(tabId, watching.setWatcher(tabId, port, false));
  if (watching.watched(tabId)) return;
  // Nobody left to show it: the debugger goes (and Chrome's bar with it).
  if (deep?.report(tabId).state !== 'off') void deep?.set(tabId, false);
  for (const f of faults.undo(tabId)) f.relay.post({ type: 'hub-fault', doc: f.doc, cmd: f.cmd });
}

function onPanel(port: PanelPort): void {
  const sender = port.sender;
  // Only our own extension pages (the DevTools panel, the standalone viewer) may subscribe.
  if (sender?.id !== chrome.runtime.id || !sender.url?.startsWith(ownOrigin)) {
    debug('refused panel port', sender);
    port.disconnect();
    return;
  }
  const conn: PanelConn = { port, tabId: undefined, open: true };
  port.onMessage((raw) => {
    const parsed = parseWith(PanelToHubSchema, raw);
    if (!parsed.ok) {
      debug('bad panel message', parsed.error);
      return;
    }
    dispatch(panelHandlers, parsed.value, conn);
  });
  port.onDisconnect(() => {
    conn.open = false;
    if (conn.tabId !== undefined) unwatch(conn.tabId, port);
    wakeLoop.update();
  });
}

chrome.runtime.onConnect.addListener((raw: PortLike) => {
  // Every accepted port is wrapped (messaging/port.ts): sends go through post, which turns a
  // throwing postMessage into `false`, and onDisconnect reads runtime.lastError.
  if (raw.name === PORT_RELAY) onRelay(new TypedPort(raw));
  else if (raw.name === PORT_PANEL) onPanel(new TypedPort(raw));
  else raw.disconnect();
});

/** The panel page, which runs standalone when given `?tab=<id>` (src/panel/host.ts). */
const VIEWER_PAGE = 'src/panel/panel.html';

/**
 * Opens the standalone viewer bound to `tab`, right after it in the same window. The one path
 * for the toolbar button and the keyboard shortcut. It needs no permission: the tab comes from
 * the event (action.onClicked, or the sender of our own content script's message), and
 * tabs.create of our own page is allowed to every extension.
 */
async function openViewer(tab: chrome.tabs.Tab): Promise<void> {
  const tabId = tab.id;
  if (typeof tabId !== 'number' || tabId < 0) return;
  await chrome.tabs.create({
    url: chrome.runtime.getURL(`${VIEWER_PAGE}?tab=${tabId}`),
    windowId: tab.windowId,
    index: tab.index + 1,
    openerTabId: tabId,
  });
}

// The toolbar button has no popup, so a click arrives here with the active tab.
chrome.action.onClicked.addListener((tab) => {
  openViewer(tab).catch((err: unknown) => debug('open viewer failed', err));
});

chrome.runtime.onMessage.addListener((raw: unknown, sender) => {
  // Only our content scripts: they are in a tab and not on one of our own pages (an extension
  // page in a tab has a sender.tab too).
  if (sender.id !== chrome.runtime.id || !sender.tab || sender.url?.startsWith(ownOrigin)) {
    debug('refused message', sender);
    return;
  }
  const parsed = parseWith(RelayCommandSchema, raw);
  if (!parsed.ok) {
    debug('bad relay command', parsed.error);
    return;
  }
  if (parsed.value.type === 'relay-open-viewer') {
    openViewer(sender.tab).catch((err: unknown) => debug('open viewer failed', err));
  }
  // No reply: returning nothing closes the channel at once.
});

chrome.tabs.onRemoved.addListener((tabId) => {
  store.removeTab(tabId);
  net.removeTab(tabId);
  netSaved.forget(tabId);
  panels.delete(tabId);
  watching.removeTab(tabId);
  faults.removeTab(tabId);
  deep?.removeTab(tabId);
  wakeLoop.update();
  lastRelayAt.delete(tabId);
});

// Debug builds expose the store to the worker's console (and to e2e diagnostics).
if (__SA_DEBUG__) (globalThis as { __saStore?: TabStore }).__saStore = store;

// Background hub: a thin router and bounded store keyed by tab. Relays (one per document)
// push sequenced events in; panels subscribe to one tab and get a snapshot, then updates.
// It only accepts ports from our own content scripts and extension pages, validates every
// message, and never sends one tab's data to another tab's panel.
import { PanelToHubSchema, PORT_PANEL, PORT_RELAY, PROTOCOL_VERSION, RelayToHubSchema, parseWith } from '../core/protocol.ts';
import type { DocEvents, DocInfo, HubToPanel } from '../core/protocol.ts';
import { TabStore } from './tab-store.ts';

const store = new TabStore();
const panels = new Map<number, Set<chrome.runtime.Port>>();
const ownOrigin = chrome.runtime.getURL('');

const debug = (...args: unknown[]) => {
  if (__SA_DEBUG__) console.debug('[socket-autopsy hub]', ...args);
};

function send(tabId: number, msg: HubToPanel): void {
  for (const p of panels.get(tabId) ?? []) {
    try {
      p.postMessage(msg);
    } catch {
      panels.get(tabId)?.delete(p);
    }
  }
}

function update(tabId: number, docs: DocInfo[], batches: DocEvents[]): void {
  if (!panels.get(tabId)?.size) return;
  send(tabId, { type: 'hub-update', docs, batches });
}

function onRelay(port: chrome.runtime.Port): void {
  const sender = port.sender;
  const tabId = sender?.tab?.id;
  if (sender?.id !== chrome.runtime.id || typeof tabId !== 'number' || tabId < 0) {
    debug('refused relay port', sender);
    port.disconnect();
    return;
  }
  const frameId = sender.frameId ?? 0;
  let doc: string | undefined;
  port.onMessage.addListener((raw: unknown) => {
    const parsed = parseWith(RelayToHubSchema, raw);
    if (!parsed.ok) {
      debug('bad relay message', parsed.error);
      return;
    }
    const msg = parsed.value;
    if (msg.type === 'relay-hello') {
      doc = msg.doc;
      const { removed } = store.hello(tabId, msg.doc, frameId, sender.url ?? '', msg.replay);
      if (removed.length) send(tabId, { type: 'hub-cleared', keepDocs: [] });
      const info = store.docInfo(tabId, msg.doc);
      if (info) update(tabId, [info], []);
      return;
    }
    // A port speaks for one document only: the one it said hello for.
    if (msg.doc !== doc) return;
    const fresh = store.events(tabId, msg.doc, msg.events, msg.drops);
    const info = store.docInfo(tabId, msg.doc);
    if (fresh && info) update(tabId, [info], fresh.length ? [{ doc: msg.doc, events: fresh }] : []);
  });
  port.onDisconnect.addListener(() => {
    void chrome.runtime.lastError;
    if (!doc) return;
    const info = store.markGone(tabId, doc);
    if (info) update(tabId, [info], []);
  });
}

function onPanel(port: chrome.runtime.Port): void {
  const sender = port.sender;
  // Only our own extension pages (the DevTools panel, the standalone viewer) may subscribe.
  if (sender?.id !== chrome.runtime.id || !sender.url?.startsWith(ownOrigin)) {
    debug('refused panel port', sender);
    port.disconnect();
    return;
  }
  let tabId: number | undefined;
  port.onMessage.addListener((raw: unknown) => {
    const parsed = parseWith(PanelToHubSchema, raw);
    if (!parsed.ok) {
      debug('bad panel message', parsed.error);
      return;
    }
    const msg = parsed.value;
    if (msg.type === 'panel-subscribe') {
      if (tabId !== undefined) panels.get(tabId)?.delete(port);
      tabId = msg.tabId;
      let set = panels.get(tabId);
      if (!set) panels.set(tabId, (set = new Set()));
      set.add(port);
      store.setPreserveLog(tabId, msg.preserveLog);
      const snap = store.snapshot(tabId);
      port.postMessage({ type: 'hub-snapshot', v: PROTOCOL_VERSION, tabId, ...snap } satisfies HubToPanel);
      return;
    }
    if (tabId === undefined) return;
    if (msg.type === 'panel-clear') {
      const keepDocs = store.clear(tabId);
      send(tabId, { type: 'hub-cleared', keepDocs });
    } else if (msg.type === 'panel-preserve-log') {
      store.setPreserveLog(tabId, msg.on);
    }
  });
  port.onDisconnect.addListener(() => {
    void chrome.runtime.lastError;
    if (tabId !== undefined) panels.get(tabId)?.delete(port);
  });
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === PORT_RELAY) onRelay(port);
  else if (port.name === PORT_PANEL) onPanel(port);
  else port.disconnect();
});

chrome.tabs.onRemoved.addListener((tabId) => {
  store.removeTab(tabId);
  panels.delete(tabId);
});

// Debug builds expose the store to the worker's console (and to e2e diagnostics).
if (__SA_DEBUG__) (globalThis as { __saStore?: TabStore }).__saStore = store;

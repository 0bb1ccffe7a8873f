// A tab of the extension's panel page that plays the panel over the real port: subscribed to
// the other tab of the context, it collects every hub message (window.__msgs) and every event
// in them (window.__events, each with its doc), and keeps the port (window.__port) and the
// watched tab id (window.__tab) for the spec to post to.
import type { BrowserContext, Page } from 'playwright-core';
import { PORT_PANEL } from '../../src/core/wire/protocol.ts';

export async function extensionId(context: BrowserContext): Promise<string> {
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return new URL(sw.url()).host;
}

/** The extension page that plays the panel: subscribed to the other tab, collecting events and messages. */
export async function panelFor(context: BrowserContext): Promise<Page> {
  const id = await extensionId(context);
  const viewer = await context.newPage();
  await viewer.goto(`chrome-extension://${id}/src/panel/panel.html`);
  await viewer.evaluate(async (PORT) => {
    const me = await chrome.tabs.getCurrent();
    const tabs = await chrome.tabs.query({});
    const tabId = tabs.find((t) => t.id !== me!.id)!.id!;
    const w = window as unknown as { __msgs: unknown[]; __events: unknown[]; __port: chrome.runtime.Port; __tab: number };
    w.__msgs = [];
    w.__events = [];
    w.__tab = tabId;
    const port = chrome.runtime.connect({ name: PORT });
    port.onMessage.addListener((m: { packed?: string; batches?: Array<{ doc: string; events: Array<{ ev: object }> }> }) => {
      w.__msgs.push(m);
      const batches = m.packed ? JSON.parse(m.packed) : (m.batches ?? []);
      for (const b of batches) for (const e of b.events) w.__events.push({ doc: b.doc, ...e.ev });
    });
    port.postMessage({ type: 'panel-subscribe', v: 1, tabId, preserveLog: false });
    w.__port = port;
  }, PORT_PANEL);
  return viewer;
}

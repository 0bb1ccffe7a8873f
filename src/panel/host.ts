// The only module of the panel that touches extension APIs: finds which tab we inspect,
// which theme DevTools uses, and keeps a port to the hub open (reconnecting when the
// service worker is stopped), feeding what arrives into the store after validation.
import { PORT_PANEL, PROTOCOL_VERSION } from '../core/wire/protocol.ts';
import type { PanelToHub } from '../core/wire/protocol.ts';
import { parseHubToPanel } from '../core/wire/wire.ts';
import { connectWithRetry, type RetryClient } from '../messaging/port.ts';
import type { HubToPanelWire } from '../messaging/types.ts';
import { deepChecked, type PanelPlace } from './deep.ts';
import { watchDevtoolsNetwork } from './devtools-network.ts';
import type { PanelStore } from './store.ts';

export type Theme = 'light' | 'dark';

export interface Host {
  /** Tab whose sockets we show, or undefined when there is none to show. */
  tabId: number | undefined;
  /** Inside DevTools (as opposed to the standalone viewer in a tab). */
  inDevTools: boolean;
  theme: Theme;
  locale: string;
  /**
   * `chrome`: Chrome's DevTools panel (deep capture is there: chrome.debugger); `firefox`: a
   * Firefox extension page (panel or viewer tab); `file`: anything else (a viewer).
   */
  place: PanelPlace;
  send(msg: PanelToHub): void;
  /**
   * Asks the user for the host permission that network details need. Resolves true when granted
   * (then the panel resubscribes), false when refused, undefined when this page cannot ask
   * (Firefox's DevTools panels lack the permissions API: the viewer tab can).
   */
  requestNetAccess(): Promise<boolean | undefined>;
  /** Calls `fn` when the user switches DevTools' theme while the panel is open. */
  onThemeChange(fn: (theme: Theme) => void): void;
}

type ThemeApi = {
  setThemeChangeHandler?: (cb?: (name: string) => void) => void;
  onThemeChanged?: { addListener(cb: (name: string) => void): void };
};

const debug = (...args: unknown[]) => {
  if (__SA_DEBUG__) console.debug('[socket-autopsy panel]', ...args);
};

function inspectedTabId(): { tabId: number | undefined; inDevTools: boolean } {
  const devtools = typeof chrome !== 'undefined' ? chrome.devtools : undefined;
  if (devtools?.inspectedWindow) return { tabId: devtools.inspectedWindow.tabId, inDevTools: true };
  const q = new URLSearchParams(location.search).get('tab');
  const n = q === null ? NaN : Number(q);
  return { tabId: Number.isInteger(n) ? n : undefined, inDevTools: false };
}

/**
 * Firefox or Chrome, from our own manifest: the Firefox build's carries browser_specific_settings
 * (scripts/manifest-for.ts), Chrome's never does; the code is the same for both builds. Chrome
 * only inside DevTools: deep capture belongs to the panel (closing it detaches), not the viewer tab.
 */
function placeOf(inDevTools: boolean): PanelPlace {
  const manifest = typeof chrome !== 'undefined' ? (chrome.runtime?.getManifest?.() as { browser_specific_settings?: unknown } | undefined) : undefined;
  if (manifest?.browser_specific_settings) return 'firefox';
  return inDevTools ? 'chrome' : 'file';
}

function theme(inDevTools: boolean): Theme {
  // DevTools tells extension panels its theme; standalone pages follow the OS.
  const name = inDevTools ? chrome.devtools.panels.themeName : undefined;
  if (name) return name === 'dark' ? 'dark' : 'light';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function startHost(store: PanelStore): Host {
  const { tabId, inDevTools } = inspectedTabId();
  // The port to the hub (messaging/port.ts). When the service worker is stopped it drops: we
  // wake the worker by connecting again 100 ms later, and the new subscription's snapshot
  // replaces our state. What the user does meanwhile (Clear, preserve log) is queued and sent,
  // in order, after the subscription: a handful of clicks at most.
  let hub: RetryClient<PanelToHub> | undefined;
  if (tabId !== undefined) {
    hub = connectWithRetry<HubToPanelWire, PanelToHub>({
      name: PORT_PANEL,
      delayMs: 100,
      whileDown: 'queue',
      onConnect(port) {
        port.post({ type: 'panel-subscribe', v: PROTOCOL_VERSION, tabId, preserveLog: store.preserveLog });
        store.setConnected(true);
        // After a reconnect the hub may be a restarted service worker that holds no debugger for
        // this tab: ask again (the hub treats a second `on` for an attached tab as a no-op).
        if (deepChecked(store.deep)) port.post({ type: 'panel-deep', on: true });
      },
      onMessage(raw) {
        // Packed events (core/wire/wire.ts), each validated; the envelope with the schema.
        const parsed = parseHubToPanel(raw);
        if (!parsed.ok) {
          debug('bad hub message', parsed.error);
          return;
        }
        if (parsed.rejected) debug('hub events that failed validation', parsed.rejected);
        store.receive(parsed.value, raw);
      },
      onDisconnect(error) {
        debug('port closed', error);
        store.setConnected(false);
      },
      onGone(err) {
        // The extension was reloaded or removed: this page is an orphan, nothing will answer.
        debug('connect failed', err);
        store.setConnected(false);
      },
    });
  }
  // Fault commands go out on the same port, queued in order like the rest while it reconnects.
  const faultPort = hub;
  if (faultPort) store.post = (msg) => faultPort.post(msg);
  // DevTools' own network log: what a failed upgrade answered (Chromium's webRequest does not say).
  if (inDevTools) watchDevtoolsNetwork((obs) => store.addDevtoolsNet(obs));

  return {
    tabId,
    inDevTools,
    theme: theme(inDevTools),
    place: placeOf(inDevTools),
    // A plain web page (the viewer built for the web) has no `chrome` at all in Firefox.
    locale: (typeof chrome !== 'undefined' ? chrome.i18n?.getUILanguage?.() : undefined) ?? navigator.language,
    onThemeChange(fn) {
      if (!inDevTools) {
        matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => fn(e.matches ? 'dark' : 'light'));
        return;
      }
      // Chrome offers a setter (setThemeChangeHandler), Firefox an event (onThemeChanged).
      const panels = chrome.devtools.panels as unknown as ThemeApi;
      const cb = (name: string) => fn(name === 'dark' ? 'dark' : 'light');
      if (panels.setThemeChangeHandler) panels.setThemeChangeHandler(cb);
      else panels.onThemeChanged?.addListener(cb);
    },
    async requestNetAccess() {
      const permissions = (globalThis as { chrome?: { permissions?: typeof chrome.permissions } }).chrome?.permissions;
      if (!permissions?.request) return undefined;
      const granted = await permissions.request({ origins: ['<all_urls>'] });
      if (granted) {
        // A fresh subscription's snapshot says so (a port we close ourselves fires no onDisconnect here).
        hub?.reconnect();
      }
      return granted;
    },
    send(msg) {
      if (msg.type === 'panel-preserve-log') store.preserveLog = msg.on;
      hub?.post(msg);
    },
  };
}

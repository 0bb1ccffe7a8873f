import { render } from 'preact';
import { App } from './components/App.tsx';
import { DeriverClient, spawnDeriveWorker } from './deriver/client.ts';
import { fetchHarFile } from './har-io.ts';
import { startHost } from './host.ts';
import { detectLang, type UiLang } from './i18n.ts';
import { PanelStore } from './store.ts';

const LANG_KEY = 'socket-autopsy:lang';
const PRESERVE_KEY = 'socket-autopsy:preserve-log';

// Timers, not requestAnimationFrame: a DevTools window that the OS reports as occluded gets no
// animation frames at all, and the panel would sit on stale data.
const store = new PanelStore();
store.preserveLog = localStorage.getItem(PRESERVE_KEY) === '1';
const host = startHost(store);
// Before the first hub message (they arrive in later tasks): the worker's mirror must see them all.
// Only a live panel has a session to derive as it grows; files are derived once, here.
const deriver = host.tabId !== undefined ? new DeriverClient(store, spawnDeriveWorker) : undefined;
document.documentElement.dataset.theme = host.theme;
host.onThemeChange((theme) => (document.documentElement.dataset.theme = theme));
const saved = localStorage.getItem(LANG_KEY);
const lang: UiLang = saved === 'en' || saved === 'ja' ? saved : detectLang(host.locale);
// Only the web build reads ?har=: an extension page has no reason to fetch a URL it is handed.
const harParam = __SA_WEB__ ? new URLSearchParams(location.search).get('har') : null;
const initialFile = harParam ? { name: harParam, file: fetchHarFile(harParam) } : undefined;

render(
  <App
    store={store}
    send={(msg) => {
      if (msg.type === 'panel-preserve-log') localStorage.setItem(PRESERVE_KEY, msg.on ? '1' : '0');
      host.send(msg);
    }}
    initialLang={lang}
    onLang={(l) => localStorage.setItem(LANG_KEY, l)}
    live={host.tabId !== undefined}
    requestNetAccess={() => host.requestNetAccess()}
    place={host.place}
    storage={localStorage}
    {...(initialFile ? { initialFile } : {})}
    {...(deriver ? { deriver } : {})}
  />,
  document.getElementById('app')!,
);

if (__SA_DEBUG__) {
  (window as { __saPanelStore?: PanelStore }).__saPanelStore = store;
  (window as { __saDeriver?: DeriverClient }).__saDeriver = deriver;
}

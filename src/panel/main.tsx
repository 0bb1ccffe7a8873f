import { render } from 'preact';
import { App } from './components/App.tsx';
import { DeriverClient, spawnDeriveWorker } from './deriver/client.ts';
import { fetchHarFile } from './har-io.ts';
import { startHost } from './host.ts';
import { detectLang, type UiLang } from './i18n.ts';
import { loadPrefs, openPrefsArea, prefsSaver } from './prefs-storage.ts';
import { PanelStore } from './store.ts';

// The prefs are read before anything starts: preserve log goes out with the hub subscription,
// and the first render has the remembered layout rather than a flash of the default one.
const area = await openPrefsArea();
const prefs = await loadPrefs(area);
const saver = prefsSaver(area);
// Closing DevTools unloads the panel: what is waiting to be written goes now.
addEventListener('pagehide', () => saver.flush());

// Timers, not requestAnimationFrame: a DevTools window that the OS reports as occluded gets no
// animation frames at all, and the panel would sit on stale data.
const store = new PanelStore();
store.preserveLog = prefs.preserveLog;
const host = startHost(store);
// Before the first hub message (they arrive in later tasks): the worker's mirror must see them all.
// Only a live panel has a session to derive as it grows; files are derived once, here.
const deriver = host.tabId !== undefined ? new DeriverClient(store, spawnDeriveWorker) : undefined;
document.documentElement.dataset.theme = host.theme;
document.documentElement.dataset.prefs = area.kind;
host.onThemeChange((theme) => (document.documentElement.dataset.theme = theme));
const lang: UiLang = prefs.lang ?? detectLang(host.locale);
// Only the web build reads ?har=: an extension page has no reason to fetch a URL it is handed.
const harParam = __SA_WEB__ ? new URLSearchParams(location.search).get('har') : null;
const initialFile = harParam ? { name: harParam, file: fetchHarFile(harParam) } : undefined;

render(
  <App
    store={store}
    send={(msg) => host.send(msg)}
    initialLang={lang}
    onLang={() => undefined}
    live={host.tabId !== undefined}
    requestNetAccess={() => host.requestNetAccess()}
    place={host.place}
    storage={localStorage}
    initialPrefs={prefs}
    onPrefs={(p) => saver.save(p)}
    {...(initialFile ? { initialFile } : {})}
    {...(deriver ? { deriver } : {})}
  />,
  document.getElementById('app')!,
);

if (__SA_DEBUG__) {
  (window as { __saPanelStore?: PanelStore }).__saPanelStore = store;
  (window as { __saDeriver?: DeriverClient }).__saDeriver = deriver;
}

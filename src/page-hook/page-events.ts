// Lifecycle events of the page that explain what happens to its sockets (navigation, the
// back/forward cache, the network going away, the tab hidden or frozen).
import type { HookEvent } from '../core/wire/protocol.ts';
import { addListener, apply, docHidden, NOARGS, pageShowPersisted, perfNow } from './builtins.ts';
import { emit, flush } from './emit.ts';
import { keep } from './reattach.ts';

export function watchPage(): void {
  const page = (what: 'pagehide' | 'pageshow' | 'online' | 'offline' | 'hidden' | 'visible' | 'freeze' | 'resume', persisted?: boolean) => {
    const ev: HookEvent = { k: 'page', t: perfNow(), what };
    if (persisted !== undefined) ev.persisted = persisted;
    emit(ev);
  };
  const onPageHide = (e: Event) => {
    page('pagehide', apply(pageShowPersisted, e, NOARGS) as boolean);
    // The document is going away: no microtask will run for us. Send now.
    flush();
  };
  const onPageShow = (e: Event) => {
    const persisted = apply(pageShowPersisted, e, NOARGS) as boolean;
    if (persisted) page('pageshow', true);
  };
  const onOnline = () => page('online');
  const onOffline = () => page('offline');
  const onVisibility = () => page(apply(docHidden, document, NOARGS) ? 'hidden' : 'visible');
  const onFreeze = () => {
    page('freeze');
    flush();
  };
  const onResume = () => page('resume');
  // Capturing, given as `true` rather than an options object: reading a dictionary reaches
  // Object.prototype for the members it lacks (WebIDL), where a page may have put a getter,
  // and these are added again after every document.open() (reattach.ts).
  keep(window, () => {
    apply(addListener, window, ['pagehide', onPageHide, true]);
    apply(addListener, window, ['pageshow', onPageShow, true]);
    apply(addListener, window, ['online', onOnline, true]);
    apply(addListener, window, ['offline', onOffline, true]);
    apply(addListener, document, ['visibilitychange', onVisibility, true]);
    apply(addListener, document, ['freeze', onFreeze, true]);
    apply(addListener, document, ['resume', onResume, true]);
  });
}

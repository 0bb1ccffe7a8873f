// Lifecycle events of the page that explain what happens to its sockets (navigation, the
// back/forward cache, the network going away, the tab hidden or frozen).
import type { HookEvent } from '../core/wire/protocol.ts';
import { addListener, apply, docHidden, pageShowPersisted, perfNow } from './builtins.ts';
import { emit, flush } from './emit.ts';

export function watchPage(): void {
  const page = (what: 'pagehide' | 'pageshow' | 'online' | 'offline' | 'hidden' | 'visible' | 'freeze' | 'resume', persisted?: boolean) => {
    const ev: HookEvent = { k: 'page', t: perfNow(), what };
    if (persisted !== undefined) ev.persisted = persisted;
    emit(ev);
  };
  const opts = { capture: true };
  apply(addListener, window, ['pagehide', (e: Event) => {
    page('pagehide', apply(pageShowPersisted, e, []) as boolean);
    // The document is going away: no microtask will run for us. Send now.
    flush();
  }, opts]);
  apply(addListener, window, ['pageshow', (e: Event) => {
    const persisted = apply(pageShowPersisted, e, []) as boolean;
    if (persisted) page('pageshow', true);
  }, opts]);
  apply(addListener, window, ['online', () => page('online'), opts]);
  apply(addListener, window, ['offline', () => page('offline'), opts]);
  apply(addListener, document, ['visibilitychange', () => page(apply(docHidden, document, []) ? 'hidden' : 'visible'), opts]);
  apply(addListener, document, ['freeze', () => { page('freeze'); flush(); }, opts]);
  apply(addListener, document, ['resume', () => page('resume'), opts]);
}

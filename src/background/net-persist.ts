// Keeps the hub's network observations (net-book.ts) across the background's restarts. Firefox
// unloads its event page after 30 s without events, open ports or not (docs/firefox.md), and
// Chrome may stop a worker at any time; the page events come back from the relays' replay, but
// nothing replays what webRequest saw. storage.session is held in memory by the browser, never
// written to disk, and cleared when the browser closes (MDN, storage.session).
import * as v from 'valibot';
import { NetObservationSchema } from '../core/network/net.ts';
import type { NetBook } from './net-book.ts';

const PREFIX = 'sa-net:';
const SAVE_MS = 500;

const Saved = v.object({
  net: v.array(NetObservationSchema),
  netDropped: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

type SessionArea = {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string): Promise<void>;
};

function area(): SessionArea | undefined {
  return (globalThis as { chrome?: { storage?: { session?: SessionArea } } }).chrome?.storage?.session;
}

export interface NetPersistence {
  /** Resolves once what an earlier run saved is back in the book (at once when there is nothing). */
  loaded: Promise<void>;
  /** The tab's observations changed: saved a little later, coalesced. */
  changed(tabId: number): void;
  /** The tab was cleared or closed. */
  forget(tabId: number): void;
}

export function persistNet(book: NetBook, debug: (...args: unknown[]) => void): NetPersistence {
  const store = area();
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  if (!store) return { loaded: Promise.resolve(), changed() {}, forget() {} };
  const loaded = store
    .get(null)
    .then((all) => {
      for (const [key, value] of Object.entries(all ?? {})) {
        if (!key.startsWith(PREFIX)) continue;
        const tabId = Number(key.slice(PREFIX.length));
        const parsed = v.safeParse(Saved, value);
        if (!Number.isInteger(tabId) || !parsed.success) {
          debug('dropped a saved network record that does not validate', key);
          continue;
        }
        book.restore(tabId, parsed.output.net, parsed.output.netDropped);
      }
    })
    .catch((err: unknown) => debug('could not load saved network records', err));
  const save = (tabId: number) => {
    timers.delete(tabId);
    const data = book.saved(tabId);
    const key = `${PREFIX}${tabId}`;
    // Over quota (a session's storage is bounded, 10 MB in Chrome): the record stays in memory only.
    (data ? store.set({ [key]: data }) : store.remove(key)).catch((err: unknown) => debug('could not save network records', err));
  };
  return {
    loaded,
    changed(tabId) {
      if (!timers.has(tabId)) timers.set(tabId, setTimeout(() => save(tabId), SAVE_MS));
    },
    forget(tabId) {
      clearTimeout(timers.get(tabId));
      timers.delete(tabId);
      store.remove(`${PREFIX}${tabId}`).catch((err: unknown) => debug('could not forget network records', err));
    },
  };
}

// Where the panel's prefs (prefs.ts) live: the extension's storage.local (through
// webextension-polyfill, one API for Chrome and Firefox) when the page is an extension page,
// else the page's localStorage (the standalone viewer served by the CLI's `view`), else memory
// (a page where even localStorage throws: a sandboxed or opaque origin). Detected, never assumed:
// the polyfill itself throws when loaded outside an extension, so it is imported only inside one.
import { readPrefs, type Prefs } from './prefs.ts';

export const PREFS_KEY = 'socket-autopsy:prefs';
/** What builds before the prefs module kept in localStorage: read once, when nothing newer is stored. */
const LEGACY_LANG = 'socket-autopsy:lang';
const LEGACY_PRESERVE = 'socket-autopsy:preserve-log';

export interface PrefsArea {
  kind: 'extension' | 'local' | 'memory';
  get(): Promise<unknown>;
  set(p: Prefs): Promise<void>;
}

type MaybeChrome = { chrome?: { runtime?: { id?: string }; storage?: { local?: unknown } } };

function pageStorage(): Pick<Storage, 'getItem' | 'setItem'> | undefined {
  try {
    const ls = globalThis.localStorage;
    if (!ls) return undefined;
    // Reading the property can succeed where using it throws (storage disabled, quota 0).
    ls.setItem(`${PREFS_KEY}:probe`, '1');
    ls.removeItem(`${PREFS_KEY}:probe`);
    return ls;
  } catch {
    return undefined;
  }
}

export async function openPrefsArea(g: MaybeChrome = globalThis as MaybeChrome): Promise<PrefsArea> {
  if (g.chrome?.runtime?.id && g.chrome.storage?.local) {
    try {
      const { default: browser } = await import('webextension-polyfill');
      const area = browser.storage.local;
      return {
        kind: 'extension',
        get: async () => (await area.get(PREFS_KEY))[PREFS_KEY],
        set: (p) => area.set({ [PREFS_KEY]: p }),
      };
    } catch {
      // No storage permission in this build, or no extension context after all: the page's own.
    }
  }
  const ls = pageStorage();
  if (ls)
    return {
      kind: 'local',
      get: async () => JSON.parse(ls.getItem(PREFS_KEY) ?? 'null') as unknown,
      set: async (p) => ls.setItem(PREFS_KEY, JSON.stringify(p)),
    };
  let kept: unknown;
  return {
    kind: 'memory',
    get: async () => kept,
    set: async (p) => void (kept = structuredClone(p)),
  };
}

/** The stored prefs, checked; defaults (with what older builds kept) when none or unreadable. Never rejects. */
export async function loadPrefs(area: PrefsArea): Promise<Prefs> {
  let raw: unknown;
  try {
    raw = await area.get();
  } catch {
    raw = undefined;
  }
  if (raw === undefined || raw === null) {
    const ls = pageStorage();
    const lang = ls?.getItem(LEGACY_LANG);
    raw = { ...(lang ? { lang } : {}), preserveLog: ls?.getItem(LEGACY_PRESERVE) === '1' };
  }
  return readPrefs(raw);
}

/**
 * Writes the latest prefs at most once per `delayMs` (a drag changes a width every frame);
 * `flush` writes what waits at once (the panel is going away).
 */
export function prefsSaver(area: PrefsArea, delayMs = 200): { save(p: Prefs): void; flush(): void } {
  let pending: Prefs | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const p = pending;
    pending = undefined;
    if (p) area.set(p).catch(() => undefined);
  };
  return {
    save(p) {
      pending = p;
      timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}

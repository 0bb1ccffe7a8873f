// The remembered prefs: what storage gives back is checked field by field, bounded, and never
// crashes the panel; the storage adapter falls back from the extension's storage to the page's
// localStorage to memory.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { layoutCss } from '../src/panel/layout-css.ts';
import { COLUMN_IDS, DEFAULT_PREFS, FILTER_MAX, mergePrefs, readPrefs, SPLIT, TIMELINE, WIDTH } from '../src/panel/prefs.ts';
import { loadPrefs, openPrefsArea, PREFS_KEY, prefsSaver, type PrefsArea } from '../src/panel/prefs-storage.ts';

const GOOD = {
  lang: 'ja',
  preserveLog: true,
  filter: 'code:1006 -host:cdn.example',
  hideHeartbeats: true,
  hidden: ['reason', 'frame'],
  widths: { url: 300, code: 60 },
  split: 60,
  timelineHeight: 240,
};

describe('prefs validation', () => {
  it('a valid stored value comes back as it was', () => {
    expect(readPrefs(GOOD)).toEqual(GOOD);
    expect(readPrefs(JSON.parse(JSON.stringify(readPrefs(GOOD))))).toEqual(GOOD);
  });

  it.each([undefined, null, 42, 'prefs', [], [GOOD], true])('%j is not prefs: the defaults', (raw) => {
    expect(readPrefs(raw)).toEqual(DEFAULT_PREFS);
  });

  it('a field of the wrong shape costs that field its default, not the others', () => {
    const bad = {
      ...GOOD,
      lang: 'fr',
      preserveLog: 'yes',
      split: 99,
      timelineHeight: 12.5,
      hidden: ['reason', 'nope'],
    };
    expect(readPrefs(bad)).toEqual({ ...GOOD, lang: undefined, preserveLog: false, split: SPLIT.initial, timelineHeight: TIMELINE.initial, hidden: DEFAULT_PREFS.hidden });
    expect(readPrefs({ ...GOOD, filter: 'x'.repeat(FILTER_MAX + 1) }).filter).toBe('');
    expect(readPrefs({ ...GOOD, filter: { text: 'x' } }).filter).toBe('');
  });

  it('widths keep the known columns within bounds; the URL column cannot be hidden; duplicates go', () => {
    const p = readPrefs({ widths: { url: 200, code: WIDTH.min - 1, state: WIDTH.max + 1, reason: '120', gone: 100, frame: 70.5 }, hidden: ['url', 'code', 'code'] });
    expect(p.widths).toEqual({ url: 200 });
    expect(p.hidden).toEqual(['code']);
  });

  it('merging checks the patch the same way: a bad field is ignored, the rest applied', () => {
    const p = readPrefs(GOOD);
    expect(mergePrefs(p, { split: 70, timelineHeight: -5 } as never)).toEqual({ ...GOOD, split: 70 });
    expect(mergePrefs(p, { lang: undefined }).lang).toBeUndefined();
    expect(mergePrefs(p, { nonsense: 1 } as never)).toEqual(GOOD);
  });

  it('never throws and always gives bounded prefs, whatever is stored', () => {
    const field = fc.oneof(fc.anything(), fc.integer(), fc.string(), fc.array(fc.constantFrom(...COLUMN_IDS, 'x')), fc.dictionary(fc.constantFrom(...COLUMN_IDS, 'x'), fc.anything()));
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ lang: field, preserveLog: field, filter: field, hideHeartbeats: field, hidden: field, widths: field, split: field, timelineHeight: field }, { requiredKeys: [] })), (raw) => {
        const p = readPrefs(raw);
        expect(p.split).toBeGreaterThanOrEqual(SPLIT.min);
        expect(p.split).toBeLessThanOrEqual(SPLIT.max);
        expect(p.filter.length).toBeLessThanOrEqual(FILTER_MAX);
        for (const w of Object.values(p.widths)) expect(Number.isInteger(w) && w >= WIDTH.min && w <= WIDTH.max).toBe(true);
        // The layout style sheet only ever holds integers and fixed column names.
        expect(layoutCss(p)).toMatch(/^[\w\s.{}:;%()-]*$/);
      }),
      { numRuns: 300 },
    );
  });

  it('the largest prefs that validate stay small (bounded storage)', () => {
    const biggest = readPrefs({
      ...GOOD,
      filter: '字'.repeat(FILTER_MAX),
      hidden: COLUMN_IDS,
      widths: Object.fromEntries(COLUMN_IDS.map((id) => [id, WIDTH.max])),
    });
    expect(JSON.stringify(biggest).length).toBeLessThan(2 * 1024);
  });
});

describe('prefs storage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.doUnmock('webextension-polyfill');
  });

  it('without extension APIs or localStorage (a page that has neither): memory, and it works', async () => {
    vi.stubGlobal('localStorage', undefined);
    const area = await openPrefsArea({});
    expect(area.kind).toBe('memory');
    expect(await loadPrefs(area)).toEqual(DEFAULT_PREFS);
    await area.set(readPrefs(GOOD));
    expect(await loadPrefs(area)).toEqual(GOOD);
  });

  it('a localStorage that throws on use is detected, not trusted', async () => {
    vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => { throw new Error('SecurityError'); }, removeItem: () => undefined });
    expect((await openPrefsArea({})).kind).toBe('memory');
  });

  it('the standalone viewer: localStorage, and garbage stored there reads as the defaults', async () => {
    const kept = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v), removeItem: (k: string) => void kept.delete(k) });
    const area = await openPrefsArea({});
    expect(area.kind).toBe('local');
    kept.set(PREFS_KEY, '{not json');
    expect(await loadPrefs(area)).toEqual(DEFAULT_PREFS);
    kept.set(PREFS_KEY, JSON.stringify({ split: 'wide', lang: 'ja' }));
    expect(await loadPrefs(area)).toEqual({ ...DEFAULT_PREFS, lang: 'ja' });
    // What older builds kept in localStorage is read when nothing newer is stored.
    kept.delete(PREFS_KEY);
    kept.set('socket-autopsy:lang', 'ja');
    kept.set('socket-autopsy:preserve-log', '1');
    expect(await loadPrefs(area)).toEqual({ ...DEFAULT_PREFS, lang: 'ja', preserveLog: true });
  });

  it('an extension page: storage.local through webextension-polyfill', async () => {
    const local = new Map<string, unknown>();
    vi.doMock('webextension-polyfill', () => ({
      default: {
        storage: {
          local: {
            get: async (k: string) => (local.has(k) ? { [k]: local.get(k) } : {}),
            set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => local.set(k, v)),
          },
        },
      },
    }));
    const area = await openPrefsArea({ chrome: { runtime: { id: 'abc' }, storage: { local: {} } } });
    expect(area.kind).toBe('extension');
    await area.set(readPrefs(GOOD));
    expect(local.get(PREFS_KEY)).toEqual(GOOD);
    expect(await loadPrefs(area)).toEqual(GOOD);
    local.set(PREFS_KEY, 'garbage');
    expect(await loadPrefs(area)).toEqual(DEFAULT_PREFS);
  });

  it('a storage that fails to read gives the defaults; writes are coalesced and flushed', async () => {
    const sets: unknown[] = [];
    const area: PrefsArea = { kind: 'memory', get: () => Promise.reject(new Error('gone')), set: async (p) => void sets.push(p) };
    expect(await loadPrefs(area)).toEqual(DEFAULT_PREFS);
    vi.useFakeTimers();
    try {
      const saver = prefsSaver(area, 200);
      saver.save({ ...DEFAULT_PREFS, split: 20 });
      saver.save({ ...DEFAULT_PREFS, split: 21 });
      expect(sets).toEqual([]);
      vi.advanceTimersByTime(200);
      expect(sets).toEqual([{ ...DEFAULT_PREFS, split: 21 }]);
      saver.save({ ...DEFAULT_PREFS, split: 22 });
      saver.flush();
      expect(sets).toHaveLength(2);
      vi.advanceTimersByTime(1000);
      expect(sets).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

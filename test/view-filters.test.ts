import { describe, expect, it } from 'vitest';

import { derive } from '../src/panel/derive.ts';
import { matches, NO_FILTERS, visibleRows, withCategory, withText, type Filters } from '../src/panel/view/filters.ts';
import { Recorder, T0 } from './helpers/events.ts';

/** Three sockets: an idle cut (1006), a server error (1011 "db down") and one still open. */
function sample() {
  const r = new Recorder()
    .create(1, 0, 'wss://chat.example/live').open(1, 10).message(1, 20).close(1, 90_000, 1006)
    .create(2, 100, 'wss://api.example/feed').open(2, 110).close(2, 200, 1011, 'db down')
    .create(3, 300, 'wss://api.example/stream').open(3, 310);
  const d = derive(r.session(), T0 + 100_000);
  return { ...d, id: (sid: number) => `${r.doc}:${sid}` };
}

const ids = (rows: { id: string }[]) => rows.map((c) => c.id);

describe('view filters', () => {
  it('no filter shows every row, in order', () => {
    const s = sample();
    expect(ids(visibleRows(s.connections, s.diagnoses, NO_FILTERS, 'en'))).toEqual([s.id(1), s.id(2), s.id(3)]);
  });

  it('the text matches URL, close code and reason, case-insensitively', () => {
    const s = sample();
    const rows = (text: string) => ids(visibleRows(s.connections, s.diagnoses, withText(NO_FILTERS, text), 'en'));
    expect(rows('CHAT.example')).toEqual([s.id(1)]);
    expect(rows('1011')).toEqual([s.id(2)]);
    expect(rows('DB DOWN')).toEqual([s.id(2)]);
    expect(rows('api.example')).toEqual([s.id(2), s.id(3)]);
    expect(rows('nothing like it')).toEqual([]);
  });

  it('the text matches the category as an id and as the label in the panel language', () => {
    const s = sample();
    const c = s.connections.find((x) => x.id === s.id(2))!;
    const d = s.diagnoses.get(c.id);
    expect(d?.category).toBe('server-error');
    expect(matches(c, d, 'server-error', 'en')).toBe(true);
    expect(matches(c, d, 'Server Error', 'en')).toBe(true);
    expect(matches(c, d, 'サーバーエラー', 'ja')).toBe(true);
    // The Japanese label is what a Japanese panel shows; the English one is not on screen.
    expect(matches(c, d, 'server error', 'ja')).toBe(false);
    // Without a diagnosis only the connection's own fields count.
    expect(matches(c, undefined, 'server-error', 'en')).toBe(false);
    expect(matches(c, undefined, '', 'en')).toBe(true);
  });

  it('a chip\'s category is an outcome: term of the text: it keeps only its rows, and combines with the rest', () => {
    const s = sample();
    const cat = s.diagnoses.get(s.id(1))!.category;
    const f: Filters = withCategory(NO_FILTERS, cat);
    expect(f.text).toBe(`outcome:${cat}`);
    expect(ids(visibleRows(s.connections, s.diagnoses, f, 'en'))).toEqual([s.id(1)]);
    expect(ids(visibleRows(s.connections, s.diagnoses, withText(f, `${f.text} api`), 'en'))).toEqual([]);
    expect(ids(visibleRows(s.connections, s.diagnoses, withCategory(f, undefined), 'en'))).toHaveLength(3);
  });

  it('changing nothing returns the same value (memoised views skip work)', () => {
    const f = withText(NO_FILTERS, 'x');
    expect(withText(f, 'x')).toBe(f);
    expect(withCategory(f, undefined)).toBe(f);
    expect(withCategory(f, 'live')).toEqual({ text: 'x outcome:live' });
    expect(withCategory(withCategory(f, 'live'), 'live')).toEqual({ text: 'x outcome:live' });
    expect(NO_FILTERS).toEqual({ text: '' });
  });
});

// The filter box's language (view/filter-query.ts) on real rows (derive.ts over the session
// reducer), and the summary chips as `outcome:` terms of the same text (view/filters.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { derive } from '../src/panel/derive.ts';
import { invalidPatterns, matchesFilter, parseFilter } from '../src/panel/view/filter-query.ts';
import { activeCategory, facetsOf, hasOutcomeTerm, NO_FILTERS, visibleRows, withCategory, withText } from '../src/panel/view/filters.ts';
import { Recorder, T0 } from './helpers/events.ts';

/** An idle cut (1006), a server error (1011 "db down"), one still open with subprotocol "chat.v2", one to a port. */
function sample() {
  const r = new Recorder()
    .create(1, 0, 'wss://chat1.example/live').open(1, 10).message(1, 20).close(1, 90_000, 1006)
    .create(2, 100, 'wss://api.example/feed').open(2, 110).close(2, 200, 1011, 'db down')
    .create(3, 300, 'wss://api.example/chat42', { protocols: ['chat.v2'] }).open(3, 310, 'chat.v2')
    .create(4, 400, 'ws://localhost:8080/dev').open(4, 410).close(4, 500, 1000, 'bye');
  const d = derive(r.session(), T0 + 100_000);
  const id = (sid: number) => `${r.doc}:${sid}`;
  const rows = (text: string, lang: 'en' | 'ja' = 'en') => visibleRows(d.connections, d.diagnoses, withText(NO_FILTERS, text), lang).map((c) => Number(c.id.split(':')[1]));
  return { ...d, id, rows };
}

describe('filter language', () => {
  const s = sample();

  it('free words AND together, case-insensitively, over URL, code, reason and outcome', () => {
    expect(s.rows('api')).toEqual([2, 3]);
    expect(s.rows('API DB')).toEqual([2]);
    expect(s.rows('db down')).toEqual([2]);
    expect(s.rows('"db down"')).toEqual([2]);
    expect(s.rows('"down db"')).toEqual([]);
  });

  it('code: matches the close code exactly', () => {
    expect(s.rows('code:1006')).toEqual([1]);
    expect(s.rows('code:10')).toEqual([]);
    expect(s.rows('-code:1006')).toEqual([2, 3, 4]);
  });

  it('host: (and domain:) matches the host, with * as a wildcard', () => {
    expect(s.rows('host:api.example')).toEqual([2, 3]);
    expect(s.rows('-host:api.example')).toEqual([1, 4]);
    expect(s.rows('domain:*.example')).toEqual([1, 2, 3]);
    expect(s.rows('host:localhost:8080')).toEqual([4]);
    expect(s.rows('host:*:8080')).toEqual([4]);
  });

  it('outcome: takes the category and the outcome, as ids and as the labels of both languages', () => {
    const cut = s.diagnoses.get(s.id(1))!.category;
    expect(s.rows(`outcome:${cut}`)).toEqual([1]);
    expect(s.rows('outcome:server-error')).toEqual([2]);
    expect(s.rows('outcome:"server error"')).toEqual([2]);
    expect(s.rows('outcome:サーバーエラー')).toEqual([2]);
    // The same in a Japanese panel: the key takes both languages' names.
    expect(s.rows('outcome:"server error"', 'ja')).toEqual([2]);
    expect(s.rows('outcome:live')).toEqual([3]);
    expect(s.rows('outcome:接続中')).toEqual([3]);
    expect(s.rows('-outcome:live -outcome:server-error')).toEqual([1, 4]);
  });

  it('proto: / protocol: match the scheme and the negotiated subprotocol', () => {
    expect(s.rows('proto:ws')).toEqual([4]);
    expect(s.rows('protocol:wss')).toEqual([1, 2, 3]);
    expect(s.rows('proto:chat.v2')).toEqual([3]);
  });

  it('/regex/ matches a pattern, negated with -, and an invalid one is reported and ignored', () => {
    expect(s.rows('/chat\\d+/')).toEqual([1, 3]);
    expect(s.rows('-/chat\\d+/')).toEqual([2, 4]);
    expect(s.rows('/^wss:.*feed$/')).toEqual([]);
    expect(s.rows('/feed/ code:1011')).toEqual([2]);
    expect(s.rows('/chat(/')).toEqual([1, 2, 3, 4]);
    expect(s.rows('/chat(/ api')).toEqual([2, 3]);
    expect(invalidPatterns(parseFilter('/chat(/ api /ok/'))).toEqual(['chat(']);
    expect(invalidPatterns(parseFilter('/ok/'))).toEqual([]);
  });

  it('an unknown key or a key still being typed is not a filter by key', () => {
    expect(s.rows('wss://api')).toEqual([2, 3]);
    expect(s.rows('code:')).toEqual([1, 2, 3, 4]);
    // "-" alone is a word: the rows whose category id holds one (server-error, closed-by-server).
    expect(s.rows('-')).toEqual([2, 4]);
    expect(s.rows('')).toEqual([1, 2, 3, 4]);
  });

  it('never throws, whatever is typed, and a term and its negation split the rows', () => {
    const facets = s.connections.map((c) => facetsOf(c, s.diagnoses.get(c.id), 'en'));
    const alphabet = fc.constantFrom(...'ab-:/"\\()[]*+?.^$| \t1006codehostoutcomeproto'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ maxLength: 40 }), (typed, anything) => {
        for (const text of [typed, anything]) {
          const tokens = parseFilter(text);
          for (const f of facets) matchesFilter(tokens, f);
          invalidPatterns(tokens);
          withCategory({ text }, 'live');
          activeCategory(text, ['live']);
        }
        // For one valid term t: every row matches exactly one of t and -t.
        const one = parseFilter(typed).filter((t) => t.term.kind !== 'invalid')[0];
        if (!one) return;
        const pos = typed.slice(one.start, one.end).replace(/^-/, '');
        if (pos.startsWith('-') || pos === '') return;
        const p = parseFilter(pos);
        const n = parseFilter(`-${pos}`);
        if (p.length !== 1 || n.length !== 1 || !n[0]!.term.neg) return;
        for (const f of facets) expect(matchesFilter(p, f)).toBe(!matchesFilter(n, f));
      }),
      { numRuns: 500 },
    );
  });
});

describe('summary chips are outcome: terms of the filter text', () => {
  it('a chip writes its term, replacing another chip\'s and keeping the rest as typed', () => {
    const f = withCategory(withText(NO_FILTERS, 'api  "db down"'), 'server-error');
    expect(f.text).toBe('api  "db down" outcome:server-error');
    expect(withCategory(f, 'live').text).toBe('api  "db down" outcome:live');
    expect(withCategory(f, undefined).text).toBe('api  "db down"');
    // A negated outcome is the user's own exclusion, not a chip: kept.
    expect(withCategory(withText(NO_FILTERS, '-outcome:live outcome:abnormal x'), 'server-error').text).toBe('-outcome:live x outcome:server-error');
  });

  it('the text says which chip is pressed, by id or by either language\'s label', () => {
    const cats = ['server-error', 'live', 'abnormal'] as const;
    expect(activeCategory('outcome:server-error', cats)).toBe('server-error');
    expect(activeCategory('api OUTCOME:"Server Error"', cats)).toBe('server-error');
    expect(activeCategory('outcome:サーバーエラー', cats)).toBe('server-error');
    expect(activeCategory('-outcome:live', cats)).toBeUndefined();
    expect(activeCategory('outcome:live outcome:abnormal', cats)).toBeUndefined();
    expect(activeCategory('server-error', cats)).toBeUndefined();
    expect(hasOutcomeTerm('api')).toBe(false);
    expect(hasOutcomeTerm('-outcome:live')).toBe(false);
    expect(hasOutcomeTerm('outcome:nothing-like-it')).toBe(true);
  });
});

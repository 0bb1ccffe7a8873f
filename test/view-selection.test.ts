import { describe, expect, it } from 'vitest';

import { keepSelection, moveSelection } from '../src/panel/view/selection.ts';

const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

describe('view selection: keyboard moves over the visible rows', () => {
  it('next and previous step one row and stop at the ends', () => {
    expect(moveSelection(rows, 'a', 'next')).toBe('b');
    expect(moveSelection(rows, 'b', 'next')).toBe('c');
    expect(moveSelection(rows, 'c', 'next')).toBe('c');
    expect(moveSelection(rows, 'c', 'previous')).toBe('b');
    expect(moveSelection(rows, 'a', 'previous')).toBe('a');
  });

  it('first and last jump to the ends, from anywhere', () => {
    expect(moveSelection(rows, 'b', 'first')).toBe('a');
    expect(moveSelection(rows, 'b', 'last')).toBe('c');
    expect(moveSelection(rows, undefined, 'first')).toBe('a');
    expect(moveSelection(rows, undefined, 'last')).toBe('c');
  });

  it('with nothing selected, next starts at the top and previous at the bottom', () => {
    expect(moveSelection(rows, undefined, 'next')).toBe('a');
    expect(moveSelection(rows, undefined, 'previous')).toBe('c');
  });

  it('a selection the filters hide counts as none', () => {
    expect(moveSelection(rows, 'hidden', 'next')).toBe('a');
    expect(moveSelection(rows, 'hidden', 'previous')).toBe('c');
  });

  it('no rows: the selection stays as it was', () => {
    expect(moveSelection([], 'a', 'next')).toBe('a');
    expect(moveSelection([], undefined, 'last')).toBeUndefined();
  });

  it('one row: every move lands on it', () => {
    for (const m of ['next', 'previous', 'first', 'last'] as const) expect(moveSelection([{ id: 'x' }], undefined, m)).toBe('x');
  });
});

describe('view selection: a connection that goes away', () => {
  it('is kept while its connection exists, cleared once it does not', () => {
    const present = new Set(['a', 'b']);
    expect(keepSelection('a', (id) => present.has(id))).toBe('a');
    present.delete('a');
    expect(keepSelection('a', (id) => present.has(id))).toBeUndefined();
    expect(keepSelection(undefined, () => true)).toBeUndefined();
  });
});

// Multi-selection rules (Shift/Ctrl-click, Shift+arrows), the row keys, and the menus' pure parts.
import { describe, expect, it } from 'vitest';
import { placeMenu } from '../src/panel/components/ContextMenu.tsx';
import { prettyJson } from '../src/panel/components/MessageMenu.tsx';
import { endpointOf } from '../src/panel/components/RowMenu.tsx';
import { menuEn, mui } from '../src/panel/i18n-menu.ts';
import { rowKeyOf } from '../src/panel/view/keys.ts';
import { clickSelect, extendSelection, keepMulti, NO_MULTI, only, targetsOf } from '../src/panel/view/selection.ts';

const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const ids = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('multi-selection', () => {
  it('a plain click selects one row and anchors there', () => {
    expect(clickSelect(rows, only('a'), 'c', { shift: false, toggle: false })).toEqual({ focus: 'c', anchor: 'c', ids: new Set(['c']) });
  });
  it('Shift-click selects the range from the anchor, either way', () => {
    const s = clickSelect(rows, only('b'), 'd', { shift: true, toggle: false });
    expect(ids(s)).toEqual(['b', 'c', 'd']);
    expect(s.focus).toBe('d');
    expect(ids(clickSelect(rows, s, 'a', { shift: true, toggle: false }))).toEqual(['a', 'b']);
  });
  it('Ctrl-click toggles one row and keeps the others', () => {
    const s = clickSelect(rows, clickSelect(rows, only('a'), 'c', { shift: true, toggle: false }), 'b', { shift: false, toggle: true });
    expect(ids(s)).toEqual(['a', 'c']);
    expect(s.focus).toBe('b');
    expect(ids(clickSelect(rows, s, 'e', { shift: false, toggle: true }))).toEqual(['a', 'c', 'e']);
  });
  it('Shift+Down and Shift+Up extend and shrink from the anchor', () => {
    let s = only('b');
    s = extendSelection(rows, s, 'next');
    s = extendSelection(rows, s, 'next');
    expect(ids(s)).toEqual(['b', 'c', 'd']);
    s = extendSelection(rows, s, 'previous');
    expect(ids(s)).toEqual(['b', 'c']);
    expect(extendSelection([], s, 'next')).toBe(s);
  });
  it('a row action applies to the selection when the row is in it, else to the row alone', () => {
    const s = clickSelect(rows, only('a'), 'c', { shift: true, toggle: false });
    expect(targetsOf(s, 'b').sort()).toEqual(['a', 'b', 'c']);
    expect(targetsOf(s, 'e')).toEqual(['e']);
  });
  it('rows that are gone leave the selection; an intact one is the same object', () => {
    const s = clickSelect(rows, only('a'), 'c', { shift: true, toggle: false });
    expect(keepMulti(s, () => true)).toBe(s);
    const kept = keepMulti(s, (id) => id !== 'b' && id !== 'c');
    expect(kept).toEqual({ focus: undefined, anchor: 'a', ids: new Set(['a']) });
    expect(keepMulti(NO_MULTI, () => false)).toBe(NO_MULTI);
  });
});

describe('row keys and menus', () => {
  it('the context-menu key and Shift+F10 open the menu, Enter opens the row', () => {
    expect(rowKeyOf({ key: 'ContextMenu', shiftKey: false })).toBe('menu');
    expect(rowKeyOf({ key: 'F10', shiftKey: true })).toBe('menu');
    expect(rowKeyOf({ key: 'F10', shiftKey: false })).toBeUndefined();
    expect(rowKeyOf({ key: 'Enter', shiftKey: false })).toBe('open');
    expect(rowKeyOf({ key: 'a', shiftKey: false })).toBeUndefined();
  });
  it('a menu near an edge opens inwards', () => {
    const view = { width: 400, height: 300 };
    expect(placeMenu({ x: 10, y: 10 }, { width: 200, height: 100 }, view)).toEqual({ left: 10, top: 10 });
    expect(placeMenu({ x: 350, y: 250 }, { width: 200, height: 100 }, view)).toEqual({ left: 200, top: 200 });
    expect(placeMenu({ x: 350, y: 250 }, { width: 500, height: 400 }, view)).toEqual({ left: 0, top: 0 });
  });
  it('the endpoint is host and path', () => {
    expect(endpointOf('wss://api.example.com:8443/live/feed?token=x#y')).toBe('api.example.com:8443/live/feed');
    expect(endpointOf('not a url')).toBe('not a url');
  });
  it('pretty JSON only for text that parses', () => {
    expect(prettyJson({ bin: false, data: '{"a":[1]}' })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson({ bin: false, data: 'hello' })).toBeUndefined();
    expect(prettyJson({ bin: true, data: 'e30=' })).toBeUndefined();
    expect(prettyJson({ bin: false })).toBeUndefined();
  });
  it('every menu text exists in Japanese too, with the same placeholders', () => {
    for (const k of Object.keys(menuEn) as (keyof typeof menuEn)[]) {
      const ja = mui('ja', k);
      expect(ja, k).toBeTruthy();
      expect(ja, k).not.toBe(mui('en', k));
      expect(ja.match(/\{\w+\}/g) ?? [], k).toEqual(mui('en', k).match(/\{\w+\}/g) ?? []);
    }
  });
});

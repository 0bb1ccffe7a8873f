import { describe, expect, it } from 'vitest';

import { listKeyOf, shortcutOf } from '../src/panel/view/keys.ts';

const key = (k: string, mods: { ctrl?: boolean; meta?: boolean } = {}) => ({ key: k, ctrlKey: mods.ctrl ?? false, metaKey: mods.meta ?? false });

describe('view keys: panel-wide shortcuts', () => {
  it('Ctrl+L clears, Ctrl+S exports, Ctrl+O imports; ⌘ works as Ctrl', () => {
    expect(shortcutOf(key('l', { ctrl: true }))).toBe('clear');
    expect(shortcutOf(key('s', { ctrl: true }))).toBe('export');
    expect(shortcutOf(key('o', { ctrl: true }))).toBe('import');
    expect(shortcutOf(key('l', { meta: true }))).toBe('clear');
    expect(shortcutOf(key('s', { meta: true }))).toBe('export');
  });

  it('with Shift (or Caps Lock) the letter still counts', () => {
    expect(shortcutOf(key('L', { ctrl: true }))).toBe('clear');
    expect(shortcutOf(key('O', { meta: true }))).toBe('import');
  });

  it('without Ctrl or ⌘, or another letter, nothing: typing in the filter box stays typing', () => {
    expect(shortcutOf(key('l'))).toBeUndefined();
    expect(shortcutOf(key('s'))).toBeUndefined();
    expect(shortcutOf(key('a', { ctrl: true }))).toBeUndefined();
    expect(shortcutOf(key('Control', { ctrl: true }))).toBeUndefined();
  });
});

describe('view keys: the connection list', () => {
  it('arrows, Home and End move; Escape deselects; other keys are not ours', () => {
    expect(listKeyOf('ArrowDown')).toBe('next');
    expect(listKeyOf('ArrowUp')).toBe('previous');
    expect(listKeyOf('Home')).toBe('first');
    expect(listKeyOf('End')).toBe('last');
    expect(listKeyOf('Escape')).toBe('deselect');
    expect(listKeyOf('ArrowLeft')).toBeUndefined();
    expect(listKeyOf('Enter')).toBeUndefined();
    expect(listKeyOf('j')).toBeUndefined();
  });
});

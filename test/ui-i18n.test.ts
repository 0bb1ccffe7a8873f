import { describe, expect, it } from 'vitest';

import { detectLang, ui, uiCatalogue, uiKeys } from '../src/panel/i18n.ts';

/** Texts that may stay the same in both languages: technical terms Japanese UIs keep in English. */
const SAME_TEXT_OK = new Set(['URL', 'iframe', 'JSON', 'HAR', 'Base64', 'hex', 'UTF-8', 'WebSocket']);

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('panel UI catalogue', () => {
  const en = uiCatalogue('en');
  const ja = uiCatalogue('ja');
  const keys = uiKeys();

  it('has keys', () => {
    expect(keys.length).toBeGreaterThan(50);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('both languages have exactly the same keys', () => {
    expect(Object.keys(ja).sort()).toEqual([...keys].sort());
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
  });

  it.each(uiKeys())('%s has a non-empty text in en and ja', (key) => {
    expect(typeof en[key]).toBe('string');
    expect(typeof ja[key]).toBe('string');
    expect(en[key].trim()).not.toBe('');
    expect(ja[key].trim()).not.toBe('');
  });

  it('ja differs from en except for a short allowlist of technical terms', () => {
    const same = keys.filter((k) => en[k] === ja[k] && !SAME_TEXT_OK.has(en[k]));
    expect(same).toEqual([]);
    // The allowlist is in use (URL, iframe) and stays short.
    expect(keys.filter((k) => en[k] === ja[k]).length).toBeGreaterThanOrEqual(2);
    expect(keys.filter((k) => en[k] === ja[k]).length).toBeLessThanOrEqual(8);
  });

  it('ja texts are Japanese (contain kana or kanji) except for the allowlist', () => {
    const jp = /[\u3040-\u30ff\u4e00-\u9fff]/;
    const notJapanese = keys.filter((k) => !SAME_TEXT_OK.has(ja[k]) && !jp.test(ja[k]));
    expect(notJapanese).toEqual([]);
  });

  it('every placeholder of en is in ja, and ja has no other', () => {
    for (const k of keys) expect({ key: k, ph: placeholders(ja[k]) }).toEqual({ key: k, ph: placeholders(en[k]) });
    // The catalogue does use placeholders.
    expect(placeholders(en.evictedMessages)).toEqual(['n']);
    expect(placeholders(en.createThrew)).toEqual(['error']);
  });

  it('ui() fills placeholders, every occurrence, in both languages', () => {
    expect(ui('en', 'summaryCount', { n: 3 })).toBe('3 connections');
    expect(ui('ja', 'summaryCount', { n: 3 })).toBe('接続 3 件');
    expect(ui('en', 'createThrew', { error: 'SyntaxError: bad' })).toBe('new WebSocket() threw: SyntaxError: bad');
    expect(ui('ja', 'createThrew', { error: 'SyntaxError: bad' })).toContain('SyntaxError: bad');
    expect(ui('ja', 'createThrew', { error: 'x' })).not.toContain('{error}');
    // A value that looks like a placeholder or a regex replacement pattern is inserted as is.
    expect(ui('en', 'createThrew', { error: '$& {n} $1' })).toBe('new WebSocket() threw: $& {n} $1');
    expect(ui('en', 'clear')).toBe('Clear');
    expect(ui('ja', 'clear')).toBe('クリア');
  });
});

describe('detectLang', () => {
  it.each([
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['JA-jp', 'ja'],
    ['ja_JP', 'ja'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['fr', 'en'],
    ['zh-CN', 'en'],
    ['jam', 'en'], // Jamaican Creole is not Japanese: only "ja" or "ja-*" counts
    ['', 'en'],
    [undefined, 'en'],
  ] as const)('%s → %s', (locale, lang) => {
    expect(detectLang(locale)).toBe(lang);
  });
});

describe('the export dialog says what redaction covers', () => {
  // Redaction is on by default and covers payloads: the dialog must say so, in both languages.
  it('lists URLs, headers, payloads (binary left out), texts and what is kept', () => {
    for (const lang of ['en', 'ja'] as const) {
      const c = uiCatalogue(lang);
      expect(c.exportCoversUrls).toMatch(/token/);
      expect(c.exportCoversHeaders).toMatch(/Set-Cookie/);
      expect(c.exportCoversPayloads).toMatch(/Socket\.IO.*connection_init/);
      expect(c.exportCoversText).toMatch(/JWT/);
      expect(c.exportCoversNot).toBeTruthy();
    }
    expect(ui('en', 'exportRedact')).toMatch(/payloads/);
    expect(ui('en', 'exportCoversPayloads')).toMatch(/binary payloads left out/);
  });
});

import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../src/core/wire/payload.ts';
import { formatBytes, formatDuration, hexPreview, inert, preview, shortUrl } from '../src/panel/format.ts';

describe('inert', () => {
  it('shows bidi controls and invisible characters as escapes, leaves the rest', () => {
    expect(inert('a\u202Eb\u200Bc\uFEFFd\u2066e')).toBe('a⟨U+202E⟩b⟨U+200B⟩c⟨U+FEFF⟩d⟨U+2066⟩e');
    expect(inert('日本語 <b>x</b> مرحبا')).toBe('日本語 <b>x</b> مرحبا');
  });
});

describe('formatting', () => {
  it('previews are one line, bounded and inert', () => {
    expect(preview('a\nb\tc')).toBe('a b c');
    expect(preview('x'.repeat(1000), 10)).toBe(`${'x'.repeat(10)}…`);
    expect(preview('\u202Eevil')).toBe('⟨U+202E⟩evil');
    expect(preview(undefined)).toBe('');
  });
  it('hex previews decode base64 and cap the bytes', () => {
    expect(hexPreview('3q2+7w==', fromBase64)).toBe('de ad be ef');
    expect(hexPreview('AAAAAAAA', fromBase64, 2)).toBe('00 00 …');
  });
  it('short URLs keep the path and query, or the host for a bare root', () => {
    expect(shortUrl('ws://h:1/a/b?x=1')).toBe('/a/b?x=1');
    expect(shortUrl('ws://h:1/')).toBe('h:1/');
    expect(shortUrl('not a url')).toBe('not a url');
  });
  it('bytes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 kB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(formatDuration(450)).toBe('450 ms');
    expect(formatDuration(2500)).toBe('2.50 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(-1)).toBe('–');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { base64, fromBase64, utf8Length, utf8Prefix } from '../src/core/wire/payload.ts';

const nodeLen = (s: string) => Buffer.byteLength(s, 'utf8');

/** Strings of arbitrary UTF-16 code units, lone surrogates included. */
const arbUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }).map((a) => String.fromCharCode(...a));
/** Strings biased towards surrogates and multi-byte characters. */
const arbTricky = fc
  .array(fc.constantFrom('a', '~', 'é', 'ß', '€', '日', '\uffff', '😀', '𝄞', '\ud800', '\udfff', '\udbff', '\udc00', '\u0000', '\u07ff', '\u0800'), { maxLength: 40 })
  .map((a) => a.join(''));

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['hello', 5],
    ['\u0000\u007f', 2],
    ['é', 2],
    ['\u0080\u07ff', 4],
    ['€', 3],
    ['日本語', 9],
    ['\u0800\uffff', 6],
    ['😀', 4],
    ['a😀b', 6],
    ['𝄞𝄞', 8],
  ])('%j is %i bytes', (s, n) => {
    expect(utf8Length(s)).toBe(n);
    expect(utf8Length(s)).toBe(nodeLen(s));
  });

  it.each([
    ['\ud800', 3],
    ['\udc00', 3],
    ['a\ud800', 4],
    ['\ud800a', 4],
    ['\udc00\ud800', 6], // reversed pair: two lone surrogates
    ['\ud800\ud800\udc00', 7], // lone high, then a pair
    ['\ud83d\ude00\ude00', 7], // a pair, then a lone low
  ])('lone surrogates count as U+FFFD (3 bytes): %j → %i', (s, n) => {
    expect(utf8Length(s)).toBe(n);
    expect(utf8Length(s)).toBe(nodeLen(s));
  });

  it('matches Buffer.byteLength for any string (property)', () => {
    fc.assert(fc.property(arbUnits, (s) => {
      expect(utf8Length(s)).toBe(nodeLen(s));
    }), { numRuns: 500 });
    fc.assert(fc.property(arbTricky, (s) => {
      expect(utf8Length(s)).toBe(nodeLen(s));
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
      expect(utf8Length(s)).toBe(nodeLen(s));
    }), { numRuns: 300 });
  });
});

describe('utf8Prefix', () => {
  it('cuts at a character boundary', () => {
    expect(utf8Prefix('hello', 3)).toBe('hel');
    expect(utf8Prefix('hello', 10)).toBe('hello');
    expect(utf8Prefix('hello', 0)).toBe('');
    expect(utf8Prefix('日本語', 8)).toBe('日本');
    expect(utf8Prefix('日本語', 9)).toBe('日本語');
    expect(utf8Prefix('é!', 1)).toBe('');
    expect(utf8Prefix('a😀b', 4)).toBe('a');
    expect(utf8Prefix('a😀b', 5)).toBe('a😀');
    expect(utf8Prefix('😀', 3)).toBe('');
    expect(utf8Prefix('\ud800x', 3)).toBe('\ud800');
  });

  const check = (s: string, max: number) => {
    const p = utf8Prefix(s, max);
    expect(s.startsWith(p)).toBe(true);
    // Never exceeds the budget (as the wire would count it).
    expect(nodeLen(p)).toBeLessThanOrEqual(Math.max(0, max));
    expect(utf8Length(p)).toBe(nodeLen(p));
    // Never splits a surrogate pair.
    if (p.length > 0 && p.length < s.length) {
      const last = p.charCodeAt(p.length - 1);
      const next = s.charCodeAt(p.length);
      expect(last >= 0xd800 && last <= 0xdbff && next >= 0xdc00 && next <= 0xdfff).toBe(false);
    }
    // The longest such prefix: the next character (a whole pair) would not fit.
    if (p.length < s.length) {
      const c = s.charCodeAt(p.length);
      const d = s.charCodeAt(p.length + 1);
      const step = c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
      expect(nodeLen(s.slice(0, p.length + step))).toBeGreaterThan(max);
    }
  };

  it('never exceeds maxBytes, never splits a pair, and is the longest such prefix (property)', () => {
    fc.assert(fc.property(arbTricky, fc.integer({ min: 0, max: 60 }), check), { numRuns: 1000 });
    fc.assert(fc.property(arbUnits, fc.integer({ min: 0, max: 200 }), check), { numRuns: 500 });
  });

  it('handles every budget of a mixed string', () => {
    const s = 'a€😀\ud800b𝄞é';
    for (let max = 0; max <= nodeLen(s) + 2; max++) check(s, max);
  });
});

describe('base64', () => {
  const node = (bytes: Uint8Array, end = bytes.length) => Buffer.from(bytes.subarray(0, end)).toString('base64');

  it('equals Buffer for every length 0..300', () => {
    for (let len = 0; len <= 300; len++) {
      const bytes = new Uint8Array(len);
      for (let i = 0; i < len; i++) bytes[i] = (i * 151 + len * 7 + 255) & 0xff;
      expect(base64(bytes)).toBe(node(bytes));
    }
  });

  it('covers the whole alphabet and padding', () => {
    expect(base64(new Uint8Array([]))).toBe('');
    expect(base64(new Uint8Array([0]))).toBe('AA==');
    expect(base64(new Uint8Array([0xff, 0xff]))).toBe('//8=');
    expect(base64(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('+/+/');
    const all = new Uint8Array(256).map((_, i) => i);
    expect(base64(all)).toBe(node(all));
  });

  it('honours the end argument', () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7]);
    for (let end = 0; end <= bytes.length; end++) expect(base64(bytes, end)).toBe(node(bytes, end));
  });

  it('equals Buffer for random bytes and ends (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 0, max: b.length }))),
        ([bytes, end]) => {
          expect(base64(bytes)).toBe(node(bytes));
          expect(base64(bytes, end)).toBe(node(bytes, end));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('works on a view into a larger buffer', () => {
    const backing = new Uint8Array(32).map((_, i) => i * 3);
    const view = backing.subarray(5, 17);
    expect(base64(view)).toBe(Buffer.from(view).toString('base64'));
  });
});

describe('fromBase64', () => {
  it('round-trips base64 (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect([...fromBase64(base64(bytes))]).toEqual([...bytes]);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes what Buffer encodes, padded or not', () => {
    const bytes = new Uint8Array([104, 105, 33, 0, 255, 128]);
    for (let end = 0; end <= bytes.length; end++) {
      const b64 = Buffer.from(bytes.subarray(0, end)).toString('base64');
      expect([...fromBase64(b64)]).toEqual([...bytes.subarray(0, end)]);
      expect([...fromBase64(b64.replace(/=+$/, ''))]).toEqual([...bytes.subarray(0, end)]);
    }
    expect(new TextDecoder().decode(fromBase64('aGVsbG8gd29ybGQ='))).toBe('hello world');
  });

  it.each(['ab$d', 'ab d', 'ab\ncd', 'a-_b', 'AA=A', '=AAA', 'ä'])('throws on a character outside the alphabet: %j', (s) => {
    expect(() => fromBase64(s)).toThrow(/invalid base64 character/);
  });
});

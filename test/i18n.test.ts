// Completeness of the translations: walks the whole catalogue and every text the diagnosis
// engine can produce, and fails on a missing or empty text, a missing code 1000–1015, or a
// Japanese text identical to its English one (the usual sign of a string nobody translated).
import { describe, expect, it } from 'vitest';
import { catalogue, libraryNotes } from './helpers/catalogue.ts';
import { CATEGORY_LABEL } from '../src/core/knowledge/categories.ts';
import { diagnose, describeBackoff } from '../src/core/diagnosis/diagnose.ts';
import { BACKOFF, E, H } from '../src/core/knowledge/i18n/diagnosis.ts';
import { C, F } from '../src/core/knowledge/i18n/diagnosis-causes.ts';
import { CONFIDENCE, HC, HCause, HE, HF, HH } from '../src/core/knowledge/i18n/honest.ts';
import { SENDER_TEXTS } from '../src/core/knowledge/i18n/codes.ts';
import { NE, NH, SOURCE_NAME, sourceNames } from '../src/core/knowledge/i18n/network.ts';
import { NC, NF } from '../src/core/knowledge/i18n/network-causes.ts';
import { fmtDuration, isText, localize, type Text } from '../src/core/knowledge/i18n/text.ts';
import { INTERMEDIARIES } from '../src/core/knowledge/intermediaries.ts';
import { SCENARIOS } from './helpers/scenarios.ts';

/** Texts allowed to read the same in both languages: proper names only. */
const PROPER_NAMES = new Set<string>([]);
/** Hiragana, katakana or CJK ideographs: a Japanese sentence has at least one. */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

interface Found {
  path: string;
  text: Text;
}

/** Every { en, ja } in a structure, with where it was found. Functions are skipped here. */
function collect(x: unknown, path: string, out: Found[] = [], seen = new Set<unknown>()): Found[] {
  if (typeof x !== 'object' || x === null || seen.has(x)) return out;
  seen.add(x);
  if (isText(x)) {
    out.push({ path, text: x });
    return out;
  }
  for (const [k, v] of Object.entries(x)) collect(v, `${path}.${k}`, out, seen);
  return out;
}

/**
 * Calls every text function of a module with stand-in arguments, so that texts only built at
 * diagnosis time are checked too. The stand-in is at once a Text (durations, names) and a
 * string/number (via toString); further passes make one argument at a time empty or
 * undefined to reach the other branches. A result showing "undefined" came from an argument
 * of the wrong type for that position, not from a missing translation, and is skipped, as is
 * a call that throws for the same reason.
 */
function callAll(mod: Record<string, unknown>, name: string): Found[] {
  const standIn = { en: '3 s', ja: '3 秒', toString: () => '42' };
  const passes: unknown[][] = [[standIn, standIn, standIn, standIn]];
  for (let i = 0; i < 4; i++) {
    for (const empty of ['', undefined, false]) {
      const args: unknown[] = [standIn, standIn, standIn, standIn];
      args[i] = empty;
      passes.push(args);
    }
  }
  const out: Found[] = [];
  for (const [k, v] of Object.entries(mod)) {
    if (typeof v !== 'function') continue;
    for (const args of passes) {
      let r: unknown;
      try {
        r = (v as (...a: unknown[]) => unknown)(...args);
      } catch {
        continue; // this argument cannot be empty for this text: a type mismatch, not a gap
      }
      out.push(...collect(r, `${name}.${k}`).filter((f) => !/undefined/.test(f.text.en + f.text.ja)));
    }
  }
  return out;
}

function problems(found: readonly Found[]): string[] {
  const bad: string[] = [];
  for (const { path, text } of found) {
    if (!text.en.trim()) bad.push(`${path}: empty en`);
    if (!text.ja.trim()) bad.push(`${path}: empty ja`);
    if (PROPER_NAMES.has(text.en)) continue;
    if (text.en === text.ja) bad.push(`${path}: ja identical to en: ${text.en}`);
    else if (!JAPANESE.test(text.ja)) bad.push(`${path}: ja has no Japanese: ${text.ja}`);
  }
  return bad;
}

describe('catalogue translations', () => {
  const entries = catalogue();

  it('has every code 1000–1015', () => {
    const keys = new Set(entries.map((e) => e.key));
    const missing = Array.from({ length: 16 }, (_, i) => String(1000 + i)).filter((k) => !keys.has(k));
    expect(missing).toEqual([]);
  });

  it('every entry has a name, a meaning, causes and fixes, a link and a source', () => {
    const bad: string[] = [];
    for (const { key, info } of entries) {
      if (info.causes.length === 0) bad.push(`${key}: no causes`);
      if (info.fixes.length === 0) bad.push(`${key}: no fixes`);
      if (!/^https:\/\//.test(info.learnMore)) bad.push(`${key}: learnMore ${info.learnMore}`);
      if (!info.source) bad.push(`${key}: no source`);
      if (!info.officialName) bad.push(`${key}: no official name`);
    }
    expect(bad).toEqual([]);
  });

  it('every text exists in both languages and is translated', () => {
    const found = entries.flatMap(({ key, info }) => collect(info, key));
    expect(found.length).toBeGreaterThan(300);
    expect(problems(found)).toEqual([]);
  });

  it('sender texts, category names, library notes and intermediary remedies are translated', () => {
    const found = [
      ...collect(SENDER_TEXTS, 'sender'),
      ...collect(CATEGORY_LABEL, 'category'),
      ...collect(libraryNotes(), 'notes'),
      ...INTERMEDIARIES.flatMap((i) => collect(i.remedy, `intermediary.${i.id}`)),
    ];
    expect(problems(found)).toEqual([]);
  });
});

describe('diagnosis translations', () => {
  it('every static and generated text of the engine is translated', () => {
    const found = [
      ...collect(H, 'H'),
      ...collect(E, 'E'),
      ...collect(C, 'C'),
      ...collect(F, 'F'),
      ...collect(BACKOFF, 'BACKOFF'),
      ...callAll(H, 'H'),
      ...callAll(E, 'E'),
      ...callAll(C, 'C'),
      ...callAll(F, 'F'),
      ...callAll(BACKOFF, 'BACKOFF'),
      ...collect({ HE, HCause, HF, CONFIDENCE }, 'honest'),
      ...callAll(HH, 'HH'),
      ...callAll(HE, 'HE'),
      ...callAll(HC, 'HC'),
      ...callAll(HCause, 'HCause'),
      ...callAll(HF, 'HF'),
    ];
    expect(found.length).toBeGreaterThan(150);
    expect(problems(found)).toEqual([]);
  });

  it('every text of the network rules is translated', () => {
    const found = [
      ...collect(NH, 'NH'),
      ...collect(NE, 'NE'),
      ...collect(NC, 'NC'),
      ...collect(NF, 'NF'),
      ...collect(SOURCE_NAME, 'SOURCE_NAME'),
      ...collect(sourceNames([]), 'sourceNames([])'),
      ...collect(sourceNames(['webrequest', 'devtools', 'har']), 'sourceNames'),
      ...callAll(NH, 'NH'),
      ...callAll(NE, 'NE'),
      ...callAll(NC, 'NC'),
      ...callAll(NF, 'NF'),
    ];
    expect(found.length).toBeGreaterThan(150);
    expect(problems(found)).toEqual([]);
  });

  it('every diagnosis of every scenario is fully translated', () => {
    const found: Found[] = [];
    for (const sc of SCENARIOS) {
      const { a, sid } = sc.run();
      found.push(...collect(diagnose(a.conn(sid), a.ctx), sc.name));
    }
    expect(problems(found)).toEqual([]);
  });

  it('backoff descriptions are translated', () => {
    const found = (['none', 'constant', 'linear', 'exponential', 'irregular'] as const).flatMap((backoff) =>
      [true, false].flatMap((jitter) =>
        collect(describeBackoff({ backoff, jitter, factor: 2, stepMs: 1000, delaysMs: [1000, 2000] }), `${backoff}/${jitter}`),
      ),
    );
    expect(problems(found)).toEqual([]);
  });

  it('durations read naturally in both languages', () => {
    expect(fmtDuration(450)).toEqual({ en: '450 ms', ja: '450 ミリ秒' });
    expect(fmtDuration(3040)).toEqual({ en: '3.0 s', ja: '3.0 秒' });
    expect(fmtDuration(100_000)).toEqual({ en: '100 s', ja: '100 秒' });
    expect(fmtDuration(245_000)).toEqual({ en: '4 min 5 s', ja: '4 分 5 秒' });
    expect(fmtDuration(7_200_000)).toEqual({ en: '2 h', ja: '2 時間' });
    expect(localize(fmtDuration(60_000), 'ja')).toBe('60 秒');
  });
});

// The diagnosis corpus: real situations, each with the diagnosis it should get. Every line of
// test/corpus/cases.json names a file (an event fixture or a HAR the panel exported, see
// test/corpus/load.ts), the connection in it, the expected category and words the English
// headline must contain. CONTRIBUTING.md ("Diagnosis corpus") says how to add one.
//
// Known-wrong cases: a line with `"known": "fails until the diagnosis fix"` is a situation the
// engine gets wrong today. It runs with it.fails, so the suite stays green while it is wrong
// and turns red the moment the diagnosis gets it right — then remove its "known" flag (the
// failing test's output says which line). A known case that is not wrong is no use as a
// reminder: that red test is how it gets noticed.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { DIAGNOSIS_CATEGORIES, type Diagnosis } from '../src/core/diagnosis/diagnose.ts';
import { C, F } from '../src/core/knowledge/i18n/diagnosis-causes.ts';
import { NC, NF } from '../src/core/knowledge/i18n/network-causes.ts';
import type { Text } from '../src/core/knowledge/i18n/text.ts';
import type { Connection } from '../src/core/session/session.ts';
import { loadCase, type Loaded } from './corpus/load.ts';

interface Case {
  name: string;
  file: string;
  /** 1-based position in the file (the CLI report's #n), a fragment of one socket's URL, or "all". */
  connection: number | string;
  category: string;
  /** Words the English headline contains, case-insensitive; "a|b" accepts either. */
  headline: string[];
  /** Words it must not contain. */
  headlineNot?: string[];
  severity?: Diagnosis['severity'];
  /** Whether the file's reconnect chains include a storm (true) or none (false). */
  storm?: boolean;
  /** Fixes that must not be offered, by their name in src/core/knowledge/i18n: "F.keepRetrying". */
  fixesNot?: string[];
  /** The lab scenario (lab/public/lab.js) this case reproduces. */
  lab?: string;
  known?: string;
}

const KNOWN = 'fails until the diagnosis fix';
const dir = new URL('./corpus/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Case[];
const pathOf = (c: Case): string => new URL(c.file, dir).pathname;

/** The causes and fixes tables a case may name, by the name the source gives them. */
const TEXTS: Record<string, Record<string, unknown>> = { C, F, NC, NF };

function textNamed(id: string): Text {
  const [table, key] = id.split('.');
  const t = table !== undefined && key !== undefined ? TEXTS[table]?.[key] : undefined;
  if (typeof t !== 'object' || t === null) throw new Error(`no text ${id} (a fixed text of ${Object.keys(TEXTS).join(', ')}, e.g. F.keepRetrying)`);
  return t as Text;
}

const loaded = new Map<string, Loaded>();
function load(c: Case): Loaded {
  const path = pathOf(c);
  let l = loaded.get(path);
  if (!l) loaded.set(path, (l = loadCase(path)));
  return l;
}

function pick(c: Case, l: Loaded): Connection[] {
  if (c.connection === 'all') return l.connections;
  if (typeof c.connection === 'number') {
    const conn = l.connections[c.connection - 1];
    if (!conn) throw new Error(`${c.file} has ${l.connections.length} connection(s), no #${c.connection}`);
    return [conn];
  }
  const fragment = c.connection;
  const hits = l.connections.filter((x) => x.url.includes(fragment));
  if (hits.length !== 1) throw new Error(`${JSON.stringify(fragment)} matches ${hits.length} connections of ${c.file}; use its number`);
  return hits;
}

function check(c: Case): void {
  const l = load(c);
  for (const conn of pick(c, l)) {
    const d = l.diagnoses.get(conn.id)!;
    const what = `${conn.url}: ${d.category} — ${d.headline.en}`;
    expect(d.category, what).toBe(c.category);
    const headline = d.headline.en.toLowerCase();
    for (const word of c.headline) {
      expect(word.toLowerCase().split('|').some((w) => headline.includes(w)), `headline has ${JSON.stringify(word)}: ${what}`).toBe(true);
    }
    for (const word of c.headlineNot ?? []) expect(headline, what).not.toContain(word.toLowerCase());
    if (c.severity) expect(d.severity, what).toBe(c.severity);
    for (const id of c.fixesNot ?? []) {
      const banned = textNamed(id).en;
      expect(d.fixes.map((f) => f.en), `${id} offered: ${what}`).not.toContain(banned);
    }
  }
  if (c.storm !== undefined) expect(l.chains.some((ch) => ch.storm), `a storm among ${l.chains.length} chain(s)`).toBe(c.storm);
  if (c.known) console.error(`corpus: "${c.name}" is diagnosed right now: remove "known" from its line in test/corpus/cases.json`);
}

describe('the corpus index', () => {
  it('has at least 40 cases, each with a unique name, a file, a real category and a valid connection', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    const categories: readonly string[] = DIAGNOSIS_CATEGORIES;
    for (const c of cases) {
      expect(existsSync(pathOf(c)), c.file).toBe(true);
      expect(categories, c.name).toContain(c.category);
      expect(Array.isArray(c.headline), c.name).toBe(true);
      if (c.known !== undefined) expect(c.known, c.name).toBe(KNOWN);
      for (const id of c.fixesNot ?? []) expect(() => textNamed(id), c.name).not.toThrow();
      expect(pick(c, load(c)).length, c.name).toBeGreaterThan(0);
    }
  });

  it('reproduces every lab scenario', () => {
    // The lab page's scenario table is the list: a scenario added there without a case here fails.
    const lab = readFileSync(new URL('../lab/public/lab.js', import.meta.url), 'utf8');
    const table = lab.slice(lab.indexOf('var SCENARIOS = {'), lab.indexOf('\n  };', lab.indexOf('var SCENARIOS = {')));
    const names = [...table.matchAll(/^\s+'([a-z0-9-]+)': \{/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(30);
    const covered = new Set(cases.map((c) => c.lab));
    expect(names.filter((n) => !covered.has(n))).toEqual([]);
  });
});

describe('corpus', () => {
  it.each(cases.filter((c) => !c.known).map((c) => [c.name, c] as const))('%s', (_name, c) => check(c));
});

// Cases the engine gets wrong today, marked `known` in the index: it.fails keeps them green while
// the engine is wrong and turns them red once it is right, and then the flag goes. None now.
const known = cases.filter((c) => c.known);
if (known.length) {
  describe(`corpus, known wrong (${KNOWN}): expected to fail`, () => {
    for (const c of known) it.fails(c.name, () => check(c));
  });
}

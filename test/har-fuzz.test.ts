// Fuzzing the HAR importer: whatever a file holds, importHar returns a result — never throws,
// never pollutes prototypes — and an error is one short line naming the problem.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importHar } from '../src/core/har/har.ts';

const base = readFileSync(new URL('./fixtures/session.har', import.meta.url), 'utf8');
const baseJson = JSON.parse(base) as unknown;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Paths to every value in a JSON tree. */
function paths(v: Json, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function mutate(root: Json, path: Array<string | number>, op: 'delete' | 'replace' | 'proto', value: Json): Json {
  const copy = structuredClone(root);
  if (path.length === 0) return op === 'replace' ? value : copy;
  let parent: Json = copy;
  for (const k of path.slice(0, -1)) parent = (parent as Record<string, Json>)[k as string] as Json;
  const last = path[path.length - 1]!;
  const obj = parent as Record<string | number, Json>;
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete obj[last];
  } else if (op === 'replace') obj[last] = value;
  else if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    // A prototype key as JSON text would carry it (JSON.parse creates an own "__proto__").
    Object.defineProperty(obj, '__proto__', { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
  }
  return copy;
}

const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.constant('x'.repeat(100_000)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

const allPaths = paths(baseJson as Json);

function check(text: string): void {
  let r: ReturnType<typeof importHar> | undefined;
  expect(() => (r = importHar(text))).not.toThrow();
  if (r && !r.ok) {
    expect(r.error.length).toBeGreaterThan(0);
    expect(r.error.length).toBeLessThan(600);
    expect(r.error).not.toContain('\n');
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('importHar under fuzzing', () => {
  it('survives structural mutations of a valid file', () => {
    fc.assert(
      fc.property(fc.constantFrom(...allPaths), fc.constantFrom('delete', 'replace', 'proto') as fc.Arbitrary<'delete' | 'replace' | 'proto'>, jsonValue, (path, op, value) => {
        check(JSON.stringify(mutate(baseJson as Json, path, op, value)));
      }),
      { numRuns: 400 },
    );
  });

  it('survives truncation at any point and random bytes', () => {
    fc.assert(
      fc.property(fc.nat({ max: base.length }), (cut) => check(base.slice(0, cut))),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (junk) => check(junk)),
      { numRuns: 200 },
    );
  });

  it('survives deep nesting, giant strings and prototype keys written as text', () => {
    check(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    check(`{"log":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
    check(`{"log":{"entries":[],"x":"${'y'.repeat(5_000_000)}"}}`);
    check(base.replace('"log"', '"__proto__":{"polluted":1},"log"'));
    check(base.replace('"entries"', '"constructor":{"prototype":{"polluted":1}},"entries"'));
    check(base.replace(/"_socketAutopsy"/, '"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":1},"_socketAutopsy"'));
  });
});

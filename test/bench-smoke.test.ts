// `npm run bench` must not rot: every benchmark module (bench/*.bench.ts, found the way
// bench/run.ts finds them) runs here on tiny inputs, through the same code paths as --quick and
// the full run (it builds its own extension copies and launches the system Chromium, like the
// e2e tests). It asserts that each produced its figures, never what they are: a timing belongs
// in the benchmark's printed ratio, not in a test that fails on a slow machine.
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { buildRoot } from '../bench/support/build.ts';
import type { BenchModule, BenchResult } from '../bench/types.ts';

const benchDir = resolve(import.meta.dirname, '../bench');

/** Figures the issue asks for, by module: each must be there, with a target where it has one. */
const EXPECTED: Record<string, Array<{ name: RegExp; target?: boolean }>> = {
  'page.bench.ts': [
    { name: /^receive-text with Socket Autopsy/, target: true },
    { name: /^receive-binary with Socket Autopsy/, target: true },
    { name: /^send with Socket Autopsy/, target: true },
    { name: /^receive-text floor / },
    { name: /^receive-binary floor / },
    { name: /^send floor / },
    { name: /^receive-text with DevTools Network panel/ },
  ],
  'panel.bench.ts': [
    { name: /^latency server → panel store, 1,000 msg\/s, p50/ },
    { name: /^latency server → panel store, 10,000 msg\/s, p50/, target: true },
    { name: /^latency server → panel store, 10,000 msg\/s, p99/, target: true },
    { name: /^latency server → on screen \(selected\), 10,000 msg\/s, p50/, target: true },
    { name: /^panel longest task/, target: true },
    { name: /^scale: ingest/ },
    { name: /^scale: panel JS heap/, target: true },
    { name: /^scale: background JS heap/, target: true },
    { name: /^scale: messages accounted for/, target: true },
  ],
  'flood.bench.ts': [
    { name: /^flood: messages the page received/ },
    { name: /^flood: messages the panel counted/, target: true },
    { name: /^flood: evicted events in the status bar/, target: true },
    { name: /^frame of .*, text: received intact, listed truncated/, target: true },
    { name: /^frame of .*, binary: received intact, listed truncated/, target: true },
    { name: /sockets opened and closed in one task: all listed/, target: true },
    { name: /^panel JS heap after/, target: true },
    { name: /^background JS heap after/, target: true },
    { name: /^still usable after/, target: true },
  ],
  'idle.bench.ts': [{ name: /^idle: service worker starts, /, target: true }],
  // Deep capture on is measured only where the hub can attach (the module says so otherwise).
  'deep.bench.ts': [{ name: /^deep: receive-text with Socket Autopsy, panel open, deep capture off/ }, { name: /^deep: send with Socket Autopsy, panel open, deep capture off/ }],
  'firefox-page.bench.ts': [
    { name: /^firefox: send with Socket Autopsy/ },
    { name: /^firefox: send with the traps in the hook's world/ },
    { name: /^firefox: receive-text with Socket Autopsy/ },
    { name: /^firefox: receive-text with the traps in the hook's world/ },
  ],
  'har.bench.ts': [{ name: /^HAR export/, target: true }, { name: /^HAR import \(/, target: true }, { name: /^HAR file size/ }],
};
const modules = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

describe('bench smoke (tiny inputs)', () => {
  afterAll(() => rmSync(buildRoot, { recursive: true, force: true }));

  it('finds the benchmark modules', () => {
    expect(modules).toEqual(expect.arrayContaining(['flood.bench.ts', 'har.bench.ts', 'idle.bench.ts', 'page.bench.ts', 'panel.bench.ts']));
  });

  for (const file of modules) {
    it(
      `${file} runs and reports its figures`,
      async () => {
        const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as Partial<BenchModule>;
        expect(typeof mod.run).toBe('function');
        const results: BenchResult[] = await mod.run!({ quick: true, tiny: true });
        expect(results.length).toBeGreaterThan(0);
        for (const r of results) {
          expect(r.name, JSON.stringify(r)).toMatch(/\S/);
          expect(r.unit, r.name).toMatch(/\S/);
          expect(Number.isFinite(r.value), `${r.name}: ${r.value}`).toBe(true);
          // A target is always judged, one way or the other.
          if (r.target !== undefined) expect(typeof r.met, r.name).toBe('boolean');
        }
        for (const want of EXPECTED[file] ?? []) {
          const found = results.find((r) => want.name.test(r.name));
          expect(found, `${file}: no figure matching ${want.name}`).toBeDefined();
          if (want.target) expect(found!.target, found!.name).toBeDefined();
        }
      },
      120_000,
    );
  }
});

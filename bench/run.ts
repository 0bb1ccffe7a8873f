// Runs every bench module (bench/*.bench.ts) and prints one table; writes bench/results.json.
//
//   npm run bench                 all modules, full size
//   npm run bench -- --quick      smaller inputs (CI smoke run)
//   npm run bench -- har          only modules whose file name contains "har"
//   npm run bench -- --tiny       tiny inputs: proves every module runs (timings meaningless)
//
// A module exports `run(opts: BenchOptions): Promise<BenchResult[]>` (bench/types.ts).
// Adding a benchmark is adding a file: browser benchmarks can live here too, as long as they
// start and stop what they need inside `run`.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { buildRoot } from './support/build.ts';
import type { BenchModule, BenchResult } from './types.ts';

const here = dirname(fileURLToPath(import.meta.url));

async function main(argv: string[]): Promise<number> {
  const tiny = argv.includes('--tiny');
  const quick = tiny || argv.includes('--quick');
  const started = performance.now();
  const filters = argv.filter((a) => !a.startsWith('--'));
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  if (files.length === 0) {
    console.error(`bench: no module matches ${filters.join(', ')}`);
    return 2;
  }

  const all: Array<BenchResult & { module: string }> = [];
  let failed = false;
  for (const f of files) {
    const name = f.replace(/\.bench\.ts$/, '');
    const mod = (await import(pathToFileURL(join(here, f)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      console.error(`bench: ${f} does not export run()`);
      failed = true;
      continue;
    }
    process.stdout.write(`running ${name}${tiny ? ' (tiny)' : quick ? ' (quick)' : ''}…\n`);
    const t0 = performance.now();
    try {
      for (const r of await mod.run({ quick, tiny })) all.push({ module: name, ...r });
      process.stdout.write(`  ${name}: ${Math.round((performance.now() - t0) / 1000)} s\n`);
    } catch (e) {
      console.error(`bench: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      failed = true;
    }
  }

  rmSync(buildRoot, { recursive: true, force: true });
  printTable(all);
  const seconds = Math.round((performance.now() - started) / 1000);
  const cpu = cpus();
  const out = {
    date: new Date().toISOString(),
    quick,
    tiny,
    seconds,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    machine: `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    results: all,
  };
  writeFileSync(join(here, 'results.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(`\n${out.machine}; ${seconds} s in all; wrote ${join('bench', 'results.json')}`);
  return failed ? 1 : 0;
}

function printTable(rows: Array<BenchResult & { module: string }>): void {
  const head = ['module', 'benchmark', 'value', 'target', 'met', 'note'];
  const cells = rows.map((r) => [
    r.module,
    r.name,
    `${r.unit === 'bytes' ? r.value.toLocaleString('en') : r.value} ${r.unit}`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((x, i) => (i === 2 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log('');
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) console.log(line(c));
}

process.exitCode = await main(process.argv.slice(2));

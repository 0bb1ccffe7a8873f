// The contract between bench/run.ts and each bench module (bench/*.bench.ts).

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** What "good" is, in words (e.g. "< 1000 ms"). */
  target?: string;
  /** Whether this run met the target. */
  met?: boolean;
  note?: string;
}

export interface BenchOptions {
  /** Smaller inputs, same code paths (`npm run bench -- --quick`, < 2 min). */
  quick: boolean;
  /**
   * Tiny inputs for the smoke test in `npm test` (test/bench-smoke.test.ts): proves that every
   * benchmark still runs and produces its figures. Its timings mean nothing.
   */
  tiny?: boolean;
}

export interface BenchModule {
  run(opts: BenchOptions): Promise<BenchResult[]>;
}

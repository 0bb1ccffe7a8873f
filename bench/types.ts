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

export interface BenchModule {
  run(opts: { quick: boolean }): Promise<BenchResult[]>;
}

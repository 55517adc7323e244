/** Small timing and summary helpers shared by the benchmark phases. */
import { percentile } from '../eval/metrics.js';

/** Distribution of a set of timings, in milliseconds. */
export interface LatencySummary {
  /** Number of timed operations. */
  n: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * Summarises timings with the same nearest-rank percentile the evaluation uses, so the p50/p95
 * printed here and by `npm run eval` mean the same thing.
 */
export function summarize(ms: readonly number[]): LatencySummary {
  const total = ms.reduce((a, b) => a + b, 0);
  return {
    n: ms.length,
    meanMs: ms.length === 0 ? 0 : total / ms.length,
    p50Ms: percentile(ms, 50),
    p95Ms: percentile(ms, 95),
    maxMs: ms.length === 0 ? 0 : Math.max(...ms),
  };
}

/** Runs `fn` and returns its value with the wall-clock time it took. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** Writes a progress line to stderr, prefixed with the time since the run started, so stdout stays clean for the report or `--json`. */
export type Progress = (line: string) => void;

/** A {@link Progress} that stamps each line with the seconds elapsed since it was created. */
export function stderrProgress(): Progress {
  const start = performance.now();
  return (line) => process.stderr.write(`[bench ${((performance.now() - start) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

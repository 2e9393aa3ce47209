/** Summary of a latency sample, in microseconds. NaN where the sample is empty. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * Nearest-rank percentile of an ascending-sorted array (`q` in [0, 1]): the smallest value
 * with at least q of the sample at or below it. Exact, no interpolation: every reported
 * figure is a latency that some request actually saw.
 */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * n));
  return sorted[Math.min(n, rank) - 1]!;
}

/** Summarizes latencies (any unit; the caller's). */
export function summarize(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return {
    count: sorted.length,
    p50: percentileSorted(sorted, 0.5),
    p99: percentileSorted(sorted, 0.99),
    p999: percentileSorted(sorted, 0.999),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}

/** Median of a list (mean of the middle two when even), NaN if empty. */
export function median(values: readonly number[]): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return NaN;
  return n % 2 ? xs[(n - 1) / 2]! : (xs[n / 2 - 1]! + xs[n / 2]!) / 2;
}

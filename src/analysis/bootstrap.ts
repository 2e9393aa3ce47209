/**
 * Bootstrap confidence intervals (percentile method), built on simple-statistics'
 * `sampleWithReplacement` with a seeded generator so a report or a CI verdict is the same
 * every time it is computed from the same files. Pure.
 */
import { median, sampleWithReplacement } from 'simple-statistics';
import { mulberry32 } from '../measure/prng.js';

/** A point estimate with its confidence interval. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface BootstrapOptions {
  /** Resamples; 2000 keeps the 95 % bounds stable to a few tenths of a percent. */
  iterations?: number;
  /** Two-sided confidence level. */
  confidence?: number;
  seed?: number;
}

const DEFAULTS = { iterations: 2000, confidence: 0.95, seed: 0x6d6762 } as const;

/** The q-quantile of a sorted array, linear interpolation between order statistics. */
function quantileSorted(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Percentile-bootstrap interval of `statistic` over one sample. NaN bounds for an empty sample. */
export function bootstrapCI(values: readonly number[], statistic: (xs: number[]) => number, opts: BootstrapOptions = {}): Interval {
  if (values.length === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  const { iterations, confidence, seed } = { ...DEFAULTS, ...opts };
  const xs = [...values];
  const estimate = statistic(xs);
  if (xs.length === 1) return { estimate, lower: estimate, upper: estimate };
  const random = mulberry32(seed);
  const stats: number[] = [];
  for (let i = 0; i < iterations; i++) stats.push(statistic(sampleWithReplacement(xs, xs.length, random)));
  stats.sort((a, b) => a - b);
  const alpha = (1 - confidence) / 2;
  return { estimate, lower: quantileSorted(stats, alpha), upper: quantileSorted(stats, 1 - alpha) };
}

/** The median with its bootstrap confidence interval. */
export function medianCI(values: readonly number[], opts: BootstrapOptions = {}): Interval {
  return bootstrapCI(values, (xs) => median(xs), opts);
}

/**
 * Relative change of the median from `base` to `candidate` ((c − b) / b), with a
 * two-sample bootstrap interval: each resample draws both samples independently.
 * A zero base median gives 0 when the candidate median is also 0, else ±Infinity.
 */
export function relativeChangeCI(base: readonly number[], candidate: readonly number[], opts: BootstrapOptions = {}): Interval {
  if (base.length === 0 || candidate.length === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  const { iterations, confidence, seed } = { ...DEFAULTS, ...opts };
  const change = (b: number, c: number): number => (b === 0 ? (c === 0 ? 0 : Math.sign(c) * Infinity) : (c - b) / Math.abs(b));
  const bs = [...base];
  const cs = [...candidate];
  const estimate = change(median(bs), median(cs));
  const random = mulberry32(seed);
  const stats: number[] = [];
  for (let i = 0; i < iterations; i++) {
    stats.push(change(median(sampleWithReplacement(bs, bs.length, random)), median(sampleWithReplacement(cs, cs.length, random))));
  }
  stats.sort((a, b) => a - b);
  const alpha = (1 - confidence) / 2;
  const q = (p: number): number => {
    const v = quantileSorted(stats, p);
    return Number.isNaN(v) ? stats[Math.round((stats.length - 1) * p)]! : v; // Infinity − Infinity
  };
  return { estimate, lower: q(alpha), upper: q(1 - alpha) };
}

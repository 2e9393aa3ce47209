/**
 * Bencher Metric Format (BMF) JSON of a run: one benchmark per strategy and sweep point,
 * one measure per metric column, the median with its bootstrap confidence interval as
 * `lower_value` / `upper_value`. Pure.
 * https://bencher.dev/docs/reference/bencher-metric-format/
 */
import { medianCI } from './bootstrap.js';
import { groupLabel, groupRows, metricColumns, metricValues, type Group } from './groups.js';
import type { Row } from '../results/read-results.js';

export interface BmfMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}

export type Bmf = Record<string, Record<string, BmfMetric>>;

/**
 * A benchmark's name: the strategy and the sweep point (`async-clone @ size=64MiB`), so
 * two points of one strategy are two benchmarks in Bencher, never one overwritten.
 */
export function bmfKey(g: Pick<Group, 'strategy' | 'point'>): string {
  return groupLabel(g);
}

/** BMF of every metric with at least one value, over the successful repetitions. */
export function toBmf(rows: readonly Row[]): Bmf {
  const out: Bmf = {};
  const columns = metricColumns(rows);
  for (const g of groupRows(rows)) {
    const measures: Record<string, BmfMetric> = {};
    for (const metric of columns) {
      const xs = metricValues(g, metric);
      if (xs.length === 0) continue;
      const ci = medianCI(xs);
      measures[metric] = xs.length > 1 ? { value: ci.estimate, lower_value: ci.lower, upper_value: ci.upper } : { value: ci.estimate };
    }
    out[bmfKey(g)] = measures;
  }
  return out;
}

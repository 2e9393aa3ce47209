/**
 * Bencher Metric Format (BMF) JSON of a run: one benchmark per strategy (and sweep point),
 * one measure per metric column, the median with its bootstrap confidence interval as
 * `lower_value` / `upper_value`. Pure.
 * https://bencher.dev/docs/reference/bencher-metric-format/
 */
import { medianCI } from './bootstrap.js';
import { groupLabel, groupRows, metricColumns, metricValues } from './groups.js';
import type { Row } from '../results/read-results.js';

export interface BmfMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}

export type Bmf = Record<string, Record<string, BmfMetric>>;

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
    out[groupLabel(g)] = measures;
  }
  return out;
}

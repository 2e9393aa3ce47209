/**
 * The measured ordering table: per strategy (and sweep point), the medians of lost bytes,
 * split brain and interruption, the failure mode they show, and the one theory predicts
 * (each strategy's `predicted` text in the registry). Pure.
 */
import { median } from 'simple-statistics';
import { groupRows, metricValues } from './groups.js';
import type { RunColumn } from '../results/columns.js';
import type { Row } from '../results/read-results.js';

/** What theory says about a strategy; undefined for one the registry does not know. */
export interface Prediction {
  predicted: string;
  expectsNoLoss: boolean;
}

export interface OrderingRow {
  strategy: string;
  point: string;
  ok: number;
  reps: number;
  lost_bytes: number;
  split_brain_ms: number;
  interruption_ms: number;
  /** The failure mode the measurements show, in words. */
  measured: string;
  predicted: string;
  /** Whether the measured loss agrees with theory (no loss where none is expected, loss or split brain elsewhere). */
  asPredicted: boolean | undefined;
}

const med = (xs: number[]): number => (xs.length ? median(xs) : NaN);

/** The runs.csv columns the table reads, named from the record's column list. */
const col = (c: RunColumn): string => c;

/** Words for what a strategy's medians show. */
export function measuredMode(lost: number, splitBrain: number, corrupt: number, stale: number): string {
  const parts: string[] = [];
  if (lost > 0) parts.push('loss');
  if (splitBrain > 0) parts.push('split brain');
  if (corrupt > 0) parts.push('corruption');
  if (stale > 0) parts.push('stale reads');
  return parts.length ? parts.join(', ') : 'no loss';
}

export function orderingTable(rows: readonly Row[], predictionOf: (strategy: string) => Prediction | undefined): OrderingRow[] {
  return groupRows(rows).map((g) => {
    const lost = med(metricValues(g, col('lost_bytes')));
    const split = med(metricValues(g, col('split_brain_ms')));
    const corrupt = med(metricValues(g, col('corrupt_bytes')));
    const stale = med(metricValues(g, col('stale_reads')));
    const p = predictionOf(g.strategy);
    const anyLoss = metricValues(g, col('lost_bytes')).some((v) => v > 0);
    return {
      strategy: g.strategy,
      point: g.point,
      ok: g.ok.length,
      reps: g.rows.length,
      lost_bytes: lost,
      split_brain_ms: split,
      interruption_ms: med(metricValues(g, col('interruption_ms'))),
      measured: g.ok.length ? measuredMode(lost, split, corrupt, stale) : 'no successful repetition',
      predicted: p?.predicted ?? '',
      asPredicted: !p || g.ok.length === 0 ? undefined : p.expectsNoLoss ? !anyLoss : lost > 0 || split > 0,
    };
  });
}

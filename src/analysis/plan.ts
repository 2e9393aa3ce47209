/**
 * `migbench plan`: per-strategy models fitted on a run, used to predict the interruption
 * and the total drain time of a fleet. The explanatory variable is the transfer time of
 * one volume over its share of the link, `size × 8 × concurrency / measured link rate`:
 * it carries size, link and concurrency in one quantity, so a run that swept any of
 * them informs the prediction. Pure.
 */
import { median } from 'simple-statistics';
import { distinct } from './groups.js';
import { fitByStrategy, predict, predictionSe, type Fit } from './fit.js';
import { num, values, type Row } from '../results/read-results.js';

/** The fleet to plan for. */
export interface PlanTarget {
  sizeBytes: number;
  /** Link rate asked for, bits per second. */
  linkBps: number;
  volumes: number;
  /** Volumes migrated at once over the link (each gets 1/concurrency of it). */
  concurrency: number;
  writeRateBps?: number | undefined;
}

export interface Prediction {
  /** Predicted value and the range the fit supports (± 2 standard errors of a new observation, ≥ 0). */
  value: number;
  low: number;
  high: number;
}

export interface StrategyPlan {
  strategy: string;
  interruption: Prediction;
  /** One volume's migration (start → source released). */
  migration: Prediction;
  /** All volumes: waves of `concurrency` volumes, one after another. */
  drain: Prediction;
  fits: { interruption: Fit; migration: Fit };
  /** Transfer time of the target, s (the model's x). */
  x: number;
  warnings: string[];
}

export interface Plan {
  /** Measured / asked link rate in the run (median), applied to the target link. */
  linkEfficiency: number;
  strategies: StrategyPlan[];
  warnings: string[];
}

/**
 * Volumes migrated together in a row's repetition: rows of a drain carry a `volume`
 * number, and the rows of one drain share run, strategy, rep, sweep point and size.
 * A row without a volume number moved one volume alone.
 */
function concurrencyOf(rows: readonly Row[]): (r: Row) => number {
  const count = new Map<string, number>();
  const key = (r: Row): string => [r.run_id, r.strategy, r.rep, r.sweep_point ?? '', r.size_bytes].join('|');
  const inDrain = (r: Row): boolean => (r.volume ?? '').trim() !== '';
  for (const r of rows) if (inDrain(r)) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  return (r) => (inDrain(r) ? (count.get(key(r)) ?? 1) : 1);
}

/** The model's x for a row: seconds to move the volume over its share of the measured link. */
export function transferSeconds(sizeBytes: number, linkBps: number, concurrency: number): number {
  return (sizeBytes * 8 * concurrency) / linkBps;
}

function predictRange(f: Fit, x: number): Prediction {
  const value = Math.max(0, predict(f, x));
  const se = predictionSe(f, x);
  return { value, low: Math.max(0, value - 2 * se), high: value + 2 * se };
}

/** How far beyond the measured x a prediction may go before it is called an extrapolation. */
export const EXTRAPOLATION_FACTOR = 2;

export function plan(rows: readonly Row[], t: PlanTarget): Plan {
  const ok = rows.filter((r) => r.status === 'ok');
  const warnings: string[] = [];
  const ratios = ok.map((r) => (num(r, 'link_measured_bps') ?? NaN) / (num(r, 'link_bps') ?? NaN)).filter((x) => Number.isFinite(x) && x > 0);
  const linkEfficiency = ratios.length ? median(ratios) : 1;
  if (!ratios.length) warnings.push('no measured link in the run: assuming the link delivers its full rate');
  const conc = concurrencyOf(rows);
  const xVar = {
    name: 'transfer_s',
    of: (r: Row) => {
      const size = num(r, 'size_bytes');
      const link = num(r, 'link_measured_bps') ?? num(r, 'link_bps');
      return size === undefined || !link ? undefined : transferSeconds(size, link, conc(r));
    },
  };
  const x = transferSeconds(t.sizeBytes, t.linkBps * linkEfficiency, t.concurrency);
  const writeRates = values(ok, 'write_rate_bps');
  if (t.writeRateBps !== undefined && writeRates.length) {
    const lo = Math.min(...writeRates);
    const hi = Math.max(...writeRates);
    if (t.writeRateBps > hi * EXTRAPOLATION_FACTOR || t.writeRateBps < lo / EXTRAPOLATION_FACTOR) {
      warnings.push(`write rate ${t.writeRateBps / 8e6} MB/s is far outside the measured ${lo / 8e6}–${hi / 8e6} MB/s: the models do not include it`);
    }
  }
  const interruption = new Map(fitByStrategy(rows, 'interruption_ms', xVar).map((f) => [f.strategy, f]));
  const migration = new Map(fitByStrategy(rows, 'migration_ms', xVar).map((f) => [f.strategy, f]));
  const waves = Math.ceil(t.volumes / t.concurrency);
  const strategies: StrategyPlan[] = [];
  for (const s of distinct(rows, 'strategy')) {
    const fi = interruption.get(s);
    const fm = migration.get(s);
    if (!fi || !fm) continue;
    const w: string[] = [];
    if (fi.xMax === fi.xMin) w.push('size, link and concurrency did not vary in the run: the prediction is the measured mean');
    else if (x > fi.xMax * EXTRAPOLATION_FACTOR) w.push(`extrapolating ${(x / fi.xMax).toFixed(1)}× beyond the largest measured transfer (${fi.xMax.toFixed(2)} s)`);
    else if (x < fi.xMin / EXTRAPOLATION_FACTOR) w.push(`extrapolating below the smallest measured transfer (${fi.xMin.toFixed(2)} s)`);
    if (fi.n < 3) w.push(`only ${fi.n} successful repetitions`);
    const mig = predictRange(fm, x);
    strategies.push({
      strategy: s,
      interruption: predictRange(fi, x),
      migration: mig,
      drain: { value: mig.value * waves, low: mig.low * waves, high: mig.high * waves },
      fits: { interruption: fi, migration: fm },
      x,
      warnings: w,
    });
  }
  return { linkEfficiency, strategies, warnings };
}

const s = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
/** r², or why there is none: x did not vary, or the metric was constant (a perfect flat fit). */
const r2 = (f: Fit): string => (Number.isNaN(f.r2) ? (f.xMax > f.xMin ? 'const' : 'n/a') : f.r2.toFixed(2));

/** The plan as a text table for people. */
export function planTable(p: Plan): string {
  const head = ['strategy', 'interruption (range)', 'r²', 'per volume (range)', 'drain total (range)', 'r²', 'fit points'];
  const body = p.strategies.map((x) => [
    x.strategy,
    `${s(x.interruption.value)} (${s(x.interruption.low)}–${s(x.interruption.high)})`,
    r2(x.fits.interruption),
    `${s(x.migration.value)} (${s(x.migration.low)}–${s(x.migration.high)})`,
    `${s(x.drain.value)} (${s(x.drain.low)}–${s(x.drain.high)})`,
    r2(x.fits.migration),
    String(x.fits.interruption.n),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const notes = p.strategies.flatMap((x) => x.warnings.map((w) => `warning: ${x.strategy}: ${w}`));
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ...p.warnings.map((w) => `warning: ${w}`), ...notes].join('\n');
}

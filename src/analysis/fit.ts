/**
 * Least-squares fits of a metric against one explanatory variable, per strategy, with
 * simple-statistics' `linearRegression` and `rSquared`. Pure.
 */
import { linearRegression, linearRegressionLine, mean, rSquared } from 'simple-statistics';
import { distinct } from './groups.js';
import { num, type Row } from '../results/read-results.js';

/** metric ≈ intercept + slope · x over the repetitions of one strategy. */
export interface Fit {
  strategy: string;
  metric: string;
  /** Name of the explanatory variable (a column, or a derived quantity such as `transfer_s`). */
  x: string;
  slope: number;
  intercept: number;
  /** Coefficient of determination; NaN when x did not vary (the fit is the mean). */
  r2: number;
  n: number;
  xMin: number;
  xMax: number;
  /** Residual standard deviation (n − 2 degrees of freedom; 0 below 3 points). */
  residualSd: number;
  /** What else was swept, for a fit per series (`link=1Gbit/s`); '' when nothing else varied. */
  series?: string;
  /** Mean of x and Σ(x − x̄)², for the prediction interval. */
  xMean: number;
  sxx: number;
}

/** Explanatory variable: a column name, or a function of the row with its name. */
export type XVar = string | { name: string; of: (row: Row) => number | undefined };

/** Fits `metric` against `x` on one set of (x, y) points. */
export function fitPoints(points: readonly [number, number][], meta: Pick<Fit, 'strategy' | 'metric' | 'x'>): Fit | undefined {
  if (points.length === 0) return undefined;
  const xs = points.map((p) => p[0]);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  let slope = 0;
  let intercept = mean(points.map((p) => p[1]));
  let r2 = NaN;
  if (xMax > xMin) {
    const mb = linearRegression(points.map((p) => [...p]));
    slope = mb.m;
    intercept = mb.b;
    r2 = rSquared(points.map((p) => [...p]), linearRegressionLine(mb));
  }
  const residuals = points.map(([x, y]) => y - (intercept + slope * x));
  const dof = points.length - 2;
  const residualSd = dof > 0 ? Math.sqrt(residuals.reduce((s, e) => s + e * e, 0) / dof) : 0;
  const xMean = mean(xs);
  const sxx = xs.reduce((s, x) => s + (x - xMean) ** 2, 0);
  return { ...meta, slope, intercept, r2, n: points.length, xMin, xMax, residualSd, xMean, sxx };
}

/**
 * Standard error of a new observation at x: s·√(1 + 1/n + (x − x̄)²/Sxx). It grows as x
 * leaves the measured range, so an extrapolation carries a wider range.
 */
export function predictionSe(f: Fit, x: number): number {
  const lever = f.sxx > 0 ? (x - f.xMean) ** 2 / f.sxx : 0;
  return f.residualSd * Math.sqrt(1 + 1 / f.n + lever);
}

/** One fit per strategy (successful repetitions only), in the run's strategy order. */
export function fitByStrategy(rows: readonly Row[], metric: string, x: XVar): Fit[] {
  const name = typeof x === 'string' ? x : x.name;
  const xOf = typeof x === 'string' ? (r: Row) => num(r, x) : x.of;
  const fits: Fit[] = [];
  for (const strategy of distinct(rows, 'strategy')) {
    const points: [number, number][] = [];
    for (const r of rows) {
      if (r.strategy !== strategy || r.status !== 'ok') continue;
      const xv = xOf(r);
      const yv = num(r, metric);
      if (xv !== undefined && yv !== undefined && Number.isFinite(xv)) points.push([xv, yv]);
    }
    const f = fitPoints(points, { strategy, metric, x: name });
    if (f) fits.push(f);
  }
  return fits;
}

/**
 * The sweep point of a row without its `size=…` part: the series a size fit belongs to,
 * so a sweep over size × link fits one line per strategy and link.
 */
export function seriesOf(row: Row): string {
  return (row.sweep_point ?? '').split(' ').filter((p) => p && !p.startsWith('size=')).join(' ');
}

/** One size fit per strategy and series (whatever else the sweep varied). */
export function sizeFits(rows: readonly Row[], metric = 'interruption_ms'): Fit[] {
  return [...new Set(rows.map(seriesOf))].flatMap((series) => fitByStrategy(rows.filter((r) => seriesOf(r) === series), metric, 'size_bytes').map((f) => ({ ...f, series })));
}

/** The fitted value at x. */
export function predict(f: Fit, x: number): number {
  return f.intercept + f.slope * x;
}

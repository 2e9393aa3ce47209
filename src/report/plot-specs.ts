/**
 * Vega-Lite specs of the report's plots, with their data inline. Pure: rows in, specs
 * out; rendering is render.ts. Every spec groups by the `strategy` column, so strategies
 * added later appear without a change here.
 */
import type { TopLevelSpec } from 'vega-lite';
import { medianCI } from '../analysis/bootstrap.js';
import { distinct, groupRows, metricValues, type Group } from '../analysis/groups.js';
import { seriesOf, type Fit } from '../analysis/fit.js';
import { num, type Row } from '../results/read-results.js';
import { CONFIG, SCHEMA } from './plot-style.js';

export { PLOT_FONT } from './plot-style.js';

/** A facet on the sweep point, only when the run swept something. */
function pointRow(groups: readonly Group[]): Record<string, unknown> {
  const points = [...new Set(groups.map((g) => g.point))];
  return points.length > 1 ? { row: { field: 'point', type: 'nominal', sort: points, title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } } } : {};
}

/**
 * Interruption by strategy: every repetition as a dot, the median as a tick and its 95 %
 * bootstrap confidence interval as a bar; one row per sweep point.
 */
export function interruptionByStrategySpec(rows: readonly Row[], metric = 'interruption_ms'): TopLevelSpec {
  const groups = groupRows(rows);
  const strategies = distinct(rows, 'strategy');
  const data: Record<string, unknown>[] = [];
  for (const g of groups) {
    for (const r of g.ok) data.push({ kind: 'rep', strategy: g.strategy, point: g.point, rep: r.rep, value: num(r, metric) ?? null });
    const ci = medianCI(metricValues(g, metric));
    if (!Number.isNaN(ci.estimate)) data.push({ kind: 'median', strategy: g.strategy, point: g.point, value: ci.estimate, lower: ci.lower, upper: ci.upper });
  }
  const y = { field: 'strategy', type: 'nominal', sort: strategies, title: null };
  const color = { field: 'strategy', type: 'nominal', sort: strategies, legend: null };
  const unit = {
    width: 520,
    height: { step: 22 },
    layer: [
      { transform: [{ filter: "datum.kind === 'median'" }], mark: { type: 'rule', strokeWidth: 6, opacity: 0.35 }, encoding: { y, x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' }, color } },
      { transform: [{ filter: "datum.kind === 'median'" }], mark: { type: 'tick', thickness: 2, size: 18 }, encoding: { y, x: { field: 'value', type: 'quantitative' }, color: { value: 'black' }, tooltip: [{ field: 'value', title: 'median (ms)', format: '.1f' }, { field: 'lower', title: 'CI low (ms)', format: '.1f' }, { field: 'upper', title: 'CI high (ms)', format: '.1f' }] } },
      { transform: [{ filter: "datum.kind === 'rep'" }], mark: { type: 'point', filled: true, size: 45, opacity: 0.75 }, encoding: { y, x: { field: 'value', type: 'quantitative', title: `${metric === 'interruption_ms' ? 'interruption (ms)' : metric} — dots: repetitions; tick: median; bar: 95 % CI of the median` }, color } },
    ],
  };
  const facet = pointRow(groups);
  return {
    $schema: SCHEMA,
    title: 'Interruption by strategy',
    data: { values: data },
    ...(Object.keys(facet).length ? { facet, spec: unit } : unit),
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

/** Interruption against volume size per strategy: repetitions as dots, the fitted line through them. */
export function interruptionVsSizeSpec(rows: readonly Row[], fits: readonly Fit[], metric = 'interruption_ms'): TopLevelSpec {
  const strategies = distinct(rows, 'strategy');
  const MiB = 2 ** 20;
  const data: Record<string, unknown>[] = [];
  for (const r of rows) {
    const size = num(r, 'size_bytes');
    const v = num(r, metric);
    if (r.status !== 'ok' || size === undefined || v === undefined) continue;
    data.push({ kind: 'rep', strategy: r.strategy, series: seriesOf(r), size_mib: size / MiB, value: v });
  }
  for (const f of fits) {
    if (f.metric !== metric || f.x !== 'size_bytes') continue;
    for (const x of [f.xMin, f.xMax]) data.push({ kind: 'fit', strategy: f.strategy, series: f.series ?? '', size_mib: x / MiB, value: f.intercept + f.slope * x, r2: f.r2 });
  }
  // A sweep over size and something else: one panel per value of the rest.
  const series = [...new Set(data.map((d) => d.series as string))];
  const color = { field: 'strategy', type: 'nominal', sort: strategies, title: 'strategy' };
  const x = { field: 'size_mib', type: 'quantitative', title: 'volume size (MiB)' };
  const unit = {
    width: 520,
    height: 300,
    layer: [
      { transform: [{ filter: "datum.kind === 'fit'" }], mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'value', type: 'quantitative' }, color, detail: { field: 'strategy' } } },
      { transform: [{ filter: "datum.kind === 'rep'" }], mark: { type: 'point', filled: true, size: 45, opacity: 0.8 }, encoding: { x, y: { field: 'value', type: 'quantitative', title: metric === 'interruption_ms' ? 'interruption (ms)' : metric }, color } },
    ],
  };
  return {
    $schema: SCHEMA,
    title: 'Interruption against volume size (lines: least-squares fit per strategy)',
    data: { values: data },
    ...(series.length > 1 ? { facet: { row: { field: 'series', type: 'nominal', sort: series, title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } } }, spec: unit } : unit),
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

/** Lost bytes by strategy in MiB: the median as a bar, every repetition as a dot; one row per sweep point. */
export function lostBytesSpec(rows: readonly Row[], metric = 'lost_bytes'): TopLevelSpec {
  const groups = groupRows(rows);
  const strategies = distinct(rows, 'strategy');
  const MiB = 2 ** 20;
  const data: Record<string, unknown>[] = [];
  for (const g of groups) {
    for (const r of g.ok) data.push({ kind: 'rep', strategy: g.strategy, point: g.point, mib: (num(r, metric) ?? 0) / MiB });
    const ci = medianCI(metricValues(g, metric));
    if (!Number.isNaN(ci.estimate)) data.push({ kind: 'median', strategy: g.strategy, point: g.point, mib: ci.estimate / MiB });
  }
  const y = { field: 'strategy', type: 'nominal', sort: strategies, title: null };
  const color = { field: 'strategy', type: 'nominal', sort: strategies, legend: null };
  // Nothing lost anywhere: pin the axis at 0 … 1 MiB rather than a degenerate 0 … 0.
  const none = data.every((d) => d.mib === 0);
  const x = { field: 'mib', type: 'quantitative', title: `acknowledged writes lost (MiB) — bar: median; dots: repetitions${none ? ' — none lost' : ''}`, scale: none ? { domain: [0, 1] } : { zero: true } };
  const unit = {
    width: 520,
    height: { step: 22 },
    layer: [
      { transform: [{ filter: "datum.kind === 'median'" }], mark: { type: 'bar', opacity: 0.45, height: 14 }, encoding: { y, x, color } },
      { transform: [{ filter: "datum.kind === 'rep'" }], mark: { type: 'point', filled: true, size: 40, opacity: 0.8 }, encoding: { y, x, color } },
    ],
  };
  const facet = pointRow(groups);
  return {
    $schema: SCHEMA,
    title: 'Lost bytes by strategy',
    data: { values: data },
    ...(Object.keys(facet).length ? { facet, spec: unit } : unit),
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

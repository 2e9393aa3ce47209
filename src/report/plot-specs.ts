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

/** The font every plot uses: rendered to PNG with this font file loaded explicitly. */
export const PLOT_FONT = 'DejaVu Sans';

const CONFIG = {
  font: PLOT_FONT,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

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
      { transform: [{ filter: "datum.kind === 'median'" }], mark: { type: 'tick', thickness: 2, size: 18 }, encoding: { y, x: { field: 'value', type: 'quantitative' }, color: { value: 'black' }, tooltip: [{ field: 'value', title: 'median ms', format: '.1f' }, { field: 'lower', format: '.1f' }, { field: 'upper', format: '.1f' }] } },
      { transform: [{ filter: "datum.kind === 'rep'" }], mark: { type: 'point', filled: true, size: 45, opacity: 0.75 }, encoding: { y, x: { field: 'value', type: 'quantitative', title: `${metric} (dots: repetitions; tick: median; bar: 95% CI of the median)` }, color } },
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
      { transform: [{ filter: "datum.kind === 'rep'" }], mark: { type: 'point', filled: true, size: 45, opacity: 0.8 }, encoding: { x, y: { field: 'value', type: 'quantitative', title: metric }, color } },
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

/**
 * Which repetition the timeline shows for each strategy: the first repetition at the
 * last sweep point (the largest volume of a size sweep), and of a drain its first volume.
 */
export function timelineSelection(timeline: readonly Row[]): { point: string; rep: string; volume: string } | undefined {
  if (timeline.length === 0) return undefined;
  const points = distinct(timeline, 'sweep_point');
  const point = points[points.length - 1]!;
  const atPoint = timeline.filter((r) => (r.sweep_point ?? '') === point);
  const rep = distinct(atPoint, 'rep')[0]!;
  const volume = distinct(atPoint.filter((r) => r.rep === rep), 'volume')[0]!;
  return { point, rep, volume };
}

/**
 * Hydration timeline: hydrated fraction per window (top) and read p50/p99 per window
 * (bottom, log scale), against time from the migration start, one line per strategy.
 */
export function hydrationTimelineSpec(timeline: readonly Row[]): TopLevelSpec {
  const sel = timelineSelection(timeline);
  const mine = sel ? timeline.filter((r) => (r.sweep_point ?? '') === sel.point && r.rep === sel.rep && (r.volume ?? '') === sel.volume) : [];
  const strategies = distinct(mine, 'strategy');
  const frac: Record<string, unknown>[] = [];
  const reads: Record<string, unknown>[] = [];
  for (const r of mine) {
    const t = (num(r, 't_ms') ?? 0) / 1000;
    const h = num(r, 'hydrated_fraction');
    if (h !== undefined) frac.push({ strategy: r.strategy, t_s: t, hydrated: h });
    for (const p of ['p50', 'p99'] as const) {
      const v = num(r, `read_${p}_us`);
      if (v !== undefined && v > 0) reads.push({ strategy: r.strategy, t_s: t, percentile: p, read_us: v });
    }
  }
  const color = { field: 'strategy', type: 'nominal', sort: strategies, title: 'strategy' };
  // Both panels on one time axis: the same domain, from the first window to the last.
  const ts = mine.map((r) => (num(r, 't_ms') ?? 0) / 1000);
  const domain = ts.length ? [Math.min(...ts), Math.max(...ts)] : [0, 1];
  const x = { field: 't_s', type: 'quantitative', title: 's from migration start', scale: { domain, nice: false } };
  const where = sel ? `rep ${sel.rep}${sel.point ? `, ${sel.point}` : ''}${sel.volume ? `, volume ${sel.volume}` : ''}` : 'no timeline';
  return {
    $schema: SCHEMA,
    title: `Hydration timeline (${where})`,
    vconcat: [
      { data: { values: frac }, width: 520, height: 150, mark: { type: 'line', interpolate: 'step-after' }, encoding: { x, y: { field: 'hydrated', type: 'quantitative', title: 'hydrated fraction', scale: { domain: [0, 1] } }, color } },
      {
        data: { values: reads },
        width: 520,
        height: 200,
        mark: { type: 'line' },
        encoding: {
          x,
          y: { field: 'read_us', type: 'quantitative', title: 'read latency per window (µs)', scale: { type: 'log' } },
          color,
          strokeDash: { field: 'percentile', type: 'nominal', title: 'read', sort: ['p50', 'p99'], legend: { symbolType: 'stroke', symbolStrokeColor: '#333', symbolStrokeWidth: 2, symbolSize: 300 } },
          detail: { field: 'percentile' },
        },
      },
    ],
    resolve: { scale: { color: 'shared' } },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

/** Lost bytes by strategy: the median as a bar, every repetition as a dot; one row per sweep point. */
export function lostBytesSpec(rows: readonly Row[], metric = 'lost_bytes'): TopLevelSpec {
  const groups = groupRows(rows);
  const strategies = distinct(rows, 'strategy');
  const KiB = 1024;
  const data: Record<string, unknown>[] = [];
  for (const g of groups) {
    for (const r of g.ok) data.push({ kind: 'rep', strategy: g.strategy, point: g.point, kib: (num(r, metric) ?? 0) / KiB });
    const ci = medianCI(metricValues(g, metric));
    if (!Number.isNaN(ci.estimate)) data.push({ kind: 'median', strategy: g.strategy, point: g.point, kib: ci.estimate / KiB });
  }
  const y = { field: 'strategy', type: 'nominal', sort: strategies, title: null };
  const color = { field: 'strategy', type: 'nominal', sort: strategies, legend: null };
  // Nothing lost anywhere: pin the axis at 0 … 1 KiB rather than a degenerate 0 … 0.
  const none = data.every((d) => d.kib === 0);
  const x = { field: 'kib', type: 'quantitative', title: `acknowledged KiB lost (bar: median; dots: repetitions)${none ? ' — none lost' : ''}`, scale: none ? { domain: [0, 1] } : { zero: true } };
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

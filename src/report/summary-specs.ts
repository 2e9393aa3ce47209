/**
 * Run-level plots from runs.csv: read latency by phase (p50, p99, p99.9 of every
 * repetition) and the trade-off between interruption, lost writes and exposure. Pure.
 */
import type { TopLevelSpec } from 'vega-lite';
import { median } from 'simple-statistics';
import { distinct, groupLabel, groupRows } from '../analysis/groups.js';
import { num, values, type Row } from '../results/read-results.js';
import { CONFIG, SCHEMA } from './plot-style.js';

/** The read phases of runs.csv and the percentile columns each has. */
export const PHASES = [
  { phase: 'baseline (A, before)', suffix: 'baseline', percentiles: ['p50', 'p99', 'p999'] },
  { phase: 'hydrating (B, until hydrated)', suffix: 'hydrating', percentiles: ['p50', 'p99', 'p999'] },
  { phase: 'hydrated (B, after)', suffix: 'hydrated', percentiles: ['p50', 'p99'] },
] as const;

const LABEL: Record<string, string> = { p50: 'p50', p99: 'p99', p999: 'p99.9' };

/** One point per repetition × phase × percentile, in ms. */
export function latencyData(rows: readonly Row[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const r of rows) {
    if (r.status !== 'ok') continue;
    const label = groupLabel({ strategy: r.strategy ?? '', point: r.sweep_point ?? '' });
    for (const ph of PHASES) {
      for (const p of ph.percentiles) {
        const v = num(r, `read_${p}_us_${ph.suffix}`);
        if (v !== undefined && v > 0) out.push({ strategy: label, rep: r.rep, key: `${label}|${r.rep}`, phase: ph.phase, percentile: LABEL[p], ms: v / 1000 });
      }
    }
  }
  return out;
}

/** Read latency by phase: a column per phase, a row per strategy, each repetition's p50 → p99.9 on a log axis. */
export function latencyByPhaseSpec(rows: readonly Row[]): TopLevelSpec {
  const data = latencyData(rows);
  const strategies = distinct(data as Row[], 'strategy');
  const y = { field: 'strategy', type: 'nominal', sort: strategies, title: null, axis: { labelLimit: 320 } };
  const x = { field: 'ms', type: 'quantitative', title: 'read latency (ms, log)', scale: { type: 'log' } };
  return {
    $schema: SCHEMA,
    title: { text: 'Read latency by phase', subtitle: 'one row of dots per repetition: p50, p99 and p99.9 of the reads scheduled in the phase; line from p50 to the highest' },
    data: { values: data },
    facet: { column: { field: 'phase', type: 'nominal', sort: PHASES.map((p) => p.phase), title: null, header: { labelFontSize: 12 } } },
    spec: {
      width: 250,
      height: { step: 7 },
      layer: [
        { mark: { type: 'line', strokeWidth: 1, color: '#999' }, encoding: { y, yOffset: { field: 'rep', type: 'nominal' }, x, detail: { field: 'key' } } },
        { mark: { type: 'point', filled: true, size: 22 }, encoding: { y, yOffset: { field: 'rep', type: 'nominal' }, x, color: { field: 'percentile', type: 'nominal', sort: ['p50', 'p99', 'p99.9'], title: 'percentile', scale: { range: ['#1b9e77', '#d95f02', '#7570b3'] } } } },
      ],
    },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

const med = (xs: number[]): number | null => (xs.length ? median(xs) : null);

/** One point per strategy and sweep point: medians of interruption, lost MiB, exposure and split brain. */
export function tradeoffData(rows: readonly Row[]): Record<string, unknown>[] {
  return groupRows(rows)
    .filter((g) => g.ok.length > 0)
    .map((g) => ({
      strategy: g.strategy,
      point: g.point,
      interruption_ms: med(values(g.ok, 'interruption_ms')),
      lost_mib: (med(values(g.ok, 'lost_bytes')) ?? 0) / 2 ** 20,
      exposure_s: (med(values(g.ok, 'hydration_ms')) ?? 0) / 1000,
      split_brain: values(g.ok, 'split_brain_ms').some((v) => v > 0) ? 'split brain' : 'no split brain',
    }));
}

/**
 * Puts a point's label below it when the point left of it, close on both axes, has its
 * label above: neighbours' labels then do not overwrite each other.
 */
export function labelSides(points: Record<string, unknown>[]): Record<string, unknown>[] {
  const xs = points.map((p) => Number(p.interruption_ms ?? 0));
  const ys = points.map((p) => Number(p.lost_mib ?? 0));
  const dx = (Math.max(...xs, 1) - Math.min(...xs, 0)) * 0.08;
  const dy = (Math.max(...ys, 1) - Math.min(...ys, 0)) * 0.06;
  const order = points.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const below = new Array<boolean>(points.length).fill(false);
  order.forEach((i, k) => {
    const j = order[k - 1];
    if (j !== undefined && Math.abs(xs[i]! - xs[j]!) < dx && Math.abs(ys[i]! - ys[j]!) < dy) below[i] = !below[j];
  });
  return points.map((p, i) => ({ ...p, below: below[i] }));
}

/**
 * The trade-off: interruption (x) against acknowledged writes lost (y); the area is the
 * exposure (time B depends on A: first write on B until hydrated); a cross marks split brain.
 */
export function tradeoffSpec(rows: readonly Row[]): TopLevelSpec {
  const raw = tradeoffData(rows);
  const points = [...new Set(raw.map((d) => d.point as string))];
  // Labels are placed per panel: neighbours only collide within one sweep point.
  const data = points.flatMap((p) => labelSides(raw.filter((d) => d.point === p)));
  const x = { field: 'interruption_ms', type: 'quantitative', title: 'interruption, median (ms)' };
  // Nothing lost anywhere: pin the axis at 0 … 1 MiB rather than a degenerate 0 … 0.
  const none = raw.every((d) => d.lost_mib === 0);
  const y = { field: 'lost_mib', type: 'quantitative', title: 'acknowledged writes lost, median (MiB)', ...(none ? { scale: { domain: [0, 1] } } : {}) };
  return {
    $schema: SCHEMA,
    title: { text: 'Trade-off: interruption vs lost writes vs exposure', subtitle: 'best is bottom left and small; area = exposure (s B depends on A after it serves); cross = split brain' },
    data: { values: data },
    ...(points.length > 1 ? { facet: { row: { field: 'point', type: 'nominal', sort: points, title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } } }, spec: tradeoffUnit(x, y, 180) } : tradeoffUnit(x, y, 300)),
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

function tradeoffUnit(x: object, y: object, height: number): object {
  return {
    width: 620,
    height,
    layer: [
      {
        mark: { type: 'point', filled: true, opacity: 0.7 },
        encoding: {
          x,
          y,
          size: { field: 'exposure_s', type: 'quantitative', title: 'exposure (s)', scale: { range: [40, 900], zero: true } },
          shape: { field: 'split_brain', type: 'nominal', title: null, scale: { domain: ['no split brain', 'split brain'], range: ['circle', 'cross'] } },
          color: { field: 'split_brain', type: 'nominal', title: null, scale: { domain: ['no split brain', 'split brain'], range: ['#1f77b4', '#c0392b'] } },
        },
      },
      { transform: [{ filter: 'datum.below' }], mark: { type: 'text', align: 'left', dx: 9, dy: 12, fontSize: 11 }, encoding: { x, y, text: { field: 'strategy' } } },
      { transform: [{ filter: '!datum.below' }], mark: { type: 'text', align: 'left', dx: 9, dy: -7, fontSize: 11 }, encoding: { x, y, text: { field: 'strategy' } } },
    ],
  };
}

/**
 * Per-strategy small multiples of timeline.csv: every repetition of one strategy on one
 * time axis, in four panels — progress, read latency, acknowledged writes, link rate — with
 * the marks the record holds. Only real samples are drawn: a window without a sample is a
 * gap, never an interpolated value. Pure.
 */
import type { TopLevelSpec } from 'vega-lite';
import { num, type Row } from '../results/read-results.js';
import { CONFIG, SCHEMA } from './plot-style.js';

/**
 * Whether a repetition's reported hydrated fraction is real progress. nbdcopy reports
 * progress per 128 MiB work unit *handed out*, not per byte written: a 256 MiB copy reads
 * 0 → 0.5 → 1 and sits at 0.5 for the whole copy. Clones and mirrors report regions
 * actually on B, which take many values between 0 and 1.
 */
export function reportedProgressIsReal(rows: readonly Row[]): boolean {
  const interior = new Set(rows.map((r) => num(r, 'hydrated_fraction')).filter((v): v is number => v !== undefined && v > 0 && v < 1));
  return interior.size > 2;
}

/** The window of a timeline in ms: the scenario's, else the step between rows. */
export function windowMsOf(rows: readonly Row[], fallback = 250): number {
  const ts = [...new Set(rows.map((r) => num(r, 't_ms')).filter((v): v is number => v !== undefined))].sort((a, b) => a - b);
  return ts.length > 1 ? ts[1]! - ts[0]! : fallback;
}

/** A mark on the time axis of one repetition. */
export interface TimeMark {
  rep: string;
  mark: string;
  t_s: number;
}

/**
 * The marks of one repetition: exact ones from runs.csv (`*_at_ms` columns, ms from the
 * migration start, when the record has them; `migration_ms` = source released), and
 * sampled ones from timeline.csv (hydration done = first sample at fraction 1).
 */
export function timeMarks(run: Row | undefined, rows: readonly Row[]): TimeMark[] {
  const rep = rows[0]?.rep ?? run?.rep ?? '';
  const out: TimeMark[] = [];
  const exact: [string, string][] = [
    ['kill_at_ms', 'kill'],
    ['boot_at_ms', 'boot'],
    ['hydration_done_at_ms', 'hydration done'],
  ];
  for (const [col, mark] of exact) {
    const v = run ? num(run, col) : undefined;
    if (v !== undefined) out.push({ rep, mark, t_s: v / 1000 });
  }
  if (!out.some((m) => m.mark === 'hydration done')) {
    const done = rows.find((r) => (num(r, 't_ms') ?? -Infinity) >= 0 && num(r, 'hydrated_fraction') === 1);
    if (done) out.push({ rep, mark: 'hydration done', t_s: num(done, 't_ms')! / 1000 });
  }
  const released = run ? num(run, 'migration_ms') : undefined;
  if (released !== undefined) out.push({ rep, mark: 'source released', t_s: released / 1000 });
  return out;
}

/** The rows of one strategy (and sweep point, and first volume of a drain), by repetition. */
function byRep(timeline: readonly Row[], strategy: string, point: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  const volumes = new Set<string>();
  for (const r of timeline) {
    if (r.strategy !== strategy || (r.sweep_point ?? '') !== point) continue;
    volumes.add(r.volume ?? '');
    if ((r.volume ?? '') !== [...volumes][0]) continue;
    const rep = r.rep ?? '';
    if (!out.has(rep)) out.set(rep, []);
    out.get(rep)!.push(r);
  }
  for (const rows of out.values()) rows.sort((a, b) => (num(a, 't_ms') ?? 0) - (num(b, 't_ms') ?? 0));
  return out;
}

/** The series of one repetition as plot data, in human units. */
export function timelineData(rows: readonly Row[], sizeBytes: number | undefined, windowMs: number): { progress: Record<string, unknown>[]; reads: Record<string, unknown>[]; acks: Record<string, unknown>[]; wire: Record<string, unknown>[]; stalls: Record<string, unknown>[] } {
  const progress: Record<string, unknown>[] = [];
  const reads: Record<string, unknown>[] = [];
  const acks: Record<string, unknown>[] = [];
  const wire: Record<string, unknown>[] = [];
  const stalls: Record<string, unknown>[] = [];
  const real = reportedProgressIsReal(rows);
  // Windows with no acknowledged write count as a stall only between writes, not after the last.
  let lastAck = -1;
  rows.forEach((r, i) => {
    if ((num(r, 'write_acks') ?? 0) > 0) lastAck = i;
  });
  let sent = 0;
  let lastSampleT: number | undefined;
  for (const [i, r] of rows.entries()) {
    const rep = r.rep ?? '';
    const t = num(r, 't_ms') ?? 0;
    const t_s = t / 1000;
    const h = num(r, 'hydrated_fraction');
    if (real && h !== undefined && t >= 0) progress.push({ rep, t_s, series: 'hydrated (reported)', fraction: h });
    const w = num(r, 'wire_bytes');
    if (w !== undefined && t >= 0) {
      sent += w;
      // A window without a sample folds its bytes into the next: divide by the time they took.
      const span = lastSampleT === undefined ? windowMs : t - lastSampleT;
      wire.push({ rep, t_s, gbps: (w * 8) / (span / 1000) / 1e9 });
      if (sizeBytes) progress.push({ rep, t_s: t_s + windowMs / 1000, series: 'sent A→B / volume size', fraction: sent / sizeBytes });
      lastSampleT = t;
    }
    for (const p of ['p50', 'p99'] as const) {
      const v = num(r, `read_${p}_us`);
      // A window without reads is a gap in the line (null breaks the path), not a bridge.
      reads.push({ rep, t_s: t_s + windowMs / 2000, percentile: p, ms: v !== undefined && v > 0 ? v / 1000 : null });
    }
    const a = num(r, 'write_acks');
    if (a !== undefined) {
      acks.push({ rep, t_s: t_s + windowMs / 2000, per_s: a / (windowMs / 1000) });
      if (a === 0 && t >= 0 && i < lastAck) stalls.push({ rep, t_s, t2_s: t_s + windowMs / 1000 });
    }
  }
  return { progress, reads, acks, wire, stalls };
}

/**
 * One strategy's small multiple: four panels sharing the time axis (s from the migration
 * start), every repetition a colour, marks as vertical rules.
 */
export function strategyTimelineSpec(timeline: readonly Row[], runs: readonly Row[], strategy: string, point = ''): TopLevelSpec {
  const reps = byRep(timeline, strategy, point);
  const all = { progress: [] as Record<string, unknown>[], reads: [] as Record<string, unknown>[], acks: [] as Record<string, unknown>[], wire: [] as Record<string, unknown>[], stalls: [] as Record<string, unknown>[] };
  const marks: TimeMark[] = [];
  const windowMs = windowMsOf(timeline);
  let coarse = false;
  for (const [rep, rows] of reps) {
    const run = runs.find((r) => r.strategy === strategy && (r.sweep_point ?? '') === point && r.rep === rep);
    const d = timelineData(rows, run ? num(run, 'size_bytes') : undefined, windowMs);
    for (const k of Object.keys(all) as (keyof typeof all)[]) all[k].push(...d[k]);
    marks.push(...timeMarks(run, rows));
    coarse ||= !reportedProgressIsReal(rows);
  }
  const repNames = [...reps.keys()];
  const ts = [...all.reads, ...all.acks].map((d) => d.t_s as number);
  const domain = ts.length ? [Math.min(...ts), Math.max(...ts, ...marks.map((m) => m.t_s))] : [0, 1];
  const x = { field: 't_s', type: 'quantitative', title: 'time from migration start (s)', scale: { domain, nice: false } };
  const xHidden = { ...x, title: null, axis: { labels: false, ticks: false } };
  const color = { field: 'rep', type: 'nominal', sort: repNames, title: 'repetition', scale: { scheme: 'set1' } };
  const DASH: Record<string, number[]> = { kill: [2, 2], boot: [6, 2], 'hydration done': [1, 0], 'source released': [8, 3, 2, 3] };
  const present = Object.keys(DASH).filter((m) => marks.some((x) => x.mark === m));
  const markRules = {
    data: { values: marks },
    mark: { type: 'rule', strokeWidth: 1.3 },
    encoding: { x: { field: 't_s', type: 'quantitative' }, color, strokeDash: { field: 'mark', type: 'nominal', title: 'marks', scale: { domain: present, range: present.map((m) => DASH[m]) } } },
  };
  const stallBand = { data: { values: all.stalls }, mark: { type: 'rect', opacity: 0.12 }, encoding: { x: { field: 't_s', type: 'quantitative' }, x2: { field: 't2_s' }, color } };
  const series = ['hydrated (reported)', 'sent A→B / volume size'].filter((x) => all.progress.some((d) => d.series === x));
  const panel = (height: number, layers: unknown[]) => ({ width: 520, height, layer: [...layers, markRules] });
  // Short, multi-line axis titles: a title longer than its panel would push the panels apart.
  const progressTitle = coarse ? ['data on B', '(÷ volume size)'] : ['hydrated', 'fraction'];
  return {
    $schema: SCHEMA,
    title: { text: point ? `${strategy} @ ${point}` : strategy, subtitle: `${repNames.length} repetition${repNames.length === 1 ? '' : 's'}; shaded: windows with no acknowledged write; A→B: mean rate since the previous sample` },
    vconcat: [
      panel(90, [
        {
          data: { values: all.progress },
          mark: { type: 'line', point: { size: 12 } },
          encoding: { x: xHidden, y: { field: 'fraction', type: 'quantitative', title: progressTitle, scale: { domain: [0, 1], clamp: true } }, color, strokeWidth: { field: 'series', type: 'ordinal', sort: ['hydrated (reported)', 'sent A→B / volume size'], title: 'progress', scale: { domain: series, range: series.map((x) => (x.startsWith('hydrated') ? 2.5 : 1)) }, legend: series.length > 1 ? { symbolType: 'stroke' } : null }, detail: { field: 'series' } },
        },
      ]),
      panel(90, [
        stallBand,
        { data: { values: all.reads }, mark: { type: 'line', strokeWidth: 1.2 }, encoding: { x: xHidden, y: { field: 'ms', type: 'quantitative', title: ['read latency', '(ms, log)'], scale: { type: 'log' } }, color, opacity: { field: 'percentile', type: 'nominal', title: 'read percentile', sort: ['p50', 'p99'], scale: { domain: ['p50', 'p99'], range: [1, 0.45] } }, detail: { field: 'percentile' } } },
      ]),
      panel(70, [stallBand, { data: { values: all.acks }, mark: { type: 'line', strokeWidth: 1.2, interpolate: 'step-before' }, encoding: { x: xHidden, y: { field: 'per_s', type: 'quantitative', title: ['acked', 'writes /s'] }, color } }]),
      panel(70, [{ data: { values: all.wire }, mark: { type: 'line', strokeWidth: 1.2, interpolate: 'step-before' }, encoding: { x, y: { field: 'gbps', type: 'quantitative', title: 'A→B (Gbit/s)' }, color } }]),
    ],
    spacing: 6,
    resolve: { scale: { color: 'shared' } },
    config: { ...CONFIG, concat: { spacing: 6 }, legend: { ...CONFIG.legend, orient: 'right', rowPadding: 1, titlePadding: 2, offset: 6, labelLimit: 240 } },
  } as unknown as TopLevelSpec;
}

/**
 * `migbench compare`: per strategy, sweep point and metric, the medians of a base and a
 * candidate run, the relative change with a two-sample bootstrap confidence interval, and
 * a verdict. A gated metric regresses only when the whole interval lies beyond the
 * threshold in the worse direction (and the medians differ by more than a noise floor),
 * so run-to-run noise on a shared runner does not fail identical code. Any lost or
 * corrupt byte in a strategy that should lose none is always a regression. Pure.
 */
import { median } from 'simple-statistics';
import { relativeChangeCI, type Interval } from './bootstrap.js';
import { groupLabel, groupRows, higherIsBetter, metricColumns, metricValues, type Group } from './groups.js';
import type { RunColumn } from '../results/columns.js';
import { values, type Row } from '../results/read-results.js';

/** Metrics whose regression fails a comparison unless `metrics` says otherwise. */
export const DEFAULT_GATED: readonly string[] = ['interruption_ms', 'split_brain_ms', 'migration_ms', 'hydration_ms'] satisfies RunColumn[];

/** Columns that must be zero for a strategy that expects no loss. */
export const LOSS_COLUMNS: readonly string[] = ['lost_bytes', 'corrupt_bytes'] satisfies RunColumn[];

export interface CompareOptions {
  /** Relative change that counts as a regression (0.1 = 10 %). */
  threshold: number;
  /** Metrics that can fail the comparison; every other metric is reported only. */
  gated: readonly string[];
  /** Whether a strategy expects to lose no acknowledged byte (the registry knows). */
  expectsNoLoss: (strategy: string) => boolean;
  confidence?: number;
  iterations?: number;
}

export type Verdict = 'regression' | 'improvement' | 'unchanged' | 'no data';

export interface MetricComparison {
  group: string;
  strategy: string;
  point: string;
  metric: string;
  gated: boolean;
  base: { median: number; n: number };
  candidate: { median: number; n: number };
  /** Relative change of the median, (candidate − base) / base, with its confidence interval. */
  change: Interval;
  verdict: Verdict;
}

export interface Comparison {
  metrics: MetricComparison[];
  /** Why the comparison fails, one line each; empty = no regression. */
  regressions: string[];
  /** Groups present in one run only (not compared). */
  onlyInBase: string[];
  onlyInCandidate: string[];
  threshold: number;
  confidence: number;
}

/** Below these absolute differences a change is noise whatever its relative size. */
export function noiseFloor(metric: string): number {
  if (metric.endsWith('_ms')) return 5;
  if (metric.endsWith('_us') || /_us_/.test(metric)) return 50;
  return 0;
}

/** The columns that describe what was run: groups match only if all of them agree. */
const SCENARIO_KEY_COLUMNS = ['sweep_point', 'workload', 'size_bytes', 'block_size_bytes', 'write_rate_bps', 'read_rate_per_s', 'link_bps', 'latency_ms'] satisfies RunColumn[];

function matchKey(g: Group): string {
  const r = g.rows[0]!;
  return [g.strategy, ...SCENARIO_KEY_COLUMNS.map((c) => r[c] ?? '')].join('|');
}

/** Judges one metric of one group. */
function judge(metric: string, base: number[], cand: number[], o: CompareOptions): { change: Interval; verdict: Verdict } {
  if (base.length === 0 || cand.length === 0) return { change: { estimate: NaN, lower: NaN, upper: NaN }, verdict: 'no data' };
  const change = relativeChangeCI(base, cand, { confidence: o.confidence ?? 0.95, iterations: o.iterations ?? 2000 });
  const diff = Math.abs(median(cand) - median(base));
  if (diff <= noiseFloor(metric)) return { change, verdict: 'unchanged' };
  const up = change.lower > o.threshold; // confidently larger
  const down = change.upper < -o.threshold; // confidently smaller
  const worse = higherIsBetter(metric) ? down : up;
  const better = higherIsBetter(metric) ? up : down;
  return { change, verdict: worse ? 'regression' : better ? 'improvement' : 'unchanged' };
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %` : x > 0 ? '+∞' : x < 0 ? '−∞' : '–');

/** Compares every group and metric of two runs. */
export function compareRuns(baseRows: readonly Row[], candRows: readonly Row[], o: CompareOptions): Comparison {
  const base = new Map(groupRows(baseRows).map((g) => [matchKey(g), g]));
  const cand = new Map(groupRows(candRows).map((g) => [matchKey(g), g]));
  const metrics: MetricComparison[] = [];
  const regressions: string[] = [];
  const columns = [...new Set([...metricColumns(baseRows), ...metricColumns(candRows)])];
  for (const [key, c] of cand) {
    const b = base.get(key);
    if (!b) continue;
    const label = groupLabel(c);
    for (const metric of columns) {
      const gated = o.gated.includes(metric);
      const bv = metricValues(b, metric);
      const cv = metricValues(c, metric);
      const { change, verdict } = judge(metric, bv, cv, o);
      metrics.push({
        group: label,
        strategy: c.strategy,
        point: c.point,
        metric,
        gated,
        base: { median: bv.length ? median(bv) : NaN, n: bv.length },
        candidate: { median: cv.length ? median(cv) : NaN, n: cv.length },
        change,
        verdict,
      });
      if (gated && verdict === 'regression') {
        regressions.push(`${label}: ${metric} ${pct(change.estimate)} (${Math.round((o.confidence ?? 0.95) * 100)} % CI ${pct(change.lower)} … ${pct(change.upper)}), beyond ${pct(o.threshold)}`);
      }
    }
    if (o.expectsNoLoss(c.strategy)) {
      for (const col of LOSS_COLUMNS) {
        const lost = values(c.ok, col).filter((v) => v > 0);
        if (lost.length) regressions.push(`${label}: ${col} > 0 in ${lost.length} of ${c.ok.length} repetitions (max ${Math.max(...lost)}); this strategy must lose nothing`);
      }
    }
    const failed = c.rows.length - c.ok.length;
    if (failed > 0) regressions.push(`${label}: ${failed} of ${c.rows.length} repetitions failed`);
    if (c.ok.length === 0 && b.ok.length > 0) regressions.push(`${label}: no successful repetition (base had ${b.ok.length})`);
  }
  return {
    metrics,
    regressions,
    onlyInBase: [...base.entries()].filter(([k]) => !cand.has(k)).map(([, g]) => groupLabel(g)),
    onlyInCandidate: [...cand.entries()].filter(([k]) => !base.has(k)).map(([, g]) => groupLabel(g)),
    threshold: o.threshold,
    confidence: o.confidence ?? 0.95,
  };
}

const num = (x: number): string => (Number.isNaN(x) ? '–' : String(Number(x.toFixed(Math.abs(x) >= 100 ? 0 : 2))));

/**
 * The comparison as Markdown for a CI job summary: the verdict, the reasons, and a table
 * of the gated metrics (plus any other metric that changed beyond the threshold).
 */
export function compareMarkdown(c: Comparison, names: { base: string; candidate: string }): string {
  const ok = c.regressions.length === 0;
  const lines = [
    `## migbench compare: ${ok ? '✅ no regression' : `❌ ${c.regressions.length} regression${c.regressions.length > 1 ? 's' : ''}`}`,
    '',
    `base \`${names.base}\` → candidate \`${names.candidate}\`; threshold ${pct(c.threshold).replace('+', '')}, ${Math.round(c.confidence * 100)} % bootstrap CI of the change in medians`,
    '',
  ];
  if (!ok) lines.push(...c.regressions.map((r) => `- **${r}**`), '');
  if (c.onlyInBase.length) lines.push(`Only in base (not compared): ${c.onlyInBase.join(', ')}`, '');
  if (c.onlyInCandidate.length) lines.push(`Only in candidate (not compared): ${c.onlyInCandidate.join(', ')}`, '');
  const shown = c.metrics.filter((m) => m.gated || m.verdict === 'regression' || m.verdict === 'improvement');
  lines.push('| strategy | metric | base median | candidate median | change | CI | verdict |', '|---|---|---:|---:|---:|---|---|');
  for (const m of shown) {
    const v = m.verdict === 'regression' && !m.gated ? 'changed (not gated)' : m.verdict;
    lines.push(`| ${m.group} | ${m.metric}${m.gated ? '' : ' (info)'} | ${num(m.base.median)} (n=${m.base.n}) | ${num(m.candidate.median)} (n=${m.candidate.n}) | ${pct(m.change.estimate)} | ${pct(m.change.lower)} … ${pct(m.change.upper)} | ${v} |`);
  }
  return `${lines.join('\n')}\n`;
}

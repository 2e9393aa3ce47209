/**
 * `migbench compare`: per strategy, sweep point and metric, the medians of a base and a
 * candidate run, the relative change with a two-sample bootstrap confidence interval, and
 * a verdict. A gated metric regresses only when the whole interval lies beyond the
 * threshold in the worse direction (and the medians differ by more than a noise floor);
 * an interval that spans the threshold is *inconclusive*, never "unchanged". Independent
 * of any threshold, the candidate fails when it lacks a strategy or sweep point the base
 * ran, when a repetition failed, and when a strategy that must lose nothing lost, corrupted
 * or diverged a byte or served a stale or corrupt read. Pure.
 */
import { median } from 'simple-statistics';
import { relativeChangeCI, type Interval } from './bootstrap.js';
import { groupLabel, groupRows, higherIsBetter, metricColumns, metricValues, type Group } from './groups.js';
import type { RunColumn } from '../results/columns.js';
import { values, type Results, type Row } from '../results/read-results.js';
import { environmentDifferences, type EnvDifference } from './compare-environment.js';

/** Metrics whose regression fails a comparison unless `metrics` says otherwise. */
export const DEFAULT_GATED: readonly string[] = ['interruption_ms', 'split_brain_ms', 'migration_ms', 'hydration_ms'] satisfies RunColumn[];

/**
 * Columns that must be zero in every repetition of a strategy that expects no loss.
 * `corrupt_reads` is checked when a runs.csv has it (older records count corrupt reads in
 * timeline.csv only).
 */
export const LOSS_COLUMNS: readonly string[] = [...(['lost_bytes', 'corrupt_bytes', 'diverged_bytes', 'stale_reads'] satisfies RunColumn[]), 'corrupt_reads'];

export interface CompareOptions {
  /** Relative change that counts as a regression (0.1 = 10 %). */
  threshold: number;
  /** Metrics that can fail the comparison; every other metric is reported only. */
  gated: readonly string[];
  /** Whether a strategy must lose nothing (results/expectations.ts knows). */
  expectsNoLoss: (strategy: string) => boolean;
  confidence?: number;
  iterations?: number;
}

/**
 * `inconclusive`: the interval spans the threshold — the data cannot tell a change of
 * that size from none. `no data`: one side has no value.
 */
export type Verdict = 'regression' | 'improvement' | 'unchanged' | 'inconclusive' | 'no data';

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
  /** Groups of the base the candidate lacks (each one is also a regression). */
  onlyInBase: string[];
  /** Groups new in the candidate (not compared; still checked for loss and failures). */
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

/** Judges one metric of one group against the threshold, in the metric's worse direction. */
export function judge(metric: string, base: readonly number[], cand: readonly number[], o: Pick<CompareOptions, 'threshold' | 'confidence' | 'iterations'>): { change: Interval; verdict: Verdict } {
  if (base.length === 0 || cand.length === 0) return { change: { estimate: NaN, lower: NaN, upper: NaN }, verdict: 'no data' };
  const change = relativeChangeCI(base, cand, { confidence: o.confidence ?? 0.95, iterations: o.iterations ?? 2000 });
  if (Math.abs(median(cand) - median(base)) <= noiseFloor(metric)) return { change, verdict: 'unchanged' };
  // The interval of the change in the worse direction: positive is worse.
  const [lo, hi] = higherIsBetter(metric) ? [-change.upper, -change.lower] : [change.lower, change.upper];
  const t = o.threshold;
  const verdict: Verdict = lo > t ? 'regression' : hi < -t ? 'improvement' : lo >= -t && hi <= t ? 'unchanged' : 'inconclusive';
  return { change, verdict };
}

/** `+12.3 %`; ±∞ and – for the undefined. */
export const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %` : x > 0 ? '+∞' : x < 0 ? '−∞' : '–');

/** Why a base group has no partner: the candidate's same strategy and point under another scenario, if any. */
function missingReason(b: Group, cand: readonly Group[]): string {
  const twin = cand.find((c) => c.strategy === b.strategy && c.point === b.point);
  if (!twin) return 'in the base, missing from the candidate';
  const diffs = SCENARIO_KEY_COLUMNS.filter((col) => (b.rows[0]![col] ?? '') !== (twin.rows[0]![col] ?? '')).map((col) => `${col} ${b.rows[0]![col] ?? ''} → ${twin.rows[0]![col] ?? ''}`);
  return `in the base, missing from the candidate (which ran it with ${diffs.join(', ')})`;
}

/** Loss and failure checks that need no base: they judge the candidate alone. */
function candidateFailures(c: Group, label: string, o: CompareOptions): string[] {
  const out: string[] = [];
  if (o.expectsNoLoss(c.strategy)) {
    for (const col of LOSS_COLUMNS) {
      const bad = values(c.ok, col).filter((v) => v > 0);
      if (bad.length) out.push(`${label}: ${col} > 0 in ${bad.length} of ${c.ok.length} repetitions (max ${Math.max(...bad)}); this strategy must lose nothing`);
    }
  }
  const failed = c.rows.length - c.ok.length;
  if (failed > 0) out.push(`${label}: ${failed} of ${c.rows.length} repetitions failed`);
  return out;
}

/** Compares every group and metric of two runs. */
export function compareRuns(baseRows: readonly Row[], candRows: readonly Row[], o: CompareOptions): Comparison {
  const baseGroups = groupRows(baseRows);
  const candGroups = groupRows(candRows);
  const base = new Map(baseGroups.map((g) => [matchKey(g), g]));
  const cand = new Map(candGroups.map((g) => [matchKey(g), g]));
  const metrics: MetricComparison[] = [];
  const regressions: string[] = [];
  const confidence = o.confidence ?? 0.95;
  for (const [key, b] of base) {
    if (!cand.has(key)) regressions.push(`${groupLabel(b)}: ${missingReason(b, candGroups)}`);
  }
  const columns = [...new Set([...metricColumns(baseRows), ...metricColumns(candRows)])];
  for (const [key, c] of cand) {
    const label = groupLabel(c);
    const b = base.get(key);
    if (b) {
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
          regressions.push(`${label}: ${metric} ${pct(change.estimate)} (${Math.round(confidence * 100)} % CI ${pct(change.lower)} … ${pct(change.upper)}), beyond ${pct(o.threshold)}`);
        }
      }
      if (c.ok.length === 0 && b.ok.length > 0) regressions.push(`${label}: no successful repetition (base had ${b.ok.length})`);
    }
    regressions.push(...candidateFailures(c, label, o));
  }
  return {
    metrics,
    regressions,
    onlyInBase: [...base.entries()].filter(([k]) => !cand.has(k)).map(([, g]) => groupLabel(g)),
    onlyInCandidate: [...cand.entries()].filter(([k]) => !base.has(k)).map(([, g]) => groupLabel(g)),
    threshold: o.threshold,
    confidence,
  };
}

/** Which run a side of a comparison is: where it came from and which code made it. */
export interface RunInfo {
  dir: string;
  run_id?: string;
  git_revision?: string;
  git_dirty?: boolean;
  started_at?: string;
}

/** A comparison of two results directories: the runs, their provenance and what else changed. */
export interface ResultsComparison extends Comparison {
  base: RunInfo;
  candidate: RunInfo;
  /** Environment differences (listed first; fail the comparison under `--strict-env`). */
  environment: EnvDifference[];
}

function runInfo(r: Results): RunInfo {
  const { run_id, git_revision, git_dirty, started_at } = r.meta;
  return { dir: r.dir, run_id, git_revision, git_dirty, started_at };
}

/** Compares two results directories read back: runs, environment and provenance. */
export function compareResults(base: Results, cand: Results, o: CompareOptions): ResultsComparison {
  return { base: runInfo(base), candidate: runInfo(cand), environment: environmentDifferences(base, cand), ...compareRuns(base.runs, cand.runs, o) };
}

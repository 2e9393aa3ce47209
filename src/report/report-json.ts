/**
 * report.json: the page's verdicts and key figures for machines (CI, notebooks). Shape
 * (`schema` "migbench-report/1", documented in docs/commands.md):
 *
 *   { schema, run_id, git_revision, started_at, finished_at,
 *     scenario: [{ label, value }],                  // as on the page
 *     flagged: ["strategy[ @ point]", …],            // any repetition not as predicted
 *     strategies: [{ strategy, point, predicted, expects: { loses, split_brain },
 *       reps, ok, as_predicted, judgement, flagged, marks, unexpected,
 *       failing: [{ rep, volume, status, error, judgement, reasons }],
 *       figures: { <column>: { median, min, max, n } | null } }],
 *     compare?: { verdict, regressions, counts, only_in_base, only_in_candidate, environment } }
 *
 * `marks` lists every failure mode seen in any repetition (failed, lost, corrupt,
 * diverged, stale_reads, split_brain), expected or not; `flagged` is true when a
 * repetition failed or showed a mode the prediction rules out. Pure.
 */
import { median } from 'simple-statistics';
import type { FailureMode, StrategyVerdict } from '../analysis/verdict.js';
import { groupRows } from '../analysis/groups.js';
import type { RunColumn } from '../results/columns.js';
import type { RunMeta } from '../results/meta.js';
import { values, type Row } from '../results/read-results.js';
import type { CompareSummary } from './compare-summary.js';
import type { Fact } from './scenario-facts.js';

/** The key figures per strategy, medians over successful repetitions. */
export const KEY_FIGURES = [
  'interruption_ms',
  'split_brain_ms',
  'migration_ms',
  'hydration_ms',
  'lost_bytes',
  'corrupt_bytes',
  'diverged_bytes',
  'stale_reads',
  'bytes_on_wire',
  'read_p99_us_hydrating',
  'read_p999_us_hydrating',
] as const satisfies readonly RunColumn[];

/** A figure over repetitions. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** One strategy (at one sweep point) in report.json. */
export interface ReportJsonStrategy {
  strategy: string;
  point: string;
  predicted: string;
  expects: { loses: boolean; split_brain: boolean };
  reps: number;
  ok: number;
  as_predicted: number;
  judgement: StrategyVerdict['judgement'];
  flagged: boolean;
  marks: FailureMode[];
  unexpected: FailureMode[];
  failing: { rep: string; volume: string; status: string; error: string; judgement: string; reasons: string[] }[];
  figures: Record<string, Spread | null>;
}

/** report.json as a whole. */
export interface ReportJson {
  schema: 'migbench-report/1';
  run_id: string | null;
  git_revision: string | null;
  started_at: string | null;
  finished_at: string | null;
  scenario: Fact[];
  flagged: string[];
  strategies: ReportJsonStrategy[];
  compare?: { verdict: string; regressions: string[]; counts: Record<string, number>; only_in_base: string[]; only_in_candidate: string[]; environment: string[] };
}

function spreadOf(xs: number[]): Spread | null {
  return xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : null;
}

/** Builds report.json from the verdicts, the rows and the run's meta. */
export function reportJson(vs: readonly StrategyVerdict[], runs: readonly Row[], meta: Partial<RunMeta>, scenario: Fact[], compare?: CompareSummary): ReportJson {
  const groups = new Map(groupRows(runs).map((g) => [`${g.point}\u0000${g.strategy}`, g]));
  const strategies = vs.map((v): ReportJsonStrategy => {
    const g = groups.get(`${v.point}\u0000${v.strategy}`);
    return {
      strategy: v.strategy,
      point: v.point,
      predicted: v.predicted,
      expects: { loses: v.expects.loses, split_brain: v.expects.splitBrain },
      reps: v.reps,
      ok: v.ok,
      as_predicted: v.asPredicted,
      judgement: v.judgement,
      flagged: v.judgement === 'not as predicted',
      marks: v.marks,
      unexpected: v.unexpected,
      failing: v.failing.map((r) => ({ rep: r.rep, volume: r.volume, status: r.status, error: r.error, judgement: r.judgement, reasons: r.reasons })),
      figures: Object.fromEntries(KEY_FIGURES.map((c) => [c, spreadOf(g ? values(g.ok, c) : [])])),
    };
  });
  return {
    schema: 'migbench-report/1',
    run_id: meta.run_id ?? null,
    git_revision: meta.git_revision ?? null,
    started_at: meta.started_at ?? null,
    finished_at: meta.finished_at ?? null,
    scenario,
    flagged: vs.filter((v) => v.judgement === 'not as predicted').map((v) => v.label),
    strategies,
    ...(compare
      ? { compare: { verdict: compare.verdict, regressions: compare.regressions, counts: compare.counts, only_in_base: compare.onlyInBase, only_in_candidate: compare.onlyInCandidate, environment: compare.environment } }
      : {}),
  };
}

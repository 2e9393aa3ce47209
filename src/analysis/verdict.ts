/**
 * Verdicts: every repetition judged against every failure mode (failed, lost, corrupt,
 * diverged bytes, stale reads, split brain) and against what theory predicts for its
 * strategy (results/expectations.ts). A strategy's verdict counts the repetitions that behaved as
 * predicted and keeps the ones that did not, with their reasons, so one corrupt or failed
 * repetition of three cannot hide behind a median. Pure.
 */
import { groupLabel, groupRows } from './groups.js';
import { expectationOf } from '../results/expectations.js';
import type { RunColumn } from '../results/columns.js';
import { num, type Row } from '../results/read-results.js';

/** A way a repetition can go wrong. */
export type FailureMode = 'failed' | 'lost' | 'corrupt' | 'diverged' | 'stale_reads' | 'split_brain';

/** Every failure mode, in the order the page and report.json list them. */
export const FAILURE_MODES: readonly FailureMode[] = ['failed', 'lost', 'corrupt', 'diverged', 'stale_reads', 'split_brain'];

/** The runs.csv column that shows each measured failure mode (> 0 = present). */
export const MODE_COLUMNS: Readonly<Record<Exclude<FailureMode, 'failed'>, RunColumn>> = {
  lost: 'lost_bytes',
  corrupt: 'corrupt_bytes',
  diverged: 'diverged_bytes',
  stale_reads: 'stale_reads',
  split_brain: 'split_brain_ms',
};

/**
 * How a repetition compares with the prediction: `as predicted`; `unexpected` (a failure
 * mode theory rules out, or a failed repetition); `milder` (a predicted failure mode did
 * not show, nothing unexpected did).
 */
export type RepJudgement = 'as predicted' | 'unexpected' | 'milder';

/** One repetition's verdict. */
export interface RepetitionVerdict {
  strategy: string;
  point: string;
  rep: string;
  /** Volume number within a drain ('' otherwise). */
  volume: string;
  status: string;
  /** The error text of a failed repetition ('' otherwise). */
  error: string;
  /** Failure modes present in this repetition. */
  observed: FailureMode[];
  /** Observed modes the prediction rules out (with `failed` for a failed repetition). */
  unexpected: FailureMode[];
  /** Predicted modes that did not show. */
  missing: FailureMode[];
  judgement: RepJudgement;
  /** Why, in words, for people: empty when as predicted. */
  reasons: string[];
}

/** A strategy's (at one sweep point) verdict over its repetitions. */
export interface StrategyVerdict {
  strategy: string;
  point: string;
  /** `strategy` or `strategy @ point`. */
  label: string;
  predicted: string;
  /** Whether expectations.ts knows the strategy (an unknown one is held to "no loss, no split brain"). */
  known: boolean;
  expects: { loses: boolean; splitBrain: boolean };
  reps: number;
  ok: number;
  /** Repetitions judged `as predicted`. */
  asPredicted: number;
  /** `not as predicted` when any repetition is unexpected or failed. */
  judgement: 'as predicted' | 'not as predicted' | 'milder than predicted';
  /** Every failure mode seen in any repetition (failed included): what a reader must know. */
  marks: FailureMode[];
  /** Failure modes seen that the prediction rules out. */
  unexpected: FailureMode[];
  /** The repetitions not as predicted, with their reasons. */
  failing: RepetitionVerdict[];
  repetitions: RepetitionVerdict[];
}

const MODE_WORDS: Record<FailureMode, string> = {
  failed: 'failed',
  lost: 'lost bytes',
  corrupt: 'corrupt bytes',
  diverged: 'diverged bytes',
  stale_reads: 'stale reads',
  split_brain: 'split brain',
};

/** A failure mode in words. */
export function modeWords(m: FailureMode): string {
  return MODE_WORDS[m];
}

/** The failure modes theory predicts must show, and those it allows, for an expectation. */
function predictedModes(e: { loses: boolean; splitBrain: boolean }): { must: FailureMode[]; may: Set<FailureMode> } {
  const must: FailureMode[] = [];
  // Lost writes come with stale reads and, when both sides wrote, diverged blocks.
  if (e.loses) must.push('lost');
  if (e.splitBrain) must.push('split_brain');
  const may = new Set<FailureMode>(must);
  if (e.loses) {
    may.add('stale_reads');
    may.add('diverged');
  }
  return { must, may };
}

function cellWords(row: Row, m: Exclude<FailureMode, 'failed'>): string {
  const v = num(row, MODE_COLUMNS[m]) ?? 0;
  if (m === 'split_brain') return `${Number(v.toFixed(1))} ms of split brain`;
  if (m === 'stale_reads') return `${v} stale read${v === 1 ? '' : 's'}`;
  return `${v} ${MODE_WORDS[m]}`;
}

/** Judges one runs.csv row against the prediction for its strategy. */
export function judgeRepetition(row: Row): RepetitionVerdict {
  const strategy = row.strategy ?? '';
  const e = expectationOf(strategy);
  const base = { strategy, point: row.sweep_point ?? '', rep: row.rep ?? '', volume: row.volume ?? '', status: row.status ?? '', error: row.error ?? '' };
  if (row.status !== 'ok') {
    const reason = `repetition ${base.status || 'not ok'}${base.error ? `: ${base.error}` : ''}`;
    return { ...base, observed: ['failed'], unexpected: ['failed'], missing: [], judgement: 'unexpected', reasons: [reason] };
  }
  const observed = (Object.keys(MODE_COLUMNS) as Exclude<FailureMode, 'failed'>[]).filter((m) => (num(row, MODE_COLUMNS[m]) ?? 0) > 0);
  const { must, may } = predictedModes(e);
  const unexpected = observed.filter((m) => !may.has(m));
  const missing = must.filter((m) => !(observed as FailureMode[]).includes(m));
  const reasons = [
    ...unexpected.map((m) => `${cellWords(row, m)}, predicted none`),
    ...missing.map((m) => `predicted ${MODE_WORDS[m]}, none measured`),
  ];
  const judgement: RepJudgement = unexpected.length ? 'unexpected' : missing.length ? 'milder' : 'as predicted';
  return { ...base, observed, unexpected, missing, judgement, reasons };
}

const inOrder = (modes: Iterable<FailureMode>): FailureMode[] => {
  const s = new Set(modes);
  return FAILURE_MODES.filter((m) => s.has(m));
};

/** Verdicts per strategy and sweep point, in the order the rows first show them. */
export function verdicts(rows: readonly Row[]): StrategyVerdict[] {
  return groupRows(rows).map((g) => {
    const e = expectationOf(g.strategy);
    const repetitions = g.rows.map(judgeRepetition);
    const failing = repetitions.filter((r) => r.judgement !== 'as predicted');
    const anyUnexpected = repetitions.some((r) => r.judgement === 'unexpected');
    return {
      strategy: g.strategy,
      point: g.point,
      label: groupLabel(g),
      predicted: e.predicted,
      known: e.known,
      expects: { loses: e.loses, splitBrain: e.splitBrain },
      reps: g.rows.length,
      ok: g.ok.length,
      asPredicted: repetitions.length - failing.length,
      judgement: anyUnexpected ? 'not as predicted' : failing.length ? 'milder than predicted' : 'as predicted',
      marks: inOrder(repetitions.flatMap((r) => r.observed)),
      unexpected: inOrder(repetitions.flatMap((r) => r.unexpected)),
      failing,
      repetitions,
    };
  });
}

import type { RateWindows } from '../../measure/rates.js';

/** Committed transactions per second in the three windows of a repetition; undefined where a window is empty. */
export interface TpsFigures {
  /** From the first commit to the migration start. */
  tpsBaseline: number | undefined;
  /** Migration start → its end (the source can be released; the outage included). */
  tpsMigration: number | undefined;
  /** End of the migration → end of the repetition. */
  tpsAfter: number | undefined;
}

/** Commits per second in the windows the stamped workload's delivered rates use (pure). */
export function transactionsPerSecond(commitNs: readonly number[], w: RateWindows): TpsFigures {
  let first = Infinity;
  let baseline = 0;
  let migration = 0;
  let after = 0;
  for (const t of commitNs) {
    if (t < first) first = t;
    if (t < w.startNs) baseline++;
    else if (t < w.migrationEndNs) migration++;
    else if (t < w.endNs) after++;
  }
  const rate = (n: number, from: number, to: number): number | undefined => (to > from ? (n * 1e9) / (to - from) : undefined);
  return {
    tpsBaseline: baseline ? rate(baseline, first, w.startNs) : undefined,
    tpsMigration: rate(migration, w.startNs, w.migrationEndNs),
    tpsAfter: rate(after, w.migrationEndNs, w.endNs),
  };
}

/**
 * What each strategy promises about data, by the name runs.csv records: part of reading
 * the record, so the readers (compare, report) judge results without importing the
 * strategies, and the strategy registry takes each strategy's `expectsNoLoss` from here —
 * one table, no second copy to drift.
 */

/**
 * Strategies whose correct implementation loses no acknowledged byte and serves no stale
 * or corrupt read: any lost, corrupt or diverged byte, stale or corrupt read in one of
 * their repetitions is a defect, not a property of the strategy.
 */
export const NO_LOSS_STRATEGIES: ReadonlySet<string> = new Set(['kill-copy-boot', 'async-clone', 'precopy', 'mirror']);

/** Whether `strategy` must lose nothing; false for names this table does not know. */
export function expectsNoLoss(strategy: string): boolean {
  return NO_LOSS_STRATEGIES.has(strategy);
}

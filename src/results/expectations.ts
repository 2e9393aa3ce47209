/**
 * What theory predicts for each strategy, by the name runs.csv records: whether it loses
 * acknowledged writes, whether it runs split-brain, and the prediction in words. Part of
 * reading the record, so the readers (compare, report verdicts) judge results without
 * importing the strategies; the strategy registry takes `predicted` and `expectsNoLoss`
 * from here — one table, no second copy to drift.
 */

/** The predicted behaviour of one strategy. */
export interface Expectation {
  /** Acknowledged writes go missing (and with them stale reads and diverged blocks). */
  loses: boolean;
  /** Both hosts acknowledge writes for a while. */
  splitBrain: boolean;
  /** The prediction in words. */
  predicted: string;
}

/** The prediction per strategy name. */
export const EXPECTATIONS: Readonly<Record<string, Expectation>> = {
  'kill-copy-boot': { loses: false, splitBrain: false, predicted: 'no loss; downtime = kill + size/bandwidth + boot' },
  'kill-boot-copy': { loses: true, splitBrain: false, predicted: 'loss: the copy overwrites what B wrote; B reads stale data until the copy lands' },
  'copy-kill-boot': { loses: true, splitBrain: false, predicted: 'loss: writes acknowledged on A during the copy are missing' },
  'copy-boot-kill': { loses: true, splitBrain: true, predicted: 'loss and split brain: A keeps acknowledging after B is up' },
  'boot-kill-copy': { loses: true, splitBrain: true, predicted: 'loss and split brain: B runs on an empty volume, then the copy overwrites it' },
  'boot-copy-kill': { loses: true, splitBrain: true, predicted: 'loss and split brain: both run during the copy' },
  'async-clone': { loses: false, splitBrain: false, predicted: 'no loss; downtime = kill + clone + boot, nearly independent of size; slower reads while hydrating' },
  precopy: { loses: false, splitBrain: false, predicted: 'no loss; downtime = kill + final delta / bandwidth + boot; does not converge when writes outpace the link' },
  'backup-restore': { loses: true, splitBrain: false, predicted: 'loses every write since the backup; downtime = kill + size/bandwidth + boot, like kill-copy-boot' },
  mirror: { loses: false, splitBrain: false, predicted: 'no loss; downtime = kill + boot; every write on A waits for B while mirroring' },
};

/** The prediction for a strategy; an unknown one is held to the strictest (no loss, no split brain). */
export function expectationOf(strategy: string): Expectation & { known: boolean } {
  const e = EXPECTATIONS[strategy];
  return e ? { ...e, known: true } : { loses: false, splitBrain: false, predicted: '', known: false };
}

/**
 * Strategies whose correct implementation loses no acknowledged byte and serves no stale
 * or corrupt read: any lost, corrupt or diverged byte, stale or corrupt read in one of
 * their repetitions is a defect, not a property of the strategy.
 */
export const NO_LOSS_STRATEGIES: ReadonlySet<string> = new Set(Object.entries(EXPECTATIONS).filter(([, e]) => !e.loses).map(([name]) => name));

/** Whether `strategy` must lose nothing; false for names this table does not know. */
export function expectsNoLoss(strategy: string): boolean {
  return NO_LOSS_STRATEGIES.has(strategy);
}

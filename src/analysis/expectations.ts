/**
 * What theory predicts for each strategy (DESIGN.md's table), as facts the verdicts can
 * check: whether the strategy loses acknowledged writes and whether it runs split-brain.
 * Kept here, not read from src/strategy/, so analysis depends on nothing but the record.
 * The strategy registry states the same facts (`predicted`, `expectsNoLoss`); a strategy
 * missing here is judged against "loses nothing, no split brain" and flagged as unknown.
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

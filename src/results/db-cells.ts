import type { RunRow } from './columns.js';
import type { DbResult } from './repetition-result.js';

const round = (x: number | undefined, digits = 3): number | string => (x === undefined || Number.isNaN(x) ? '' : Number(x.toFixed(digits)));

/**
 * The runs.csv cells of the PostgreSQL workload (pure): lost commits, recovery time (and
 * its cross-check from the server log), whether the integrity checks passed, and the
 * committed transactions per second before, during and after the migration. Its loss is
 * counted in commits, so the HTTP workload's lost_requests and corrupt_bytes stay blank.
 * Whether B needed e2fsck, and whether its database came up at all.
 */
export function dbColumns(db: DbResult): Partial<RunRow> {
  return {
    lost_commits: db.lostCommits,
    recovery_ms: round(db.recoveryMs),
    recovery_log_ms: round(db.recoveryLogMs, 0),
    integrity_ok: String(db.integrityOk),
    tps_baseline: round(db.tpsBaseline, 1),
    tps_migration: round(db.tpsMigration, 1),
    tps_after: round(db.tpsAfter, 1),
    // Which integrity check failed, if one did.
    warnings: db.integrityDetail,
    lost_requests: '',
    corrupt_bytes: '',
    fsck_exit: db.fsck?.exitCode ?? '',
    fsck_fixes: db.fsck?.fixes ?? '',
    db_boot_failed: String(db.bootError !== undefined),
    db_boot_error: db.bootError ?? '',
    // B never served: there is no cut-over to time (the workload's boot returned when it gave up).
    ...(db.bootError !== undefined ? { interruption_ms: '', split_brain_ms: '', boot_ms: '' } : {}),
  };
}

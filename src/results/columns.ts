/**
 * The columns of the written record, in file order: runs.csv (one row per strategy ×
 * repetition, and per volume of a drain) and timeline.csv (one row per window). The one
 * list the writer fills and every reader names columns from. Stable: CI jobs and notebooks
 * depend on the names and their order. Units are in the names; every `_bps` column is
 * **bits** per second.
 */

/** runs.csv columns, in order. */
export const RUN_COLUMNS = [
  'run_id',
  'strategy',
  'rep',
  'sweep_point',
  'backend',
  'region_size_bytes',
  'size_bytes',
  'block_size_bytes',
  'write_rate_bps',
  'read_rate_per_s',
  'link_bps',
  'link_measured_bps',
  'latency_ms',
  'link_rtt_measured_ms',
  'interruption_ms',
  'split_brain_ms',
  'migration_ms',
  'hydration_ms',
  'hydration_bps',
  'hydration_paused_ms',
  'lost_bytes',
  'corrupt_bytes',
  'diverged_bytes',
  'stale_reads',
  'bytes_on_wire',
  'copy_ms',
  'copy_efficiency',
  'read_p50_us_baseline',
  'read_p99_us_baseline',
  'read_p999_us_baseline',
  'read_p50_us_hydrating',
  'read_p99_us_hydrating',
  'read_p999_us_hydrating',
  'read_max_us_hydrating',
  'read_p50_us_hydrated',
  'read_p99_us_hydrated',
  'read_probe',
  'acked_writes',
  'kill_ms',
  'boot_ms',
  // clone set-up (issue 15)
  'clone_ms',
  'workload',
  'volume',
  'drain_ms',
  'client_gap_ms',
  'errors',
  'timeouts',
  'lost_requests',
  'rounds',
  'final_delta_bytes',
  'final_delta_ms',
  'final_list_ms',
  // precopy final pass split (issue 15): the copier's copy and flush parts of final_delta_ms
  'final_copy_ms',
  'final_flush_ms',
  'converged',
  'tracking',
  'backup_age_ms',
  'write_p99_us_baseline',
  'write_p99_us_premigration',
  'corrupt_reads',
  'write_rate_achieved_bps_baseline',
  'write_rate_achieved_bps_migration',
  'write_rate_achieved_bps_after',
  'read_rate_achieved_per_s',
  // Access patterns and the working set they make (src/results/pattern-cells.ts).
  'write_pattern',
  'read_pattern',
  'distinct_blocks_written_migration',
  'hot_blocks_90pct_migration',
  'kill_at_ms',
  'boot_at_ms',
  'hydration_done_at_ms',
  // PostgreSQL workload (--workload postgres)
  'lost_commits',
  'recovery_ms',
  'recovery_log_ms',
  'integrity_ok',
  'tps_baseline',
  'tps_migration',
  'tps_after',
  // PostgreSQL on B after a torn copy (issue 17): e2fsck, and a database that never came up
  'fsck_exit',
  'fsck_fixes',
  'db_boot_failed',
  'db_boot_error',
  // Faults (issue 12, src/fault/cells.ts)
  'fault',
  'fault_at_ms',
  'fault_ms',
  'stall_ms',
  'read_errors',
  'write_errors',
  'unavailable_bytes',
  'exposure_ms',
  'recovered',
  'resume_ms',
  // CPU cost per host, from its cgroup (src/results/cpu-cells.ts).
  'cpu_s_a',
  'cpu_s_b',
  'cpu_s_per_gib_a',
  'cpu_s_per_gib_b',
  // The harness's own cost (src/strategy/step-clock.ts): its phases beside the migration's.
  'fill_ms',
  'verify_ms',
  'orchestrator_rss_mib',
  // Real hosts (issue 13, src/remote/run-clocks.ts): the clock corrections of the row's timestamps.
  'clock_offset_a_ms',
  'clock_offset_b_ms',
  'clock_uncertainty_ms',
  'warnings',
  'status',
  'error',
] as const;

/** A runs.csv column name. */
export type RunColumn = (typeof RUN_COLUMNS)[number];
/** A runs.csv row as written: every column, empty cells as ''. */
export type RunRow = Record<RunColumn, string | number>;

/** timeline.csv columns, in order. */
export const TIMELINE_COLUMNS = [
  'run_id',
  'strategy',
  'rep',
  'sweep_point',
  'volume',
  't_ms',
  'hydrated_fraction',
  'reads',
  'read_p50_us',
  'read_p99_us',
  'corrupt_reads',
  'write_acks',
  'wire_bytes',
  'precopy_round',
  'dirty_bytes',
  // Access patterns: the working set (src/measure/working-set.ts).
  'distinct_blocks_written',
  'working_set_blocks',
  // Faults (issue 12)
  'fault_active',
] as const;

/** A timeline.csv column name. */
export type TimelineColumn = (typeof TIMELINE_COLUMNS)[number];
/** A timeline.csv row as written. */
export type TimelineRow = Record<TimelineColumn, string | number>;

/**
 * runs.csv columns that identify a row or describe its outcome in words: never a metric.
 * A column added later is a metric (when it holds numbers) unless it is listed here or in
 * {@link PARAMETER_COLUMNS}.
 */
export const IDENTITY_COLUMNS: ReadonlySet<string> = new Set<RunColumn>(['run_id', 'strategy', 'rep', 'sweep_point', 'volume', 'workload', 'backend', 'tracking', 'warnings', 'status', 'error', 'fault', 'recovered', 'fsck_exit', 'db_boot_error']);

/** Scenario parameters and link measurements: what a sweep varies and plan fits against. */
export const PARAMETER_COLUMNS = [
  'size_bytes',
  'block_size_bytes',
  'write_rate_bps',
  'read_rate_per_s',
  'link_bps',
  'latency_ms',
  'region_size_bytes',
  'link_measured_bps',
  'link_rtt_measured_ms',
] as const satisfies readonly RunColumn[];

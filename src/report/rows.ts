import type { LinkMeasurement } from '../lab/link-probe.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RepetitionResult } from '../strategy/result.js';
import { precopyColumns } from './precopy-columns.js';
import { appColumns } from './app-columns.js';

/**
 * The columns of runs.csv, in order. Stable: CI jobs and notebooks depend on them.
 * Units are in the names; every `_bps` column is **bits** per second.
 */
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
  'converged',
  'tracking',
  'backup_age_ms',
  'write_p99_us_baseline',
  'write_p99_us_premigration',
  'status',
  'error',
] as const;

export type RunColumn = (typeof RUN_COLUMNS)[number];
export type RunRow = Record<RunColumn, string | number>;

const round = (x: number | undefined, digits = 3): number | string =>
  x === undefined || Number.isNaN(x) ? '' : Number(x.toFixed(digits));

/** The scenario half of a row (shared by successful and failed repetitions). */
function parameters(runId: string, s: Scenario, link: LinkMeasurement, strategy: string, rep: number): Partial<RunRow> {
  return {
    run_id: runId,
    strategy,
    rep,
    size_bytes: s.sizeBytes,
    block_size_bytes: s.blockSize,
    write_rate_bps: s.writeRateBps,
    read_rate_per_s: s.readRate,
    read_probe: s.probe,
    link_bps: s.linkBps,
    link_measured_bps: Math.round(link.measuredBps),
    latency_ms: s.latencyMs,
    link_rtt_measured_ms: round(link.requestRttMs),
    workload: s.workload,
  };
}

function blank(): RunRow {
  return Object.fromEntries(RUN_COLUMNS.map((c) => [c, ''])) as RunRow;
}

/** A runs.csv row for a successful repetition. */
export function resultRow(runId: string, s: Scenario, link: LinkMeasurement, r: RepetitionResult): RunRow {
  const m = r.metrics;
  const t = r.timeline;
  const span = (a: Parameters<typeof t.get>[0], b: Parameters<typeof t.get>[0]): number | undefined => {
    const x = t.get(a);
    const y = t.get(b);
    return x === undefined || y === undefined ? undefined : (y - x) / 1e6;
  };
  // Background hydration runs from the moment the clone exists until the last region is on B.
  const hydrationSpan = span('clone_ready', 'hydration_done');
  const hydrationBps = hydrationSpan ? (s.sizeBytes * 8) / (hydrationSpan / 1000) : undefined;
  const copyMs = r.copySeconds === undefined ? undefined : r.copySeconds * 1000;
  const efficiency = r.copySeconds === undefined ? undefined : (s.sizeBytes * 8) / r.copySeconds / link.measuredBps;
  return {
    ...blank(),
    ...parameters(runId, s, link, r.strategy, r.rep),
    backend: r.backend ?? '',
    region_size_bytes: r.backend ? s.regionSizeBytes : '',
    interruption_ms: round(m.interruption_ms),
    split_brain_ms: round(m.split_brain_ms),
    migration_ms: round(m.migration_ms),
    hydration_ms: round(m.hydration_ms),
    hydration_bps: hydrationBps === undefined ? '' : Math.round(hydrationBps),
    lost_bytes: r.verification.lostBytes,
    corrupt_bytes: r.verification.corruptBytes,
    diverged_bytes: r.verification.divergedBytes,
    stale_reads: r.staleReads,
    bytes_on_wire: r.bytesOnWire,
    copy_ms: round(copyMs),
    copy_efficiency: round(efficiency, 4),
    read_p50_us_baseline: round(m.read.baseline.p50, 1),
    read_p99_us_baseline: round(m.read.baseline.p99, 1),
    read_p999_us_baseline: round(m.read.baseline.p999, 1),
    read_p50_us_hydrating: round(m.read.hydrating.p50, 1),
    read_p99_us_hydrating: round(m.read.hydrating.p99, 1),
    read_p999_us_hydrating: round(m.read.hydrating.p999, 1),
    read_max_us_hydrating: round(m.read.hydrating.max, 1),
    read_p50_us_hydrated: round(m.read.hydrated.p50, 1),
    read_p99_us_hydrated: round(m.read.hydrated.p99, 1),
    acked_writes: r.ackedWrites,
    kill_ms: round(span('kill_start', 'kill_done')),
    boot_ms: round(span('boot_start', 'first_ack_dest')),
    ...precopyColumns(r),
    status: 'ok',
    error: '',
    ...appColumns(r),
  };
}

/** A runs.csv row for a repetition that failed: parameters, status and the error. */
export function failedRow(runId: string, s: Scenario, link: LinkMeasurement, strategy: string, rep: number, error: string): RunRow {
  return { ...blank(), ...parameters(runId, s, link, strategy, rep), status: 'failed', error };
}

/**
 * The runs.csv row of one repetition, from what it measured and the scenario it ran (pure).
 */
import type { Scenario } from '../scenario/scenario.js';
import { appColumns } from './app-cells.js';
import { cpuColumns } from './cpu-cells.js';
import { RUN_COLUMNS, type RunRow } from './columns.js';
import type { MeasuredLink } from './link.js';
import { patternParameters, workingSetColumns } from './pattern-cells.js';
import { precopyColumns } from './precopy-cells.js';
import type { RepetitionResult } from './repetition-result.js';
import { achievedRates, rateWarnings } from '../measure/rates.js';
import { faultColumns, faultWarnings } from '../fault/cells.js';

const round = (x: number | undefined, digits = 3): number | string =>
  x === undefined || Number.isNaN(x) ? '' : Number(x.toFixed(digits));

/** The scenario half of a row (shared by successful and failed repetitions). */
function parameters(runId: string, s: Scenario, link: MeasuredLink, strategy: string, rep: number): Partial<RunRow> {
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
    ...patternParameters(s),
  };
}

function blank(): RunRow {
  return Object.fromEntries(RUN_COLUMNS.map((c) => [c, ''])) as RunRow;
}

/** A runs.csv row for a successful repetition. */
export function resultRow(runId: string, s: Scenario, link: MeasuredLink, r: RepetitionResult): RunRow {
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
  const row: RunRow = {
    ...blank(),
    ...parameters(runId, s, link, r.strategy, r.rep),
    backend: r.backend ?? '',
    region_size_bytes: r.backend ? s.regionSizeBytes : '',
    interruption_ms: round(m.interruption_ms),
    split_brain_ms: round(m.split_brain_ms),
    migration_ms: round(m.migration_ms),
    hydration_ms: round(m.hydration_ms),
    hydration_bps: hydrationBps === undefined ? '' : Math.round(hydrationBps),
    hydration_paused_ms: r.hydrationPausedMs ?? '',
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
    clone_ms: round(span('kill_done', 'clone_ready')),
    // When things happened, from the migration start: the report's timeline marks.
    kill_at_ms: round(span('start', 'kill_start')),
    boot_at_ms: round(span('start', 'boot_start')),
    hydration_done_at_ms: round(span('start', 'hydration_done')),
    ...precopyColumns(r),
    ...deliveredColumns(s, r),
    ...workingSetColumns(r),
    ...cpuColumns(r),
    fill_ms: round(r.harness?.fillMs),
    verify_ms: round(r.harness?.verifyMs),
    orchestrator_rss_mib: round(r.harness?.peakRssMiB, 1),
    status: 'ok',
    error: '',
    ...appColumns(r),
  };
  return { ...row, ...faultCells(r, String(row.warnings)) };
}

/** The fault columns, with the fault's warnings after the row's own (issue 12; an application workload's too). */
function faultCells(r: RepetitionResult, rowWarnings: string): Partial<RunRow> {
  return { ...faultColumns(r), ...(r.fault ? { warnings: faultWarnings(r, rowWarnings) } : {}) };
}

/**
 * corrupt_reads, the rates the workload delivered and the warnings when the baseline fell
 * short of what was asked; the rates only for the stamped workload (the HTTP workload's
 * acks are requests, not blocks).
 */
function deliveredColumns(s: Scenario, r: RepetitionResult): Partial<RunRow> {
  const t = r.timeline;
  const start = t.get('start');
  const end = t.get('end');
  if (r.app || start === undefined || end === undefined) return { corrupt_reads: r.corruptReads ?? '' };
  const got = achievedRates(r.acks, r.reads.filter((rd) => rd.scheduledNs < start), s.blockSize, {
    startNs: start,
    migrationEndNs: t.get('source_released') ?? end,
    endNs: end,
  });
  const bps = (x: number | undefined): number | string => (x === undefined ? '' : Math.round(x));
  return {
    corrupt_reads: r.corruptReads ?? '',
    write_rate_achieved_bps_baseline: bps(got.writeBpsBaseline),
    write_rate_achieved_bps_migration: bps(got.writeBpsMigration),
    write_rate_achieved_bps_after: bps(got.writeBpsAfter),
    read_rate_achieved_per_s: round(got.readPerSBaseline, 1),
    warnings: rateWarnings({ writeBps: s.writeRateBps, readPerS: s.readRate }, got).join('; '),
  };
}

/** A runs.csv row for a repetition that failed: parameters, status and the error. */
export function failedRow(runId: string, s: Scenario, link: MeasuredLink, strategy: string, rep: number, error: string): RunRow {
  return { ...blank(), ...parameters(runId, s, link, strategy, rep), status: 'failed', error };
}

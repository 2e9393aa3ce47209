import { writeP99Us } from '../measure/write-latency.js';
import { SOURCE_EPOCH } from '../workload/epochs.js';
import type { RepetitionResult } from './repetition-result.js';

const round1 = (x: number | undefined): number | string => (x === undefined ? '' : Number(x.toFixed(1)));

/**
 * runs.csv columns of pre-copy and of the source's write latency: `rounds`,
 * `final_delta_bytes`, `final_delta_ms` (rotate + list + copy of the last delta, after the
 * kill) and `final_list_ms` (its rotate + list part), `final_copy_ms` and `final_flush_ms` (the
 * copier's reads + writes and its flush on B; the rest of `final_delta_ms` is hand-over), `converged` and `tracking` (qemu or dm-era; precopy rows only), `backup_age_ms` (backup point → kill, on
 * backup-restore rows), and the p99 of A's write latency
 * in the baseline (`warmup_start → start`) and before the cutover (`start → kill_start`,
 * while rounds, mirroring or a backup run; blank when the strategy kills first).
 */
export function precopyColumns(r: RepetitionResult): {
  rounds: number | string;
  final_delta_bytes: number | string;
  final_delta_ms: number | string;
  final_list_ms: number | string;
  final_copy_ms: number | string;
  final_flush_ms: number | string;
  converged: string;
  tracking: string;
  backup_age_ms: number | string;
  write_p99_us_baseline: number | string;
  write_p99_us_premigration: number | string;
} {
  const t = r.timeline;
  const start = t.get('start');
  const warm = t.get('warmup_start');
  const kill = t.get('kill_start');
  const p = r.precopy;
  const finalPass = p?.passes.find((x) => x.round === 'final');
  const backup = t.get('backup_start');
  return {
    rounds: p ? p.rounds : '',
    final_delta_bytes: p ? p.finalDeltaBytes : '',
    final_delta_ms: finalPass ? round1((finalPass.doneNs - finalPass.startNs) / 1e6) : '',
    final_list_ms: finalPass ? round1((finalPass.listedNs - finalPass.startNs) / 1e6) : '',
    final_copy_ms: finalPass ? round1(finalPass.copyMs) : '',
    final_flush_ms: finalPass ? round1(finalPass.flushMs) : '',
    converged: p ? String(p.converged) : '',
    tracking: p ? p.tracking : '',
    backup_age_ms: backup !== undefined && kill !== undefined ? round1((kill - backup) / 1e6) : '',
    write_p99_us_baseline: warm !== undefined && start !== undefined ? round1(writeP99Us(r.acks, SOURCE_EPOCH, warm, start)) : '',
    write_p99_us_premigration: start !== undefined && kill !== undefined ? round1(writeP99Us(r.acks, SOURCE_EPOCH, start, kill)) : '',
  };
}

/**
 * timeline.csv columns of pre-copy for the window [fromNs, toNs): the first pass that
 * started in it (`0` = the full copy, `final` = the delta after the kill) and the dirty
 * bytes of every pass that started in it.
 */
export function precopyWindow(r: RepetitionResult, fromNs: number, toNs: number): { precopy_round: number | string; dirty_bytes: number | string } {
  const passes = r.precopy?.passes.filter((p) => p.startNs >= fromNs && p.startNs < toNs) ?? [];
  if (passes.length === 0) return { precopy_round: '', dirty_bytes: '' };
  return { precopy_round: passes[0]!.round, dirty_bytes: passes.reduce((s, p) => s + p.dirtyBytes, 0) };
}

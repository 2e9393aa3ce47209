/**
 * The fault columns of runs.csv and timeline.csv (issue 12), from what one repetition
 * measured (pure).
 */
import type { RunRow, TimelineRow } from '../results/columns.js';
import type { RepetitionResult } from '../results/repetition-result.js';

const ms = (ns: number): number => Number((ns / 1e6).toFixed(3));

/**
 * Longest time (ns) with no completion in `completions` between `fromNs` and `toNs`, the
 * edges included: a destination that never completes I/O again stalls until the end.
 */
export function longestGapNs(completions: readonly number[], fromNs: number, toNs: number): number {
  const inside = completions.filter((t) => t >= fromNs && t <= toNs).sort((a, b) => a - b);
  let prev = fromNs;
  let gap = 0;
  for (const t of [...inside, toNs]) {
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  return gap;
}

/** Bytes A must send in a sampler window to count as the migration moving again (more than ACKs and keepalives). */
const MOVING_BYTES = 64 * 1024;

/** ns from `afterNs` to the first sample whose window carried migration traffic, or undefined. */
export function resumeNs(samples: readonly { tNs: number; txBytes: number }[], afterNs: number): number | undefined {
  for (let i = 1; i < samples.length; i++) {
    const s = samples[i]!;
    if (s.tNs <= afterNs) continue;
    if (s.txBytes - samples[i - 1]!.txBytes > MOVING_BYTES) return Math.max(0, s.tNs - afterNs);
  }
  return undefined;
}

/** `exposure_ms` (every row) and the fault columns (rows of a run with `--fault`). */
export function faultColumns(r: RepetitionResult): Partial<RunRow> {
  const t = r.timeline;
  const start = t.get('start');
  const end = t.get('end');
  const ready = t.get('clone_ready');
  const released = t.get('source_released') ?? end;
  const exposure = ready === undefined ? 0 : released === undefined ? '' : ms(released - ready);
  const f = r.fault;
  if (!f || start === undefined || end === undefined) return { exposure_ms: exposure };
  const came = f.startNs !== undefined;
  const up = t.get('first_ack_dest');
  const resumed = f.endNs === undefined ? undefined : resumeNs(t.samples, f.endNs);
  return {
    exposure_ms: exposure,
    fault: f.spec,
    fault_at_ms: came ? ms(f.startNs! - start) : '',
    fault_ms: came && f.endNs !== undefined ? ms(f.endNs - f.startNs!) : '',
    stall_ms: up === undefined || !f.destCompletionsNs ? '' : ms(longestGapNs(f.destCompletionsNs, up, end)),
    read_errors: f.ioErrors?.read ?? '',
    write_errors: f.ioErrors?.write ?? '',
    unavailable_bytes: f.unrecovered ? (f.unrecovered.unavailableBytes ?? '') : came ? 0 : '',
    recovered: came ? String(!f.unrecovered) : '',
    resume_ms: resumed === undefined ? '' : ms(resumed),
  };
}

/** The row's warnings plus the fault's (phase never came, undo failed, processes stuck in D state). */
export function faultWarnings(r: RepetitionResult, warnings: string): string {
  const extra = [...(r.fault?.warnings ?? []), ...(r.fault?.unrecovered ? [`not recovered: ${r.fault.unrecovered.why}`] : [])];
  return [warnings, ...extra].filter((w) => w !== '').join('; ');
}

/** timeline.csv's fault_active for the window [fromNs, toNs). */
export function faultWindow(r: RepetitionResult, fromNs: number, toNs: number): Pick<TimelineRow, 'fault_active'> {
  const f = r.fault;
  if (!f) return { fault_active: '' };
  if (f.startNs === undefined) return { fault_active: 0 };
  const endNs = f.endNs ?? r.timeline.get('end') ?? f.startNs;
  return { fault_active: f.startNs < toNs && endNs >= fromNs ? 1 : 0 };
}

import type { LatencySample } from '../workload/fio-log.js';
import { summarize, type LatencySummary } from './percentiles.js';
import type { Timeline } from './timeline.js';

/** The migration metrics of docs/results.md ("Metric definitions"), in the units their column names carry. */
export interface MigrationMetrics {
  interruption_ms: number;
  split_brain_ms: number;
  migration_ms: number;
  hydration_ms: number;
  read: Record<ReadPhase, LatencySummary>;
}

export type ReadPhase = 'baseline' | 'hydrating' | 'hydrated';

const ms = (ns: number): number => ns / 1e6;

/**
 * Interruption is the longest window with no acknowledged I/O across the cutover:
 * `first_ack_dest − last_ack_source`. A negative value means both sides acknowledged at
 * once: interruption 0 and the overlap is split brain.
 */
export function interruption(lastAckSourceNs: number, firstAckDestNs: number): { interruption_ms: number; split_brain_ms: number } {
  const gap = ms(firstAckDestNs - lastAckSourceNs);
  return gap >= 0 ? { interruption_ms: gap, split_brain_ms: 0 } : { interruption_ms: 0, split_brain_ms: -gap };
}

/**
 * Splits reads into phases by their scheduled time (docs/results.md, "Phases of reads"):
 * `baseline` is A before the migration starts; on B, `hydrating` is from its first
 * acknowledged write until `hydration_done`, `hydrated` after it. Reads B scheduled before
 * its first ack (while it boots) are in no phase; with no hydration (`hydrationDoneNs` at
 * or before the first ack) there is no hydrating phase and its summary is empty. Latency is
 * completion − schedule, in µs.
 */
export function readPhases(
  sourceReads: readonly LatencySample[],
  destReads: readonly LatencySample[],
  startNs: number,
  firstAckDestNs: number,
  hydrationDoneNs: number,
): Record<ReadPhase, LatencySummary> {
  const lat = (r: LatencySample): number => (r.completedNs - r.scheduledNs) / 1e3;
  const hydratedFrom = Math.max(firstAckDestNs, hydrationDoneNs);
  return {
    baseline: summarize(sourceReads.filter((r) => r.scheduledNs < startNs).map(lat)),
    hydrating: summarize(destReads.filter((r) => r.scheduledNs >= firstAckDestNs && r.scheduledNs < hydratedFrom).map(lat)),
    hydrated: summarize(destReads.filter((r) => r.scheduledNs >= hydratedFrom).map(lat)),
  };
}

/** All timing metrics of one migration from its timeline and the two instances' records. */
export function migrationMetrics(
  t: Timeline,
  lastAckSourceNs: number,
  firstAckDestNs: number,
  sourceReads: readonly LatencySample[],
  destReads: readonly LatencySample[],
): MigrationMetrics {
  const start = t.get('start')!;
  const hydrationDone = Math.max(t.get('hydration_done') ?? firstAckDestNs, firstAckDestNs);
  const released = t.get('source_released') ?? t.get('end')!;
  return {
    ...interruption(lastAckSourceNs, firstAckDestNs),
    migration_ms: ms(released - start),
    hydration_ms: ms(hydrationDone - firstAckDestNs),
    read: readPhases(sourceReads, destReads, start, firstAckDestNs, hydrationDone),
  };
}

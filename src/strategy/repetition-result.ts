import type { MigrationMetrics } from '../measure/metrics.js';
import type { Timeline } from '../measure/timeline.js';
import type { WorkloadFigures } from '../workload/workload.js';
import type { StrategyOutcome } from './context.js';
import type { HarnessFigures, RepetitionResult } from '../results/repetition-result.js';
import type { FaultRecord } from '../fault/record.js';

/** Everything a finished repetition hands to its result. */
export interface RepetitionRecord {
  strategy: string;
  rep: number;
  /** Drain volume (`--volumes`), undefined outside a drain. */
  volume: number | undefined;
  timeline: Timeline;
  metrics: MigrationMetrics;
  /** Bytes A sent during the migration (interface counter). */
  wireBytes: number;
  /** CPU seconds each host's cgroup used during the migration (absent without cgroups). */
  cpuSeconds?: { a?: number; b?: number };
  /** What the strategy returned. */
  outcome: StrategyOutcome;
  /** What the workload's verification returned. */
  figures: WorkloadFigures;
  /** The injected fault, when the scenario has one. */
  fault?: FaultRecord | undefined;
  /** The harness's own phases and the orchestrator's peak memory. */
  harness?: HarnessFigures;
}

/** The repetition result of a successful repetition: the strategy's outcome and the workload's figures, side by side (pure). */
export function repetitionResult(r: RepetitionRecord): RepetitionResult {
  const { outcome, figures } = r;
  return {
    strategy: r.strategy,
    rep: r.rep,
    status: 'ok',
    error: '',
    metrics: r.metrics,
    verification: figures.verification,
    staleReads: figures.staleReads,
    corruptReads: figures.corruptReads,
    ackedWrites: figures.ackedWrites,
    bytesOnWire: r.wireBytes,
    copySeconds: outcome.copySeconds,
    backend: outcome.backend,
    ...(outcome.hydrationPausedMs !== undefined ? { hydrationPausedMs: outcome.hydrationPausedMs } : {}),
    timeline: r.timeline,
    ...(outcome.precopy ? { precopy: outcome.precopy } : {}),
    ...(figures.app ? { app: figures.app } : {}),
    ...(r.volume !== undefined ? { volume: r.volume } : {}),
    ...(r.cpuSeconds ? { cpuSeconds: r.cpuSeconds } : {}),
    ...(r.harness ? { harness: r.harness } : {}),
    reads: figures.reads,
    checkedReads: figures.checkedReads,
    acks: figures.acks,
    ...(r.fault ? { fault: { ...r.fault, unrecovered: outcome.unrecovered, ioErrors: figures.ioErrors, destCompletionsNs: figures.destCompletionsNs } } : {}),
  };
}

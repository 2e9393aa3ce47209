import type { MigrationMetrics } from '../measure/metrics.js';
import type { Timeline } from '../measure/timeline.js';
import type { Verification } from '../measure/verifier.js';
import type { LatencySample } from '../workload/fio-log.js';
import type { AckRecord } from '../workload/records.js';
import type { PrecopyStats } from './context.js';

/** Everything measured in one strategy × repetition. */
export interface RepetitionResult {
  strategy: string;
  rep: number;
  status: 'ok';
  error: '';
  metrics: MigrationMetrics;
  verification: Verification;
  staleReads: number;
  /** Acknowledged writes of all instances (the fill excluded). */
  ackedWrites: number;
  /** Bytes sent A→B on the link during the migration (interface counter). */
  bytesOnWire: number;
  /** Wall time of the copy primitive, when the strategy has one. */
  copySeconds: number | undefined;
  /** Clone backend, for clone strategies. */
  backend: string | undefined;
  timeline: Timeline;
  /** Pre-copy rounds, on precopy rows. */
  precopy?: PrecopyStats;
  /** Client-side figures, when an application workload ran (`--workload http`). */
  app?: AppResult;
  /** Volume number within a drain (`--volumes`). */
  volume?: number;
  /**
   * Timed reads of both sides: the stamped instances' (with what they returned) or, with
   * `--probe fio`, fio's (latency only).
   */
  reads: readonly (LatencySample & { state?: number })[];
  acks: readonly AckRecord[];
}

/** What the clients of an application workload saw (runs.csv client_gap_ms, errors, timeouts, lost_requests). */
export interface AppResult {
  clientGapMs: number;
  errors: number;
  timeouts: number;
  lostRequests: number;
  /** Up to 16 lost request ids, for diagnosis. */
  lostSample: number[];
  /** Slots of the destination's data file that do not check out. */
  corruptSlots: number;
}

import type { MigrationMetrics } from '../measure/metrics.js';
import type { Timeline } from '../measure/timeline.js';
import type { Verification } from '../measure/verifier.js';
import type { AckRecord, ReadRecord } from '../workload/records.js';
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
  reads: readonly ReadRecord[];
  acks: readonly AckRecord[];
}

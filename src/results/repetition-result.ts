/**
 * What one strategy × repetition measured: the strategies produce it, the runs.csv and
 * timeline.csv rows are shaped from it.
 */
import type { MigrationMetrics } from '../measure/metrics.js';
import type { Timeline } from '../measure/timeline.js';
import type { Verification } from '../measure/verifier.js';
import type { LatencySample } from '../workload/fio-log.js';
import type { AckRecord, ReadRecord } from '../workload/records.js';
import type { FaultResult } from '../fault/result.js';

/** Everything measured in one strategy × repetition. */
export interface RepetitionResult {
  strategy: string;
  rep: number;
  status: 'ok';
  error: '';
  metrics: MigrationMetrics;
  verification: Verification;
  staleReads: number;
  /** Checked reads (either side, every phase) whose block did not check out; undefined when no read was checked (HTTP workload). */
  corruptReads?: number | undefined;
  /** Acknowledged writes of all instances (the fill excluded). */
  ackedWrites: number;
  /** Bytes sent A→B on the link during the migration (interface counter). */
  bytesOnWire: number;
  /** Wall time of the copy primitive, when the strategy has one. */
  copySeconds: number | undefined;
  /** Clone backend, for clone strategies. */
  backend: string | undefined;
  /** How long background hydration paused for the destination's reads, ms (`--hydration-yield`). */
  hydrationPausedMs?: number | undefined;
  timeline: Timeline;
  /** Pre-copy rounds, on precopy rows. */
  precopy?: PrecopyStats;
  /** Client-side figures, when an application workload ran (`--workload http`). */
  app?: AppResult;
  /** Volume number within a drain (`--volumes`). */
  volume?: number;
  /**
   * CPU seconds used by each host's cgroup (its processes: daemons, copiers, workload
   * instances) from the migration start until the strategy returned; a side is absent
   * when it had no cgroup.
   */
  cpuSeconds?: { a?: number; b?: number };
  /** The harness's own phases (the fill, the verification) and the orchestrator's peak memory. */
  harness?: HarnessFigures;
  /**
   * Timed reads of both sides: the stamped instances' (with what they returned) or, with
   * `--probe fio`, fio's (latency only).
   */
  reads: readonly (LatencySample & { state?: number })[];
  /** The reads whose content was checked (the stamped instances'), for timeline.csv's corrupt_reads; `reads` when absent. */
  checkedReads?: readonly ReadRecord[];
  acks: readonly AckRecord[];
  /** The injected fault and what the repetition saw of it (`--fault`). */
  fault?: FaultResult;
}

/** What the harness itself cost in a repetition (runs.csv fill_ms, verify_ms, orchestrator_rss_mib). */
export interface HarnessFigures {
  /** Wall time of the workload's initial state on the source (the stamped fill, mkfs + data set, initdb). */
  fillMs: number | undefined;
  /** Wall time of the destination's verification (reading it back against the journal). */
  verifyMs: number | undefined;
  /** The orchestrator's peak resident memory in the run so far, MiB. */
  peakRssMiB: number;
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
  /** The PostgreSQL workload's own figures (`--workload postgres`). */
  db?: DbResult;
}

/** What the PostgreSQL workload measured (runs.csv lost_commits … tps_after). */
export interface DbResult {
  /** Acknowledged commits absent from the migrated database. */
  lostCommits: number;
  /** Transactions whose answer the clients never got (connection lost, timeout). */
  indeterminate: number;
  /** Boot start → the destination's server accepts connections (mount + crash recovery); undefined without a boot. */
  recoveryMs: number | undefined;
  /** Boot start → the destination's log says "ready to accept connections" (wall clock, ms resolution): the cross-check. */
  recoveryLogMs: number | undefined;
  /** amcheck and the consistency checks passed on the migrated data. */
  integrityOk: boolean;
  /** What failed of those checks ('' when all pass). */
  integrityDetail: string;
  tpsBaseline: number | undefined;
  tpsMigration: number | undefined;
  tpsAfter: number | undefined;
  /** Why the database never came up on B, even after e2fsck; undefined when it did. */
  bootError?: string | undefined;
  /** e2fsck on B's volume, when the first boot attempt failed and it ran. */
  fsck?: { exitCode: number; fixes: number } | undefined;
}

/** One pre-copy pass. */
export interface PrecopyRound {
  /** 0 is the initial full copy; `final` is the delta after the kill. */
  round: number | 'final';
  startNs: number;
  /** When its dirty extents were listed (the bitmap rotated and read); the copy follows. */
  listedNs: number;
  doneNs: number;
  /** Bytes the round had to copy (the dirty set it started with). */
  dirtyBytes: number;
  /** Bytes the copier moved. */
  copiedBytes: number;
  /** Delta passes: the copier's reads from A and writes to B, ms (listedNs → doneNs less the flush and the hand-over). */
  copyMs?: number;
  /** Delta passes: the flush that made the copied bytes durable on B, ms. */
  flushMs?: number;
}

/** How a pre-copy went. */
export interface PrecopyStats {
  /** Copy passes while A ran (the full copy included). */
  rounds: number;
  converged: boolean;
  /**
   * How A's writes were tracked (a `TrackingName` of the dirty trackers: `qemu` or
   * `dm-era`); plain text here so the record does not depend on the trackers.
   */
  tracking: string;
  finalDeltaBytes: number;
  passes: PrecopyRound[];
}

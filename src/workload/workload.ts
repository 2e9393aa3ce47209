import type { HostPair } from '../lab/hosts.js';
import type { ResourceScope } from '../lab/scope.js';
import type { Timeline } from '../measure/timeline.js';
import type { Verification } from '../measure/verifier.js';
import type { Scenario } from '../scenario/scenario.js';
// The result type moves to src/results/ (issue 16); only its AppResult is needed here.
import type { AppResult } from '../results/repetition-result.js';
import type { LatencySample } from './fio-log.js';
import type { AckRecord, ReadRecord } from './records.js';
import type { IoErrors } from '../fault/result.js';

/** What a workload acts on during one repetition. */
export interface WorkloadEnv {
  /** The repetition's scope: everything the workload starts is released with it. */
  scope: ResourceScope;
  scenario: Scenario;
  hosts: HostPair;
  /** The repetition's scratch directory. */
  workDir: string;
  signal: AbortSignal;
  /** Repetition number (seeds the stamped writer). */
  rep: number;
  /** Drain volume (`--volumes`), undefined outside a drain: picks the workload's ports. */
  volume?: number;
}

/** A workload's own verdict on a repetition: what goes into the repetition result besides the strategy's figures. */
export interface WorkloadFigures {
  verification: Verification;
  staleReads: number;
  /** Checked reads that returned a block that does not check out (torn, garbage, misplaced); undefined when nothing checks reads. */
  corruptReads: number | undefined;
  /** The reads whose content was checked (the stamped instances'), with what they returned. */
  checkedReads: readonly ReadRecord[];
  /** Acknowledged writes (or requests) of both sides, the fill excluded. */
  ackedWrites: number;
  /** The last write A acknowledged, if it acknowledged any. */
  lastAckSourceNs: number | undefined;
  /** Timed reads of A and of B, for the read-latency metrics. */
  metricReads: { source: readonly LatencySample[]; dest: readonly LatencySample[] };
  /** The timed reads behind the latency figures (timeline.csv's reads), and the acks. */
  reads: readonly (LatencySample & { state?: number })[];
  acks: readonly AckRecord[];
  /** Client-side figures of an application workload. */
  app?: AppResult;
  /** I/O errors the workload counted and went on from (a fault, issue 12); undefined when it does not count them. */
  ioErrors?: IoErrors;
  /** When the destination's workload completed an I/O (ns), for the longest stall under a fault. */
  destCompletionsNs?: readonly number[];
}

/**
 * A workload as one repetition drives it, in this order: `provision` lays its initial
 * state on A's raw source volume (before the volume is exported); `start` runs it on A
 * (over the device a strategy may have put in front of the volume); `endBaseline` closes
 * the baseline window as the migration starts; the primitives *kill* and *boot* call
 * `kill` and `boot`/`waitDestAck`; after the settle window `stop` stops both sides; and
 * once the destination stands alone `verify` reads it and returns the figures.
 */
export interface Workload {
  /** The name of the `provision` step, for progress and failure messages. */
  readonly provisionStep: string;
  provision(sourceDevice: string): Promise<void>;
  /** Starts on A over `device`; resolves once A has acknowledged its first write. */
  start(device: string): Promise<void>;
  /** The baseline ends where the migration starts (stops what only measures the baseline). */
  endBaseline(): Promise<void>;
  /** Stops the workload on A; when this resolves, A does no more I/O for it. */
  kill(): Promise<void>;
  /** Starts the workload on B over `device`; resolves with the time of its first acknowledged write. */
  boot(device: string): Promise<number>;
  /** Resolves once B has acknowledged a write at or after `ns` (the health check). */
  waitDestAck(ns: number): Promise<number>;
  /**
   * `--fault dest-crash`: SIGKILL of B's instance (and its probe), as B's crash would do.
   * Optional: only workloads that can tell a rebooted instance's writes apart have it.
   */
  crashDest?(): Promise<void>;
  /** After `crashDest`: boots the workload again on B over `device`; resolves with its first ack. */
  rebootDest?(device: string): Promise<number>;
  /** End of the run: stops whatever still runs on either side, gracefully. */
  stop(): Promise<void>;
  /** Reads `destDevice` (nothing else uses it any more) and checks it against what was acknowledged. */
  verify(destDevice: string, timeline: Timeline): Promise<WorkloadFigures>;
}

/** A workload step called out of order (a bug in the pipeline or a strategy). */
export class WorkloadStateError extends Error {
  override readonly name = 'WorkloadStateError';
}

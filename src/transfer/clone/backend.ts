import type { YieldPolicy } from './hydration-yield.js';
import type { Host } from '../../lab/hosts.js';
import type { ResourceScope } from '../../lab/scope.js';

/** What a clone backend needs to build a clone of the source on B. */
export interface CloneOptions {
  /** NBD URI of the source export on A, reachable from B. */
  sourceUri: string;
  sourceHost: string;
  sourcePort: number;
  sizeBytes: number;
  /** B's raw destination device (a loop device migbench created). */
  destDevice: string;
  /** Hydration granularity (dm-clone region / qcow2 cluster), bytes. */
  regionSizeBytes: number;
  /** Background hydration limit, bits per second; 0 = unlimited. */
  hydrationRateBps: number;
  /**
   * Background hydration bytes in flight at once. The foreground's on-demand fetches
   * queue behind them on the link, so this trades hydration speed for read latency.
   */
  hydrationInflightBytes: number;
  /** qemu: pause background hydration while B's FUSE connection has reads waiting (undefined: never). */
  hydrationYield?: YieldPolicy | undefined;
  /** dm-clone: hydration threshold and batch size in regions (undefined = kernel default). */
  hydrationThreshold?: number | undefined;
  hydrationBatch?: number | undefined;
  /** Scratch directory on B (sockets, metadata). */
  workDir: string;
  host: Host;
  signal: AbortSignal;
}

/** Hydration progress: regions present on B out of all regions. */
export interface CloneProgress {
  hydrated: number;
  total: number;
}

/**
 * A live async clone. Its `device` is usable at once; reads of regions not yet on B are
 * fetched from the source on demand; writes land on B.
 */
export interface Clone {
  /** The block device the destination workload runs on. */
  readonly device: string;
  /** Starts background hydration. */
  startHydration(): Promise<void>;
  /** Current progress, measured from the backend (job counters, status line). */
  progress(): Promise<CloneProgress>;
  /**
   * Resolves once every region is on B. `stop` ends the wait early (it rejects with its
   * reason): a backend whose hydration retries failed regions silently (dm-clone) would
   * otherwise wait for a source lost for good until `--timeout`.
   */
  waitHydrated(onProgress: (p: CloneProgress) => void, pollMs: number, stop?: AbortSignal): Promise<void>;
  /** Drops the dependency on the source: after this the source can be destroyed. */
  detachSource(): Promise<void>;
  /** After hydration: how long background hydration was paused for B's own reads, ms (undefined: it never pauses). */
  hydrationPausedMs?(): number | undefined;
  /** `--fault dest-crash`: kills the whole stack without a clean shutdown and drops B's page cache of it. Optional. */
  crash?(): Promise<void>;
  /** After `crash`: rebuilds the clone from what persisted on B; resolves with the device B boots on again. */
  reassemble?(): Promise<string>;
  /**
   * Once the destination workload has stopped: dismantles the clone stack so that
   * `destDevice` alone holds the volume (zero-filling what only metadata recorded).
   */
  finalize(): Promise<void>;
}

/**
 * A clone built up to the switch: daemons started, connected to the source's export,
 * metadata created, exported and attached on B — with nothing read from the source yet, so
 * it can be prepared while the source still writes. `activate` does only what must follow
 * the kill.
 */
export interface PreparedClone {
  /** After the source has stopped writing: makes the clone usable (whatever must follow the kill). */
  activate(): Promise<Clone>;
}

/** The scenario's clone tuning, checked against a backend before anything is provisioned. */
export type CloneTuning = Pick<CloneOptions, 'regionSizeBytes' | 'hydrationRateBps' | 'hydrationThreshold' | 'hydrationBatch'>;

/** A way of making async clones. */
export interface CloneBackend {
  readonly name: 'qemu' | 'dm-clone';
  /** Why it cannot run here, or undefined if it can. */
  unavailable(): Promise<string | undefined>;
  /** Why this backend cannot honour `t` (an option it does not have, a size it refuses), or undefined. */
  tuningProblem(t: CloneTuning): string | undefined;
  /**
   * Builds everything that can precede the kill. Reads nothing from the source: no
   * region may reach B before the source has stopped writing, or B would keep a stale copy.
   */
  prepare(scope: ResourceScope, o: CloneOptions): Promise<PreparedClone>;
  /** Prepares and activates at once: a clone of a source that has already stopped writing. */
  create(scope: ResourceScope, o: CloneOptions): Promise<Clone>;
}

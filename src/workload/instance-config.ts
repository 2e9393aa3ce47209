/** What an instance process is told on its command line (JSON in argv[2]). */
export interface InstanceConfig {
  /** Block device the instance is bound to. */
  device: string;
  /** Instance epoch: 0 is the initial fill, then 1, 2, … for each booted instance. */
  epoch: number;
  blockSize: number;
  /** Number of blocks in the volume. */
  blocks: number;
  /** Stamped writes, bits per second (0: no writes). */
  writeRateBps: number;
  /** Scheduled reads per second (0: no reads). */
  readRate: number;
  /** Seed of the block choices (distinct per instance). */
  seed: number;
  /** Where writes go: a pattern's text (src/workload/pattern/spec.ts); absent: uniform. */
  writePattern?: string;
  /** Where reads go, likewise. */
  readPattern?: string;
  /** Where a pattern's hot blocks lie: one per volume, the same for A's and B's instance (absent: 0). */
  layoutSeed?: number;
  /**
   * The host's clock minus the controller's, ns (a real host; absent: 0). The instance
   * subtracts it from every time it stamps into a block or reports, so blocks, acks and
   * reads are all on the controller's clock.
   */
  clockOffsetNs?: number;
}

/** The instance entry point, relative to the compiled package. */
export const INSTANCE_ENTRY = 'dist/src/workload/instance-main.js';

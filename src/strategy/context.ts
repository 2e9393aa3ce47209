import type { HostPair } from '../lab/hosts.js';
import type { LinkMeasurement } from '../lab/link-probe.js';
import type { NbdExport } from '../lab/nbd-export.js';
import type { ResourceScope } from '../lab/scope.js';
import type { Timeline } from '../measure/timeline.js';
import type { PrecopyStats } from '../results/repetition-result.js';
import type { Scenario } from '../scenario/scenario.js';
import type { CloneBackend } from '../transfer/clone/backend.js';
import type { DirtyTracker } from '../transfer/dirty/dirty-tracker.js';
import type { TrackedSource } from '../transfer/dirty/tracked-source.js';
import type { FioProbe } from '../workload/fio-probe.js';
import type { Instance } from '../workload/instance.js';

/** Everything a strategy acts on during one migration. */
export interface MigrationContext {
  scope: ResourceScope;
  scenario: Scenario;
  hosts: HostPair;
  /** What the link measured at the start of the run. */
  link: LinkMeasurement;
  timeline: Timeline;
  /** Per-repetition scratch directory (sockets, pidfiles, metadata). */
  workDir: string;
  source: {
    device: string;
    export: NbdExport;
    instance: Instance;
    /** The source behind qemu-storage-daemon, when the strategy asked for it (`prepareSource`). */
    tracked?: TrackedSource;
    /** The source's dirty tracking (QEMU bitmaps or dm-era), when the strategy asked for it. */
    dirty?: DirtyTracker;
  };
  /** `probe`: the fio read probe on B's device (`--probe fio`), started at boot. */
  dest: { device: string; instance?: Instance; probe?: FioProbe | undefined };
  signal: AbortSignal;
  /** Progress of data towards B (0..1), sampled into timeline.csv. */
  hydrated: number;
  /** Set by the copy primitive. */
  copySeconds?: number;
  /** Drain volume (`--volumes`), undefined outside a drain: picks the ports of the exports a strategy starts. */
  volume?: number;
  /** The clone backend chosen for this run (`--backend`). */
  cloneBackend: CloneBackend | undefined;
  /** The clone backend used, if any (a runs.csv column). */
  backend?: string;
  /**
   * Steps to run once every instance has stopped and before verification (a clone
   * dismantling its stack so the raw destination device stands alone).
   */
  afterStop: (() => Promise<void>)[];
  /** Pre-copy rounds, set by the precopy strategy (runs.csv rounds/final_delta_bytes/converged, timeline.csv). */
  precopy?: PrecopyStats;
  /**
   * An application workload that replaces the stamped instance (`--workload http`):
   * when set, *kill* and *boot* act on it and `source.instance` is not available.
   */
  app?: AppWorkload;
}

/** What *kill* and *boot* need from an application workload. */
export interface AppWorkload {
  /** Stops the service on A; when this resolves, A does no more I/O for it. */
  kill(): Promise<void>;
  /** Starts the service on B over `device`; resolves with the time of its first acknowledged request. */
  boot(device: string, signal: AbortSignal): Promise<number>;
  /** Resolves once B has acknowledged a request at or after `ns` (the health check). */
  waitDestAck(ns: number, signal: AbortSignal): Promise<number>;
}

/** A migration strategy: a named composition of primitives. */
export interface Strategy {
  name: string;
  /** What theory predicts it shows (the report's ordering table). */
  predicted: string;
  /** Whether a correct implementation loses no acknowledged byte (CI treats loss as a regression). */
  expectsNoLoss: boolean;
  /** Whether it needs a clone backend (resolved and checked before provisioning). */
  usesClone?: boolean;
  /** Whether it tracks A's writes with `--tracking` (resolved and checked before provisioning). */
  tracksWrites?: boolean;
  run(ctx: MigrationContext): Promise<void>;
  /**
   * Puts the (filled) source volume behind something before the source workload starts
   * on it — a device whose writes are tracked, mirrored or backed up. Returns the device
   * the source workload must run on. Resources belong to `setup.scope`.
   */
  prepareSource?(setup: SourceSetup): Promise<PreparedSource>;
}

/** What `prepareSource` gets. */
export interface SourceSetup {
  scope: ResourceScope;
  scenario: Scenario;
  hosts: HostPair;
  workDir: string;
  /** A's raw source device, already filled. */
  sourceDevice: string;
  signal: AbortSignal;
  /** Drain volume (`--volumes`), undefined outside a drain: picks the ports of the exports it starts. */
  volume?: number;
}

/** What `prepareSource` returns. */
export interface PreparedSource {
  /** The device the source workload runs on. */
  device: string;
  tracked?: TrackedSource;
  dirty?: DirtyTracker;
}

// The pre-copy record belongs to the results; re-exported for the strategies that name it.
export type { PrecopyRound, PrecopyStats } from '../results/repetition-result.js';

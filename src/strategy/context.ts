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
import type { Workload } from '../workload/workload.js';
import type { FaultProbe } from '../fault/probe.js';
import type { PhaseName } from '../fault/spec.js';

/** Everything a strategy acts on during one migration. Strategies read it; what they produce they return. */
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
    /** A's raw source device. */
    device: string;
    export: NbdExport;
    /** The source behind qemu-storage-daemon, when the strategy asked for it (`prepareSource`). */
    tracked?: TrackedSource;
    /** The source's dirty tracking (QEMU bitmaps or dm-era), when the strategy asked for it. */
    dirty?: DirtyTracker;
  };
  /** B's raw destination device. */
  dest: { device: string };
  /** The workload running on A, which *kill* stops and *boot* starts on B. */
  workload: Workload;
  signal: AbortSignal;
  /** Reports the progress of data towards B (0..1); the runner samples the latest into timeline.csv. */
  progress(fraction: number): void;
  /** Drain volume (`--volumes`), undefined outside a drain: picks the ports of the exports a strategy starts. */
  volume?: number;
  /** The clone backend chosen for this run (`--backend`). */
  cloneBackend: CloneBackend | undefined;
  /** The fault injected in this repetition (`--fault`), as a strategy may ask about it. */
  fault?: FaultProbe | undefined;
}

/** The destination as *boot* left it: the workload runs on `device`, up since `firstAckNs`. */
export interface BootedDestination {
  device: string;
  firstAckNs: number;
}

/** What a strategy's run produced, recorded by the runner into the repetition result. */
export interface StrategyOutcome {
  /** The destination the strategy booted (every strategy boots one). */
  dest: BootedDestination;
  /** Wall time of the copy, when the strategy has one (runs.csv copy_seconds). */
  copySeconds?: number;
  /** The clone backend used, if any (runs.csv backend). */
  backend?: string;
  /** How long background hydration paused for the destination's reads (runs.csv hydration_paused_ms). */
  hydrationPausedMs?: number | undefined;
  /** Pre-copy rounds (runs.csv rounds/final_delta_bytes/converged, timeline.csv). */
  precopy?: PrecopyStats;
  /**
   * Steps to run once the workload has stopped and before verification (a clone
   * dismantling its stack so the raw destination device stands alone).
   */
  afterStop?: (() => Promise<void>)[];
  /** Set when a fault took the source for good before the data was all on B (the migration did not complete). */
  unrecovered?: { unavailableBytes: number | undefined; why: string };
}

/** A migration strategy: a named composition of primitives. */
export interface Strategy {
  name: string;
  /** What theory predicts it shows; set by the registry from results/expectations.ts. */
  predicted: string;
  /**
   * Whether a correct implementation loses no acknowledged byte (CI treats loss as a
   * regression). Set by the registry from results/expectations.ts.
   */
  expectsNoLoss: boolean;
  /** Whether it needs a clone backend (resolved and checked before provisioning). */
  usesClone?: boolean;
  /** Whether it tracks A's writes with `--tracking` (resolved and checked before provisioning). */
  tracksWrites?: boolean;
  /** The phases it emits, a fault can be tied to (`--fault`); set by the registry from fault/phases.ts. */
  phases?: readonly PhaseName[];
  run(ctx: MigrationContext): Promise<StrategyOutcome>;
  /**
   * Puts the (provisioned) source volume behind something before the source workload
   * starts on it — a device whose writes are tracked, mirrored or backed up. Returns the
   * device the source workload must run on. Resources belong to `setup.scope`.
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

/** A strategy as its module defines it; the registry adds what the record's table says. */
export type StrategyDefinition = Omit<Strategy, 'expectsNoLoss' | 'predicted'>;

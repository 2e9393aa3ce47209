import type { HostPair } from '../lab/hosts.js';
import type { LinkMeasurement } from '../lab/link-probe.js';
import type { NbdExport } from '../lab/nbd-export.js';
import type { ResourceScope } from '../lab/scope.js';
import type { Timeline } from '../measure/timeline.js';
import type { Scenario } from '../scenario/scenario.js';
import type { CloneBackend } from '../transfer/clone/backend.js';
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
  source: { device: string; export: NbdExport; instance: Instance };
  dest: { device: string; instance?: Instance };
  signal: AbortSignal;
  /** Progress of data towards B (0..1), sampled into timeline.csv. */
  hydrated: number;
  /** Set by the copy primitive. */
  copySeconds?: number;
  /** The clone backend chosen for this run (`--backend`). */
  cloneBackend: CloneBackend | undefined;
  /** The clone backend used, if any (a runs.csv column). */
  backend?: string;
  /**
   * Steps to run once every instance has stopped and before verification (a clone
   * dismantling its stack so the raw destination device stands alone).
   */
  afterStop: (() => Promise<void>)[];
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
  run(ctx: MigrationContext): Promise<void>;
}

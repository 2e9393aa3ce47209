/**
 * meta.json: the provenance of a run, shaped from what was collected (pure). Collecting
 * it (git, tool versions, the host) is provenance.ts.
 */
import type { Scenario } from '../scenario/scenario.js';
import type { SweepPoint } from '../scenario/sweep.js';
import type { MeasuredLink } from './link.js';
import { FAULT_TOLERANCE } from '../fault/timeouts.js';

/** Provenance of a run: enough to reproduce it and to explain its numbers. */
export interface RunMeta {
  run_id: string;
  migbench_version: string;
  git_revision: string;
  git_dirty: boolean;
  started_at: string;
  finished_at?: string;
  host: HostInfo;
  node: string;
  tools: Record<string, string>;
  scenario: Scenario;
  /** The clone backend `--backend auto` resolved to, or null when no strategy clones. */
  clone_backend: string | null;
  link: { requested_bps: number; measured_bps: number; probe_bytes: number; latency_ms: number; request_rtt_ms: number };
  /** A sweep: the swept options and each point's label (runs.csv `sweep_point`); `scenario` is the first point. */
  sweep?: { options: string[]; points: { label: string; params: Record<string, string> }[] };
  /** Timeouts and reconnect options set on what talks to the source (issue 12, fault/timeouts.ts). */
  fault_tolerance?: typeof FAULT_TOLERANCE;
  /** Every lab of the run (one per link setting of a sweep): link asked vs measured. */
  links?: LinkRecord[];
  /** Real hosts (`--hosts`): each role's host and its clock against the controller's (src/remote/run-clocks.ts). */
  remote?: RemoteMeta;
}

/** What meta.json records about a run on real hosts. */
export interface RemoteMeta {
  hosts: Record<string, { ssh: string; data_address: string; data_dir: string; link_interface: string; shaped: boolean }>;
  /** Offsets (host − controller) and their uncertainty, before and after the run, ms. */
  clocks: Record<string, unknown>;
  max_clock_uncertainty_ms: number;
}

/** The machine a run ran on. */
export interface HostInfo {
  hostname: string;
  kernel: string;
  cpu: string;
  cpus: number;
  memory_bytes: number;
}

/** One lab's link, asked vs measured. */
export interface LinkRecord {
  requested_bps: number;
  latency_ms: number;
  measured_bps: number;
  request_rtt_ms: number;
}

/** Adds the sweep description to a run's meta (unchanged when nothing is swept). */
export function sweepMeta(meta: RunMeta, points: readonly SweepPoint[]): RunMeta {
  if (points.length < 2) return meta;
  return { ...meta, sweep: { options: Object.keys(points[0]!.params), points: points.map((p) => ({ label: p.label, params: { ...p.params } })) } };
}

/** What was collected about the run's surroundings (git, tools, machine, clock). */
export interface Provenance {
  git: { revision: string; dirty: boolean };
  tools: Record<string, string>;
  host: HostInfo;
  node: string;
  startedAt: string;
}

/** A run's meta.json at its start (no `finished_at` yet). */
export function runMeta(runId: string, scenario: Scenario, link: MeasuredLink, version: string, cloneBackend: string | undefined, p: Provenance): RunMeta {
  return {
    run_id: runId,
    migbench_version: version,
    git_revision: p.git.revision,
    git_dirty: p.git.dirty,
    started_at: p.startedAt,
    host: p.host,
    node: p.node,
    tools: p.tools,
    scenario,
    clone_backend: cloneBackend ?? null,
    link: {
      requested_bps: scenario.linkBps,
      measured_bps: Math.round(link.measuredBps),
      probe_bytes: link.probeBytes,
      latency_ms: scenario.latencyMs,
      request_rtt_ms: link.requestRttMs,
    },
    fault_tolerance: FAULT_TOLERANCE,
  };
}

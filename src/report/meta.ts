import { cpus, hostname, release, totalmem } from 'node:os';
import { execa } from 'execa';
import type { LinkMeasurement } from '../lab/link-probe.js';
import type { Scenario } from '../scenario/scenario.js';
import type { SweepPoint } from '../scenario/sweep.js';
import { packageRoot } from '../workload/package-root.js';

/** Provenance of a run: enough to reproduce it and to explain its numbers. */
export interface RunMeta {
  run_id: string;
  migbench_version: string;
  git_revision: string;
  git_dirty: boolean;
  started_at: string;
  finished_at?: string;
  host: { hostname: string; kernel: string; cpu: string; cpus: number; memory_bytes: number };
  node: string;
  tools: Record<string, string>;
  scenario: Scenario;
  /** The clone backend `--backend auto` resolved to, or null when no strategy clones. */
  clone_backend: string | null;
  link: { requested_bps: number; measured_bps: number; probe_bytes: number; latency_ms: number; request_rtt_ms: number };
  /** A sweep: the swept options and each point's label (runs.csv `sweep_point`); `scenario` is the first point. */
  sweep?: { options: string[]; points: { label: string; params: Record<string, string> }[] };
  /** Every lab of the run (one per link setting of a sweep): link asked vs measured. */
  links?: LinkRecord[];
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

async function firstLine(cmd: string, args: string[]): Promise<string> {
  const r = await execa(cmd, args, { reject: false });
  const text = `${String(r.stdout ?? '')}\n${String(r.stderr ?? '')}`.trim();
  return r.failed && !text ? 'not installed' : (text.split('\n')[0] ?? '').trim();
}

/** Versions of every tool in the data path. */
export async function toolVersions(): Promise<Record<string, string>> {
  const probes: [string, string, string[]][] = [
    ['nbdkit', 'nbdkit', ['--version']],
    ['nbdcopy', 'nbdcopy', ['--version']],
    ['qemu-storage-daemon', 'qemu-storage-daemon', ['--version']],
    ['qemu-img', 'qemu-img', ['--version']],
    ['fio', 'fio', ['--version']],
    ['iproute2', 'ip', ['-V']],
    ['losetup', 'losetup', ['--version']],
    ['dmsetup', 'dmsetup', ['--version']],
    ['era_invalidate', 'era_invalidate', ['-V']],
  ];
  const out: Record<string, string> = {};
  for (const [name, cmd, args] of probes) out[name] = await firstLine(cmd, args);
  return out;
}

/** The git revision of the migbench checkout, or "unknown" outside git. */
export async function gitRevision(): Promise<{ revision: string; dirty: boolean }> {
  const cwd = packageRoot();
  const rev = await execa('git', ['rev-parse', 'HEAD'], { cwd, reject: false });
  if (rev.failed) return { revision: 'unknown', dirty: false };
  const st = await execa('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, reject: false });
  return { revision: String(rev.stdout).trim(), dirty: String(st.stdout ?? '').trim() !== '' };
}

export async function collectMeta(runId: string, scenario: Scenario, link: LinkMeasurement, version: string, cloneBackend?: string): Promise<RunMeta> {
  const git = await gitRevision();
  return {
    run_id: runId,
    migbench_version: version,
    git_revision: git.revision,
    git_dirty: git.dirty,
    started_at: new Date().toISOString(),
    host: { hostname: hostname(), kernel: release(), cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, memory_bytes: totalmem() },
    node: process.version,
    tools: await toolVersions(),
    scenario,
    clone_backend: cloneBackend ?? null,
    link: {
      requested_bps: scenario.linkBps,
      measured_bps: Math.round(link.measuredBps),
      probe_bytes: link.probeBytes,
      latency_ms: scenario.latencyMs,
      request_rtt_ms: link.requestRttMs,
    },
  };
}

/**
 * Collects a run's provenance: the git revision of the checkout, the versions of the
 * tools in the data path and the machine. The one part of the record that spawns
 * processes; meta.ts shapes what it returns.
 */
import { cpus, hostname, release, totalmem } from 'node:os';
import { execa } from 'execa';
import { packageRoot } from '../package-root.js';
import type { Scenario } from '../scenario/scenario.js';
import type { MeasuredLink } from './link.js';
import { runMeta, type HostInfo, type RunMeta } from './meta.js';

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

/** The machine this process runs on. */
export function hostInfo(): HostInfo {
  return { hostname: hostname(), kernel: release(), cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, memory_bytes: totalmem() };
}

/** A run's meta.json at its start: collects the provenance, then shapes it (meta.ts). */
export async function collectMeta(runId: string, scenario: Scenario, link: MeasuredLink, version: string, cloneBackend?: string): Promise<RunMeta> {
  const git = await gitRevision();
  const startedAt = new Date().toISOString();
  const host = hostInfo();
  const tools = await toolVersions();
  return runMeta(runId, scenario, link, version, cloneBackend, { git, tools, host, node: process.version, startedAt });
}

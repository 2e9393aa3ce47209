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

/** Each tool's version command, by the name meta.json records it under. */
const VERSION_PROBES: readonly [name: string, cmd: string, args: string][] = [
  ['nbdkit', 'nbdkit', '--version'],
  ['nbdcopy', 'nbdcopy', '--version'],
  ['qemu-storage-daemon', 'qemu-storage-daemon', '--version'],
  ['qemu-img', 'qemu-img', '--version'],
  ['fio', 'fio', '--version'],
  ['iproute2', 'ip', '-V'],
  ['losetup', 'losetup', '--version'],
  ['dmsetup', 'dmsetup', '--version'],
  ['era_invalidate', 'era_invalidate', '-V'],
];

/**
 * Versions of every tool in the data path: the first line each prints (stdout, else
 * stderr), or "not installed". One shell asks them all: a process spawned from Node costs
 * ~60 ms here, nine of them a second of every run's start.
 */
export async function toolVersions(): Promise<Record<string, string>> {
  // Per tool: a marker line, then its stdout (or, when that is empty, its stderr) or "not installed".
  const script =
    'for t in "$@"; do echo "@@migbench-version"; if ! command -v "${t%% *}" >/dev/null 2>&1; then echo "not installed"; continue; fi; o=$($t 2>/dev/null); if [ -n "$o" ]; then printf "%s\\n" "$o"; else $t 2>&1; fi; done';
  const r = await execa('sh', ['-c', script, 'sh', ...VERSION_PROBES.map(([, cmd, args]) => `${cmd} ${args}`)], { reject: false });
  const blocks = String(r.stdout ?? '').split('@@migbench-version\n').slice(1);
  return Object.fromEntries(VERSION_PROBES.map(([name], i) => [name, firstNonEmptyLine(blocks[i] ?? '') || 'not installed']));
}

function firstNonEmptyLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
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
  const startedAt = new Date().toISOString();
  const host = hostInfo();
  const [git, tools] = await Promise.all([gitRevision(), toolVersions()]);
  return runMeta(runId, scenario, link, version, cloneBackend, { git, tools, host, node: process.version, startedAt });
}

/**
 * Per-host CPU accounting: each lab host's processes run in a cgroup of their own, named
 * for the run (`migbench-<run>-a` / `-b`), whose CPU counter the repetition reads around
 * the migration. cgroup v2 (`cpu.stat` usage_usec, present in every v2 group, controller
 * or not) when a cgroup2 hierarchy is mounted, else v1 `cpuacct.usage`. What the kernel
 * does on a host's behalf in its own threads (loop workers, softirq on other CPUs) is not
 * in the group and cannot be attributed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResourceScope } from './scope.js';

/** A cgroup hierarchy that can count a group's CPU time. */
export interface CpuHierarchy {
  version: 1 | 2;
  /** Its mount point. */
  root: string;
}

/**
 * The hierarchy to count CPU in, from /proc/self/mounts' text (pure): a cgroup2 mount
 * (pure v2 at /sys/fs/cgroup, or the hybrid layout's /sys/fs/cgroup/unified), else the
 * v1 mount carrying the `cpuacct` controller; undefined when neither is mounted.
 */
export function findCpuHierarchy(mounts: string): CpuHierarchy | undefined {
  const lines = mounts.split('\n').map((l) => l.split(' '));
  const v2 = lines.find((f) => f[2] === 'cgroup2');
  if (v2?.[1]) return { version: 2, root: v2[1] };
  const v1 = lines.find((f) => f[2] === 'cgroup' && (f[3] ?? '').split(',').includes('cpuacct'));
  return v1?.[1] ? { version: 1, root: v1[1] } : undefined;
}

/** The group name of run `runId`'s host `side` (`a` / `b`). */
export function cgroupName(runId: string, side: string): string {
  return `migbench-${runId}-${side}`;
}

/** True if `path` names a group migbench creates (`…/migbench-<run>-<side>`), so cleanup never removes another (pure). */
export function isMigbenchCgroup(path: string): boolean {
  return /^migbench-[0-9a-z-]+-[a-z]$/i.test(basename(path)) && dirname(path) !== path;
}

/** CPU seconds in a group's counter file text (pure): v2 `cpu.stat` usage_usec, v1 `cpuacct.usage` (ns). */
export function parseCpuSeconds(version: 1 | 2, text: string): number {
  if (version === 1) {
    const ns = Number(text.trim());
    if (!Number.isFinite(ns)) throw new Error(`cpuacct.usage: unexpected ${JSON.stringify(text)}`);
    return ns / 1e9;
  }
  const m = /^usage_usec (\d+)$/m.exec(text);
  if (!m) throw new Error(`cpu.stat: no usage_usec in ${JSON.stringify(text.slice(0, 80))}`);
  return Number(m[1]) / 1e6;
}

/** Reads a file of the host a group lives on (this machine's by default). */
export type HostFileReader = (path: string) => Promise<string>;

const readLocal: HostFileReader = (path) => readFile(path, 'utf8');

/** One host's group: where its processes join, and its CPU counter. */
export class CpuGroup {
  constructor(
    readonly hierarchy: CpuHierarchy,
    readonly path: string,
    /** How the counter is read: this machine's file, or a real host's over SSH. */
    private readonly read: HostFileReader = readLocal,
  ) {}

  /** The file a process writes its PID to to join (its children, forked later, inherit). */
  get procsFile(): string {
    return join(this.path, 'cgroup.procs');
  }

  /** CPU seconds the group's processes have used since it was created. */
  async cpuSeconds(): Promise<number> {
    const file = this.hierarchy.version === 2 ? 'cpu.stat' : 'cpuacct.usage';
    return parseCpuSeconds(this.hierarchy.version, await this.read(join(this.path, file)));
  }
}

/**
 * Creates run `runId`'s group for host `side`, owned by `scope` (ledger kind `cgroup`);
 * undefined when no hierarchy counts CPU here (the cpu_s columns stay empty). mkdir
 * without `recursive`: a group that already exists is never adopted.
 */
export async function createCpuGroup(scope: ResourceScope, runId: string, side: string, mounts = readFileSync('/proc/self/mounts', 'utf8')): Promise<CpuGroup | undefined> {
  const h = findCpuHierarchy(mounts);
  if (!h) return undefined;
  const path = join(h.root, cgroupName(runId, side));
  await scope.acquire({ kind: 'cgroup', path }, () => mkdir(path), () => removeCpuGroup(path));
  return new CpuGroup(h, path);
}

/**
 * Removes a group migbench created: processes still in it (all started by its run) are
 * killed first — v2's `cgroup.kill`, else SIGKILL to each listed PID — then rmdir,
 * retried while the dying processes leave.
 */
export async function removeCpuGroup(path: string): Promise<void> {
  if (!isMigbenchCgroup(path)) throw new Error(`refusing to remove ${path}: not a migbench cgroup`);
  if (!existsSync(path)) return;
  for (let attempt = 0; ; attempt++) {
    const pids = readFileSync(join(path, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
    if (pids.length === 0) {
      try {
        await rmdir(path);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        if ((err as NodeJS.ErrnoException).code !== 'EBUSY' || attempt >= 100) throw err;
      }
    } else if (attempt >= 100) {
      throw new Error(`cgroup ${path} still holds pids ${pids.join(' ')}`);
    } else if (existsSync(join(path, 'cgroup.kill'))) writeFileSync(join(path, 'cgroup.kill'), '1');
    else for (const pid of pids) killQuietly(pid);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

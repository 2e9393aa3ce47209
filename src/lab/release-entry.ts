import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { localHost } from '../host/local-host.js';
import { removeCpuGroup } from './cpu-cgroup.js';
import { deleteNetns } from './hosts.js';
import type { LedgerEntry } from './ledger.js';
import { removeDmDeviceIfPresent } from './device-mapper.js';
import { detachLoop } from './loop-device.js';
import { disconnectNbdIfOurs } from './nbd-client.js';
import { isSameProcess, isZombie } from './proc.js';
import { waitFor } from './wait.js';

/** How long one command of a release may take (cleanup must end on a starved machine). */
const RELEASE_COMMAND_TIMEOUT_MS = 20_000;

/** True if `path` is a mount point right now. */
export function isMounted(path: string): boolean {
  const mounts = readFileSync('/proc/self/mounts', 'utf8');
  return mounts.split('\n').some((l) => l.split(' ')[1] === path);
}

/**
 * Releases one ledger entry left by a run that is no longer alive. Each kind is matched
 * by the identity the ledger recorded (namespace name, backing file, PID + start time,
 * path), so nothing migbench did not create is touched. `runId`: the run that left it.
 */
export async function releaseEntry(e: LedgerEntry, runId?: string): Promise<void> {
  switch (e.kind) {
    case 'netns':
      return deleteNetns(e.name);
    case 'loop':
      // A holder carrying the dead run's mark is killed if it still holds the device (loop-device.ts).
      return detachLoop(e, localHost, { runId });
    case 'process':
      if (!killIfSame(e.pid, e.startTime)) return;
      // A process in uninterruptible I/O leaves once that I/O ends (its device's server gone).
      await waitFor(`pid ${e.pid} to exit`, () => (isSameProcess(e.pid, e.startTime) && !isZombie(e.pid) ? undefined : true), {
        timeoutMs: 25_000,
        intervalMs: 50,
      });
      return;
    case 'mount':
      if (isMounted(e.path)) await localHost.run('umount', ['--lazy', e.path], { timeoutMs: RELEASE_COMMAND_TIMEOUT_MS });
      return;
    case 'nbd':
      return disconnectNbdIfOurs(e.device, e.sizeBytes);
    case 'dm':
      return removeDmDeviceIfPresent(e.name);
    case 'file':
      return rm(e.path, { force: true });
    case 'dir':
      return rm(e.path, { recursive: true, force: true });
    case 'cgroup':
      return removeCpuGroup(e.path);
    case 'qdisc':
      // Only ever on a real host (the lab's qdiscs go with its namespaces): `cleanup --hosts` releases it there.
      return;
  }
}

/** SIGKILLs `pid` if it is still the process recorded (same start time); false if that one is gone. */
export function killIfSame(pid: number, startTime: number): boolean {
  if (!isSameProcess(pid, startTime)) return false;
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
  return true;
}


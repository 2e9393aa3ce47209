import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * The kernel's start time of a process (field 22 of /proc/PID/stat, clock ticks since
 * boot), or undefined when it is gone. Together with the PID it names a process
 * uniquely, so cleanup never signals a recycled PID.
 */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

/** True if the process `pid` exists and started at `startTime`. */
export function isSameProcess(pid: number, startTime: number): boolean {
  return processStartTime(pid) === startTime;
}

/** True if `pid` is a zombie or gone: either way it holds nothing. */
export function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** The parent PID of `pid` (field 4 of /proc/PID/stat), or undefined when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * True when `pid` or one of its descendants (only those, with `descendantsOnly`) holds
 * `path` open: how to tell that a tool which forks its workers (fio) has really started on
 * a device, when it offers no readiness notification of its own.
 */
export function treeHasOpen(pid: number, path: string, { descendantsOnly = false } = {}): boolean {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const tree = new Set([pid]);
  // Descendants: a few passes cover fio's main process → job processes.
  for (let pass = 0; pass < 3; pass++) for (const p of pids) if (tree.has(parentOf(p) ?? -1)) tree.add(p);
  if (descendantsOnly) tree.delete(pid);
  for (const p of tree) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${p}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${p}/fd/${fd}`) === path) return true;
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  return false;
}

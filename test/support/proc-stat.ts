import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** State and parent of a process on this machine (/proc/PID/stat), or undefined when it is gone. */
export function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0]!, ppid: Number(f[1]) };
  } catch {
    return undefined;
  }
}

/** True if `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const s = procStat(pid);
  return s !== undefined && s.state !== 'Z';
}

/** PIDs with an fd open on `path` (this machine's /proc). */
export function holdersOf(path: string): number[] {
  const found: number[] = [];
  for (const d of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${d}/fd`);
    } catch {
      continue;
    }
    if (fds.some((fd) => { try { return readlinkSync(`/proc/${d}/fd/${fd}`) === path; } catch { return false; } })) found.push(Number(d));
  }
  return found;
}

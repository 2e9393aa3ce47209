import { readFileSync } from 'node:fs';

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

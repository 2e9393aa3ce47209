import { readdirSync, readFileSync } from 'node:fs';
import { processStartTime } from './proc.js';

/**
 * The environment variable that marks every process a run starts (and what those start
 * in turn) with the run's id. A process exists before the ledger can name its PID;
 * the mark names it from the start, so cleanup finds a process whose run was killed
 * between the spawn and the ledger line, and daemons that forked away from their PID.
 */
export const RUN_ID_ENV = 'MIGBENCH_RUN_ID';

/** Marks every process this process starts from now on (children inherit the environment) as run `runId`'s. */
export function markChildProcesses(runId: string): void {
  process.env[RUN_ID_ENV] = runId;
}

/** True if the NUL-separated environment block `environ` carries run `runId`'s mark (pure). */
export function hasRunMark(environ: string, runId: string): boolean {
  return environ.split('\0').includes(`${RUN_ID_ENV}=${runId}`);
}

/**
 * Processes carrying run `runId`'s mark, with their start times (so a kill can check it
 * is still the same process), this process excepted. /proc/PID/environ is the
 * environment a process started with, so the marking process itself never shows it.
 */
export function processesOfRun(runId: string): { pid: number; startTime: number }[] {
  const found: { pid: number; startTime: number }[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // gone, or a kernel thread
    }
    if (!hasRunMark(environ, runId)) continue;
    const startTime = processStartTime(pid);
    if (startTime !== undefined) found.push({ pid, startTime });
  }
  return found;
}

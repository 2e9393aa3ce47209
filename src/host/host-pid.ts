import type { HostProcess } from './host.js';

/**
 * The PID of `proc` on its own host, for commands run there (`kill`, `pgrep -P`, /proc):
 * a process on a real host is known locally by its ssh's PID (HostProcess.pid), and on
 * the host by the PID its start wrapper reported (ssh-process.ts `remotePid`). Undefined
 * when it never started there.
 */
export async function pidOnHost(proc: HostProcess): Promise<number | undefined> {
  const remote = (proc as HostProcess & { remotePid?: Promise<number | undefined> }).remotePid;
  return remote ? await remote : proc.pid;
}

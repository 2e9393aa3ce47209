/**
 * On-CPU and run-queue wait time of a process, from the kernel's scheduler statistics
 * (`/proc/PID/task/TID/schedstat`: ns on a CPU, ns runnable but waiting for one), summed
 * over its threads (libuv's pool included): what a stage of a copy costs in CPU, and how
 * long it waited for a core — which, on a shared 2-core machine, is what stretches it.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Nanoseconds on a CPU and waiting for one, summed over threads. */
export interface Sched {
  runNs: number;
  waitNs: number;
}

/** The threads' schedstat of `pid`, summed (threads that exited meanwhile are skipped). */
export function schedOf(pid: number): Sched {
  let runNs = 0;
  let waitNs = 0;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { runNs, waitNs };
  }
  for (const tid of tids) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ');
      runNs += Number(run);
      waitNs += Number(wait);
    } catch {
      // exited between the listing and the read
    }
  }
  return { runNs, waitNs };
}

/** On-CPU time of every kernel thread (children of kthreadd: loop workers, ksoftirqd, kworkers), machine-wide. */
export function kernelThreadsRunNs(): number {
  let ns = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // Field 4 (ppid) after the parenthesised comm.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== 2) continue;
      ns += Number(readFileSync(`/proc/${p}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // gone
    }
  }
  return ns;
}

/** Busy and total CPU time of the whole machine (/proc/stat `cpu` line), in clock ticks. */
export function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total };
}

/** `after − before`, in ms. */
export function schedDelta(before: Sched, after: Sched): { runMs: number; waitMs: number } {
  return { runMs: (after.runNs - before.runNs) / 1e6, waitMs: (after.waitNs - before.waitNs) / 1e6 };
}

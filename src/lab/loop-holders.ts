import type { Host } from '../host/host.js';
import { sessionMarkPrefix } from '../host/process-mark.js';
import { RUN_ID_ENV } from './run-marker.js';

/** A process that holds a device open. */
export interface DeviceHolder {
  pid: number;
  /** Field 22 of /proc/PID/stat: with the PID, the process's identity (never kill a recycled PID). */
  startTime: number;
  /** True if migbench started it (it carries this run's mark or a process mark of this controller). */
  ours: boolean;
  /** Its state letter (`D`: uninterruptible, in I/O; `S`: asleep). */
  state: string;
  comm: string;
}

/** Who holds a device: processes with an fd on it, and what the kernel itself stacks on it. */
export interface DeviceHolders {
  processes: DeviceHolder[];
  /** Device-mapper devices over it (`/sys/block/…/holders`) and mount points of it. */
  kernel: string[];
}

/**
 * Lists the holders of device `$1` on the host it runs on, one line each (pure text,
 * parsed by {@link parseDeviceHolders}): `pid<TAB>starttime<TAB>ours<TAB>state<TAB>comm`
 * for every process with an fd on it (`find -lname`: one process for all of /proc), where
 * `ours` is 1 when its environment has the line `$2` (the run's mark; empty: none) or a
 * variable `$3<n>=1` (a process mark of this controller); `kernel<TAB>what` for a
 * device-mapper holder or a mount. Field 22 and the state are read after the command
 * name's closing parenthesis (a name may hold spaces or parentheses).
 */
export const DEVICE_HOLDERS_SH = [
  'dev=$1; run=$2; prefix=$3',
  'find /proc/[0-9]*/fd -maxdepth 1 -lname "$dev" 2>/dev/null | while read -r f; do p=${f#/proc/}; echo "${p%%/*}"; done | sort -u | while read -r p; do',
  '  [ "$p" = $$ ] && continue',
  '  read -r l < /proc/$p/stat 2>/dev/null || continue',
  '  comm=${l#*(}; comm=${comm%)*}',
  '  set -- ${l##*) }',
  '  ours=0',
  '  if [ -n "$run" ] && grep -qzxF -- "$run" /proc/$p/environ 2>/dev/null; then ours=1; fi',
  '  if grep -qzE -- "^$prefix[0-9]+=1\\$" /proc/$p/environ 2>/dev/null; then ours=1; fi',
  '  printf "%s\\t%s\\t%s\\t%s\\t%s\\n" "$p" "${20}" "$ours" "$1" "$comm"',
  'done',
  'n=${dev#/dev/}',
  'for h in /sys/block/$n/holders/*; do [ -e "$h" ] && printf "kernel\\t%s\\n" "device-mapper $(cat "$h/dm/name" 2>/dev/null || basename "$h")"; done',
  'while read -r d m rest; do [ "$d" = "$dev" ] && printf "kernel\\tmounted on %s\\n" "$m"; done < /proc/self/mounts',
  'true',
].join('\n');

/** Parses {@link DEVICE_HOLDERS_SH}'s output (pure); malformed lines are skipped. */
export function parseDeviceHolders(text: string): DeviceHolders {
  const out: DeviceHolders = { processes: [], kernel: [] };
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'kernel' && f.length >= 2) {
      out.kernel.push(f.slice(1).join('\t'));
      continue;
    }
    if (f.length < 5 || !/^\d+$/.test(f[0]!) || !/^\d+$/.test(f[1]!) || Number(f[0]) === 0) continue;
    out.processes.push({ pid: Number(f[0]), startTime: Number(f[1]), ours: f[2] === '1', state: f[3]!, comm: f.slice(4).join('\t') });
  }
  return out;
}

/** One line naming the holders, for an error (pure). */
export function describeHolders(h: DeviceHolders, killed: readonly DeviceHolder[] = []): string {
  const procs = h.processes.map((p) => `${p.comm} (pid ${p.pid}, state ${p.state}, ${p.ours ? 'started by migbench' : 'not started by migbench: left alone'})`);
  const gone = killed.map((p) => `${p.comm} (pid ${p.pid}, started by migbench) was SIGKILLed`);
  const parts = [...procs, ...h.kernel, ...gone];
  return parts.length ? parts.join('; ') : 'no process has it open (an open count the kernel keeps)';
}

/**
 * Who holds `device` open on `host` (its own /proc and sysfs; this machine's for a lab
 * namespace). `runId`: whose run mark counts as migbench's (default: the run this process
 * marks its children with).
 */
export async function deviceHolders(host: Host, device: string, runId = process.env[RUN_ID_ENV]): Promise<DeviceHolders> {
  const run = runId ? `${RUN_ID_ENV}=${runId}` : '';
  return parseDeviceHolders(await host.run('sh', ['-c', DEVICE_HOLDERS_SH, 'sh', device, run, sessionMarkPrefix()], { timeoutMs: 20_000 }));
}

/**
 * SIGKILLs the holders migbench started (`ours`), each only if its start time still
 * matches; never another process. Returns those it signalled.
 */
export async function killOurHolders(host: Host, holders: DeviceHolders): Promise<DeviceHolder[]> {
  const ours = holders.processes.filter((p) => p.ours);
  if (!ours.length) return [];
  const killed: DeviceHolder[] = [];
  for (const p of ours) {
    const out = await host.run('sh', ['-c', KILL_IF_SAME_SH, 'sh', String(p.pid), String(p.startTime)], { timeoutMs: 20_000 });
    if (out.trim() === 'killed') killed.push(p);
  }
  return killed;
}

/** SIGKILLs PID `$1` if its start time (field 22 of its stat) is `$2`; prints `killed`. */
export const KILL_IF_SAME_SH = [
  'read -r l < /proc/$1/stat 2>/dev/null || exit 0',
  'p=$1; s=$2',
  'set -- ${l##*) }',
  '[ "${20}" = "$s" ] && kill -9 "$p" 2>/dev/null && echo killed',
  'true',
].join('\n');

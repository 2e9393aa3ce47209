import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { isZombie, processStartTime } from './proc.js';

/**
 * Every process a Host starts carries a mark of its own in its environment,
 * `MIGBENCH_PROC_<session>_<n>=1`, and everything it forks inherits it — whatever it does
 * to its process group or session. fio's job process calls setsid() (its own session and
 * group, so a group kill misses it) and outlives a main process that died: orphaned (its
 * parent then PID 1), it keeps the device open and the pipes the main process had. The
 * mark finds it, and stop() kills whatever still carries it once the main process is gone.
 * A separate variable per process (not one value) keeps the marks of every ancestor a
 * process started through a Host: the outer stop finds the inner ones too.
 */
export const PROCESS_MARK_PREFIX = 'MIGBENCH_PROC_';

/** This controller process's marks begin with this (random: never another migbench's). */
const SESSION = randomBytes(4).toString('hex');
let counter = 0;

/** A fresh mark: the environment variable (`NAME=1`) one started process and its descendants carry. */
export function newProcessMark(): string {
  return `${PROCESS_MARK_PREFIX}${SESSION}_${++counter}`;
}

/** The prefix every mark this controller issues shares (see {@link isOurs}). */
export function sessionMarkPrefix(): string {
  return `${PROCESS_MARK_PREFIX}${SESSION}_`;
}

/** True if the NUL-separated environment block `environ` carries `mark` (pure). */
export function hasProcessMark(environ: string, mark: string): boolean {
  return environ.split('\0').includes(`${mark}=1`);
}

/**
 * True if the environment block `environ` says migbench started the process (pure): it
 * carries the run's mark (`MIGBENCH_RUN_ID=<runId>`, when a run is given) or one of the
 * process marks whose common prefix is `sessionPrefix`.
 */
export function isOurs(environ: string, { runMark, sessionPrefix }: { runMark?: string | undefined; sessionPrefix: string }): boolean {
  return environ.split('\0').some((v) => (runMark !== undefined && v === runMark) || (v.startsWith(sessionPrefix) && v.endsWith('=1')));
}

/**
 * How long the kill of the marked survivors waits for them to be gone. Short: one in
 * uninterruptible I/O (on a device whose server is released later in the same release)
 * dies of the SIGKILL once that I/O ends, and the loop device's own release waits for
 * its holders (loop-device.ts detachLoop).
 */
const MARKED_EXIT_WAIT_MS = 2000;

/**
 * On this machine: SIGKILLs every process carrying `mark` (a started process's forked
 * survivors; the controller itself never carries its own marks) and waits up to
 * {@link MARKED_EXIT_WAIT_MS} until they are gone or zombies (PID 1 here may not reap
 * them; a zombie holds nothing). Returns the PIDs it killed and those still alive then.
 * Reads /proc asynchronously: a process whose memory cannot be read for a while does not
 * block the event loop.
 */
export async function killMarkedHere(mark: string): Promise<{ killed: number[]; alive: number[] }> {
  const killed: { pid: number; startTime: number }[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    if (!hasProcessMark(environ, mark)) continue;
    const startTime = processStartTime(pid);
    if (startTime === undefined) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push({ pid, startTime });
    } catch {
      // gone meanwhile
    }
  }
  const deadline = Date.now() + MARKED_EXIT_WAIT_MS;
  let alive = killed;
  for (;;) {
    alive = alive.filter((p) => processStartTime(p.pid) === p.startTime && !isZombie(p.pid));
    if (!alive.length || Date.now() > deadline) break;
    await delay(20);
  }
  return { killed: killed.map((p) => p.pid), alive: alive.map((p) => p.pid) };
}


/**
 * The same on a host reached over SSH, as one `sh` (`$1` the mark's `NAME=1`): GNU grep
 * reads every environment block as NUL-separated lines (`-z`) and names those with the
 * exact line; each is SIGKILLed and printed; then up to 2 s for them to be gone (exit 1 if not).
 */
export const KILL_MARKED_SH = [
  'pids=""',
  'for f in $(grep -lzxF -- "$1" /proc/[0-9]*/environ 2>/dev/null); do',
  '  p=${f#/proc/}; p=${p%/environ}',
  '  [ "$p" = $$ ] && continue',
  '  kill -9 "$p" 2>/dev/null && pids="$pids $p" && echo "$p"',
  'done',
  'for i in $(seq 20); do',
  '  left=""',
  '  for p in $pids; do read -r l < /proc/$p/stat 2>/dev/null || continue; s=${l##*) }; [ "${s%% *}" = Z ] || left="$left $p"; done',
  '  [ -z "$left" ] && exit 0',
  '  sleep 0.1',
  'done',
  'echo "still alive:$left" >&2; exit 1',
].join('\n');

import { existsSync, readFileSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { inNetns } from './exec.js';
import { processStartTime } from './proc.js';
import type { ResourceScope } from './scope.js';
import { waitFor } from './wait.js';

export interface DaemonOptions {
  netns?: string;
  /** 'pipe' to talk to the daemon over stdin/stdout; default ignore stdin, discard stdout. */
  stdin?: 'pipe' | 'ignore';
  stdout?: 'pipe' | 'ignore';
  /** Grace period between SIGTERM and SIGKILL on release. */
  stopGraceMs?: number;
}

/** A long-running child process owned by a scope. */
export interface Daemon {
  readonly pid: number;
  readonly name: string;
  readonly child: ResultPromise;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<{ exitCode?: number; signal?: string; stderr: string }>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** The last lines the daemon wrote to stderr. */
  stderrTail(): string;
  /** Sends `signal` and waits for exit; SIGKILL after the grace period. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `cmd` (inside `netns` if given), records its PID in the ledger at once, and
 * registers its stop with the scope. The process is always awaited: the host's PID 1
 * does not reap orphans.
 */
export function startDaemon(scope: ResourceScope, cmd: string, args: readonly string[], opts: DaemonOptions = {}): Daemon {
  const [file, argv] = inNetns(opts.netns, cmd, args);
  const child = execa(file, argv, {
    reject: false,
    buffer: false,
    stdin: opts.stdin ?? 'ignore',
    stdout: opts.stdout ?? 'ignore',
    stderr: 'pipe',
  });
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  const pid = child.pid;
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4000);
  });
  let done = false;
  const exited = child.then(
    (r) => {
      done = true;
      return { exitCode: r.exitCode, signal: r.signal, stderr: tail } as { exitCode?: number; signal?: string; stderr: string };
    },
    () => {
      done = true;
      return { stderr: tail };
    },
  );
  const grace = opts.stopGraceMs ?? 5000;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (done) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), grace);
    await exited;
    clearTimeout(timer);
  };
  scope.record({ kind: 'process', pid, startTime: processStartTime(pid) ?? 0, comm: cmd }, () => stop());
  return {
    pid,
    name: cmd,
    child,
    exited,
    hasExited: () => done,
    stderrTail: () => tail,
    stop,
  };
}

/**
 * Waits until `daemon` has written a non-empty `pidfile` (nbdkit and nbdfuse do so once
 * they serve); fails at once, with its stderr, if the daemon exits first.
 */
export async function waitForPidfile(daemon: Daemon, pidfile: string, what: string): Promise<void> {
  await waitFor(what, () => {
    if (daemon.hasExited()) throw new Error(`${daemon.name} exited: ${daemon.stderrTail().trim()}`);
    return existsSync(pidfile) && readFileSync(pidfile, 'utf8').trim() ? true : undefined;
  });
}

import type { Readable, Writable } from 'node:stream';
import type { ResourceScope } from '../lab/scope.js';

/** Options for running a command to completion. */
export interface RunOptions {
  /** Text written to the command's stdin (stdin is closed otherwise). */
  input?: string;
  /** Extra environment variables (added to migbench's own). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Aborting terminates the command (SIGTERM, then SIGKILL after the default grace). */
  signal?: AbortSignal;
}

/** Options for starting a long-lived process. */
export interface StartOptions {
  /** 'pipe' to talk to the process over stdin/stdout; default: stdin ignored, stdout discarded. */
  stdin?: 'pipe' | 'ignore';
  stdout?: 'pipe' | 'ignore';
  /** The signal `stop()` sends by default; SIGTERM unless given. */
  stopSignal?: NodeJS.Signals;
  /** Grace period between the stop signal and SIGKILL, ms; {@link DEFAULT_STOP_GRACE_MS} unless given. */
  stopGraceMs?: number;
  /** Extra environment variables (added to migbench's own). */
  env?: Record<string, string>;
}

/** Grace period before SIGKILL when none is configured (execa's own default, made explicit). */
export const DEFAULT_STOP_GRACE_MS = 5000;

/** How a process ended. */
export interface ExitStatus {
  exitCode?: number;
  signal?: string;
  /** The last few KB of what it wrote to stderr. */
  stderr: string;
}

/** A long-lived process a {@link Host} started, owned by a scope. */
export interface HostProcess {
  /** Its PID on this machine (for a process on a real host: the local ssh's). */
  readonly pid: number;
  /**
   * Its PID on its own host, for commands run there (`kill`, `pgrep -P`, /proc): `pid` on
   * this machine, the PID its SSH start wrapper reported on a real host; undefined when it
   * never started there.
   */
  readonly hostPid: Promise<number | undefined>;
  /** The command, for messages. */
  readonly name: string;
  /** The host it runs on. */
  readonly host: Host;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** The last lines the process wrote to stderr. */
  stderrTail(): string;
  /** Its stdin, when started with `stdin: 'pipe'`. */
  readonly stdin: Writable | undefined;
  /** Its stdout, when started with `stdout: 'pipe'` (see `onLines` / `onRecords`). */
  readonly stdout: Readable | undefined;
  /**
   * Sends `signal` (the configured stop signal by default) and waits for exit; SIGKILL
   * once the configured grace period has passed.
   */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A machine migbench drives: run commands, start processes, read and write files. The
 * embedded lab's hosts are network namespaces on this machine ({@link LabHost}); the
 * controller's own root namespace is {@link LocalHost}. Nothing here names a namespace,
 * so a host reached over SSH can implement it too.
 */
export interface Host {
  /** A short name, unique among the hosts of a run (used in messages and resource names). */
  readonly name: string;
  /** Runs a command to completion and returns its stdout; throws MissingToolError or ToolError. */
  run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<string>;
  /**
   * Starts a long-lived process owned by `scope`: its PID is in the ledger at once, its
   * stop is the scope's release, and it is always awaited (the machine's PID 1 may not
   * reap orphans).
   */
  start(scope: ResourceScope, cmd: string, args: readonly string[], opts?: StartOptions): HostProcess;
  /** Reads a file on the host. */
  readFile(path: string): Promise<Buffer>;
  /** Writes (creates or replaces) a file on the host. */
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /**
   * Where this host keeps the files of the controller's work path `path` (a repetition's
   * sockets, pidfiles, logs). Absent: the same path (the controller and its lab namespaces
   * share one filesystem); a real host maps it under its own data directory.
   */
  workPath?(path: string): string;
  /**
   * A short name for the UNIX socket (or socket directory) `path` on this host (a path this
   * host's {@link workPath} returned): a socket's path must stay within 107 bytes, which a
   * long data directory passes. Absent: `path` itself.
   */
  socketPath?(path: string): string;
  /**
   * This host's clock minus the controller's, ns, when they differ (a real host): subtract
   * it from a timestamp a process on the host took to put it on the controller's clock.
   * Absent: the same clock (this machine and its namespaces).
   */
  readonly clockOffsetNs?: number;
}

/** A timestamp (ns) a process on `host` took, on the controller's clock. */
export function controllerNs(host: Pick<Host, 'clockOffsetNs'>, hostNs: number): number {
  return hostNs - (host.clockOffsetNs ?? 0);
}

/** The name a UNIX socket (or socket directory) at `path` on `host` is bound and reached by (see {@link Host.socketPath}). */
export function socketOn(host: Host, path: string): string {
  return host.socketPath ? host.socketPath(path) : path;
}

/** `path` (a controller work path) as `host` names it (see {@link Host.workPath}). */
export function onHost(host: Host, path: string): string {
  return host.workPath ? host.workPath(path) : path;
}

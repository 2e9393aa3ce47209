import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { execa, type Options, type Result, type ResultPromise } from 'execa';
import { MissingToolError, MountBusyError, ProcessStartError, ToolError } from './errors.js';
import { DEFAULT_STOP_GRACE_MS, type ExitStatus, type Host, type HostProcess, type RunOptions, type StartOptions } from './host.js';
import { processStartTime } from './proc.js';
import { exitsWithin } from './race.js';
import { killMarkedHere, newProcessMark } from './process-mark.js';

/**
 * Who owns a started process: a ResourceScope (which writes the ledger entry at once and
 * stops the process on close). Structural, so the seam does not depend on the lab.
 */
export interface ProcessOwner {
  record(entry: { kind: 'process'; pid: number; startTime: number; comm: string }, release: () => Promise<void>): void;
}

/** How long `exited` waits, after the process exited, for the end of its stderr. */
const STDERR_DRAIN_MS = 1000;

/** A process started by an {@link ExecaHost}; `child` is the execa handle, for what the seam does not cover. */
export interface ExecaProcess extends HostProcess {
  readonly child: ResultPromise;
}

/**
 * A host whose commands run as local child processes under execa, possibly through a
 * wrapper (`nsenter` for a lab namespace, `ssh` for a remote machine): subclasses say
 * how `cmd args` becomes an argv.
 */
export abstract class ExecaHost implements Host {
  abstract readonly name: string;

  /** The argv that runs `cmd args` on this host. */
  abstract argv(cmd: string, args: readonly string[]): [string, string[]];

  /**
   * The program the failed `result` says was not found (`file`, the first word of the
   * argv, when spawning it failed with ENOENT), or undefined: never a file the command
   * itself could not open.
   */
  protected missingProgram(cmd: string, file: string, result: Result): string | undefined {
    return (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? file : undefined;
  }

  async run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
    const [file, argv] = this.argv(cmd, args);
    const options: Options = {
      reject: false,
      stripFinalNewline: true,
      ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
      ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    };
    const result = await execa(file, argv, options);
    if (result.failed) throw this.failure(cmd, args, file, result);
    return String(result.stdout ?? '');
  }

  /** The typed error for a failed command: callers branch on the class, never on text. */
  private failure(cmd: string, args: readonly string[], file: string, result: Result): Error {
    const stderr = String(result.stderr ?? '');
    const missing = this.missingProgram(cmd, file, result);
    if (missing !== undefined) return new MissingToolError(missing, { cause: result.cause ?? result });
    const shown = [cmd, ...args].join(' ');
    const options = { cause: result.cause ?? result, exitCode: result.exitCode };
    if (cmd === 'mount' && /already mounted or mount point busy/.test(stderr)) return new MountBusyError(shown, stderr, options);
    return new ToolError(shown, stderr || String(result.message), options);
  }

  /**
   * Starts `cmd` on this host. The stop signal and, after the grace period, SIGKILL are
   * execa's own (`cancelSignal` + `killSignal` + `forceKillAfterDelay`), so the grace
   * period is exactly the configured one. The process and all it forks carry a mark of
   * their own (process-mark.ts): once the process is gone, stop() SIGKILLs whatever still
   * carries it (fio's job, which runs in a session of its own and outlives a main process
   * killed or interrupted). `exited` settles when the process itself exits, not when the
   * last holder of its stderr does (that survivor would hold it up for good).
   */
  start(owner: ProcessOwner, cmd: string, args: readonly string[], opts: StartOptions = {}): ExecaProcess {
    const [file, argv] = this.argv(cmd, args);
    const stopSignal = opts.stopSignal ?? 'SIGTERM';
    const grace = opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    const mark = newProcessMark();
    const cancel = new AbortController();
    const child = execa(file, argv, {
      reject: false,
      buffer: false,
      stdin: opts.stdin ?? 'ignore',
      stdout: opts.stdout ?? 'ignore',
      stderr: 'pipe',
      killSignal: stopSignal,
      forceKillAfterDelay: grace,
      cancelSignal: cancel.signal,
      env: { ...(opts.env ?? {}), [mark]: '1' },
    });
    if (child.pid === undefined) throw new ProcessStartError(cmd);
    const pid = child.pid;
    let tail = '';
    child.stderr?.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
    });
    let done = false;
    // execa's result waits for stdout/stderr to end too: a forked survivor holding them keeps it pending.
    const result = child.then(
      (r) => ({ ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(r.signal !== undefined ? { signal: r.signal } : {}) }),
      () => ({}),
    );
    const exitEvent = new Promise<{ exitCode?: number; signal?: string }>((resolve) =>
      child.once('exit', (code: number | null, sig: NodeJS.Signals | null) => resolve({ ...(code !== null ? { exitCode: code } : {}), ...(sig !== null ? { signal: sig } : {}) })),
    );
    const drained = exitEvent.then(async (status) => {
      // The last of stderr, unless a survivor holds the pipe (then stop() kills it).
      await Promise.race([result, delay(STDERR_DRAIN_MS, undefined, { ref: false })]);
      return status;
    });
    const exited: Promise<ExitStatus> = Promise.race([result, drained]).then((status) => {
      done = true;
      return { ...status, stderr: tail };
    });
    let survivorsKilled: Promise<unknown> | undefined;
    const stop = async (signal: NodeJS.Signals = stopSignal): Promise<void> => {
      if (!done) {
        if (signal === stopSignal) cancel.abort(); // execa: stopSignal now, SIGKILL after `grace`
        else if (signal === 'SIGKILL') child.kill('SIGKILL');
        else {
          // A signal other than the configured one: execa escalates only from its
          // killSignal, so the same grace is applied here.
          child.kill(signal);
          if (!(await exitsWithin({ exited }, grace))) child.kill('SIGKILL');
        }
        await exited;
      }
      // What it forked and left behind (whether it exited on its own or was stopped).
      survivorsKilled ??= killMarkedHere(mark);
      await survivorsKilled;
      await Promise.race([result, delay(STDERR_DRAIN_MS, undefined, { ref: false })]);
    };
    owner.record({ kind: 'process', pid, startTime: processStartTime(pid) ?? 0, comm: cmd }, () => stop());
    return {
      pid,
      hostPid: Promise.resolve(pid),
      name: cmd,
      host: this,
      child,
      exited,
      hasExited: () => done,
      stderrTail: () => tail,
      stdin: child.stdin ?? undefined,
      stdout: child.stdout ?? undefined,
      stop,
    };
  }

  readFile(path: string): Promise<Buffer> {
    return readFile(path);
  }

  writeFile(path: string, data: string | Uint8Array): Promise<void> {
    return writeFile(path, data);
  }
}

import { execa, type ResultPromise } from 'execa';
import { ProcessStartError } from './errors.js';
import type { ProcessOwner } from './execa-host.js';
import { DEFAULT_STOP_GRACE_MS, type ExitStatus, type HostProcess, type StartOptions } from './host.js';
import { processStartTime } from './proc.js';
import { exitsWithin } from './race.js';
import { KILL_MARKED_SH, newProcessMark } from './process-mark.js';
import { REMOTE_PID_MARK, sshArgv, startWrapper } from './ssh-argv.js';
import type { SshHost } from './ssh-host.js';

/** How long stop() waits for the remote PID line before falling back to the local ssh. */
const PID_WAIT_MS = 5000;

/** A process started on an {@link SshHost}: `pid` is the local ssh's, `remotePid` the process's on the host. */
export interface SshProcess extends HostProcess {
  readonly child: ResultPromise;
  /** Settles with the process's PID on its host (undefined if it never started). */
  readonly remotePid: Promise<number | undefined>;
}

/**
 * Starts `cmd args` on `host` through `ssh` with the remote-PID wrapper (ssh-argv.ts
 * startWrapper): the first stderr line names the remote PID and is not part of the tail.
 * stop() signals that PID on the host (over the shared connection), waits the grace
 * period, then SIGKILLs it there, then whatever it forked that still carries its mark
 * (process-mark.ts), and finally the local ssh; it always awaits the exit.
 * The ledger entry names the local ssh (a local PID, as for every process); the remote
 * process carries the run's mark, which the host's cleanup finds (remote-cleanup.ts).
 */
export function startSshProcess(host: SshHost, owner: ProcessOwner, cmd: string, args: readonly string[], opts: StartOptions & { env: Record<string, string>; cgroupProcs?: string | undefined }): SshProcess {
  // The process's own mark (process-mark.ts): what it forks carries it too, whatever its session.
  const mark = newProcessMark();
  const [file, argv] = sshArgv(host.endpoint, startWrapper(cmd, args, { ...opts.env, [mark]: '1' }, opts.cgroupProcs), { stdin: opts.stdin === 'pipe' });
  const stopSignal = opts.stopSignal ?? 'SIGTERM';
  const grace = opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  const child = execa(file, argv, {
    reject: false,
    buffer: false,
    stdin: opts.stdin ?? 'ignore',
    stdout: opts.stdout ?? 'ignore',
    stderr: 'pipe',
  });
  if (child.pid === undefined) throw new ProcessStartError(cmd);
  const pid = child.pid;

  let tail = '';
  let head = '';
  let resolvePid: (p: number | undefined) => void = () => {};
  const remotePid = new Promise<number | undefined>((r) => (resolvePid = r));
  let pidSeen = false;
  child.stderr?.on('data', (d: Buffer) => {
    if (pidSeen) {
      tail = (tail + d.toString()).slice(-4000);
      return;
    }
    head += d.toString();
    const nl = head.indexOf('\n');
    if (nl < 0) return;
    pidSeen = true;
    const first = head.slice(0, nl);
    const m = first.startsWith(REMOTE_PID_MARK) ? Number(first.slice(REMOTE_PID_MARK.length)) : NaN;
    resolvePid(Number.isInteger(m) ? m : undefined);
    tail = (Number.isInteger(m) ? head.slice(nl + 1) : head).slice(-4000);
  });

  let done = false;
  const exited: Promise<ExitStatus> = child.then(
    (r) => ({ ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(r.signal !== undefined ? { signal: r.signal } : {}), stderr: tail || head }),
    () => ({ stderr: tail || head }),
  );
  void exited.then(() => {
    done = true;
    resolvePid(undefined);
  });

  /** Signals the remote process; false when its PID is unknown or ssh could not deliver it. */
  const signalRemote = async (signal: NodeJS.Signals): Promise<boolean> => {
    const rp = await Promise.race([remotePid, new Promise<undefined>((r) => setTimeout(() => r(undefined), PID_WAIT_MS).unref())]);
    if (rp === undefined) return false;
    return host.run('kill', ['-s', signal.replace(/^SIG/, ''), '--', String(rp)], { timeoutMs: 15_000 }).then(
      () => true,
      () => false,
    );
  };

  /**
   * SIGKILLs what the remote process forked and left behind (fio's job: its own session,
   * alive after its main process, holding the device and the session's stderr, so sshd
   * keeps the session and the local ssh open). Once per process; a host that cannot be
   * reached is reported by the commands that follow, not here.
   */
  let survivorsKilled: Promise<unknown> | undefined;
  const killSurvivors = (): Promise<unknown> =>
    (survivorsKilled ??= host.run('sh', ['-c', KILL_MARKED_SH, 'sh', `${mark}=1`], { timeoutMs: 20_000 }).catch(() => undefined));

  const stop = async (signal: NodeJS.Signals = stopSignal): Promise<void> => {
    if (!done) {
      if (!(await signalRemote(signal))) child.kill(signal);
      if (signal !== 'SIGKILL' && !(await exitsWithin({ exited }, grace))) await signalRemote('SIGKILL');
    }
    await killSurvivors();
    if (done) return;
    // The remote process and its survivors are gone (or unreachable): the local ssh follows within a moment.
    if (!(await exitsWithin({ exited }, 2000))) child.kill('SIGKILL');
    await exited;
  };
  owner.record({ kind: 'process', pid, startTime: processStartTime(pid) ?? 0, comm: `ssh ${host.name} ${cmd}` }, () => stop());
  return {
    pid,
    name: cmd,
    host,
    child,
    remotePid,
    hostPid: remotePid,
    exited,
    hasExited: () => done,
    stderrTail: () => tail || head,
    stdin: child.stdin ?? undefined,
    stdout: child.stdout ?? undefined,
    stop,
  };
}

import { execa, type Result } from 'execa';
import { MissingToolError, MountBusyError, ToolError } from './errors.js';
import type { Host, RunOptions, StartOptions } from './host.js';
import { RUN_ID_ENV } from '../lab/run-marker.js';
import { joinCgroup, remoteCommand, shellQuote, sshArgv, type SshEndpoint } from './ssh-argv.js';
import { startSshProcess, type SshProcess } from './ssh-process.js';
import type { ProcessOwner } from './execa-host.js';

/** ssh itself failed (exit 255): the host is unreachable, refused the key, or the connection died. */
export class SshConnectionError extends ToolError {
  override readonly name = 'SshConnectionError';
}

/**
 * A real machine reached over the system `ssh` (see ssh-argv.ts for the options): every
 * command is one `ssh host -- cmd args` over a shared connection, every process started
 * carries the run's mark (MIGBENCH_RUN_ID) in its environment on that host so a cleanup
 * there finds it, and stops signal the remote process, not only the local ssh.
 */
export class SshHost implements Host {
  constructor(
    readonly name: string,
    readonly endpoint: SshEndpoint,
  ) {}

  /** The `cgroup.procs` of the host's CPU-accounting group, once it has one: every command and process joins it. */
  cgroupProcs: string | undefined;

  /** The environment every remote command gets: the caller's extras and the run's mark. */
  private remoteEnv(extra: Record<string, string> | undefined): Record<string, string> {
    const mark = process.env[RUN_ID_ENV];
    return { ...(mark ? { [RUN_ID_ENV]: mark } : {}), ...(extra ?? {}) };
  }

  async run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
    const [file, argv] = sshArgv(this.endpoint, `${joinCgroup(this.cgroupProcs)}exec ${remoteCommand(cmd, args, this.remoteEnv(opts.env))}`, {
      stdin: opts.input !== undefined,
    });
    const result = await execa(file, argv, {
      reject: false,
      stripFinalNewline: true,
      ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
      ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
      ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    });
    if (result.failed) throw this.failure(cmd, args, result);
    return String(result.stdout ?? '');
  }

  /** Runs a shell script on the host (`sh -c script sh args…`). */
  sh(script: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<string> {
    return this.run('sh', ['-c', script, 'sh', ...args], opts);
  }

  /** The typed error of a failed remote command: callers branch on the class, never on text. */
  private failure(cmd: string, args: readonly string[], result: Result): Error {
    const stderr = String(result.stderr ?? '');
    const shown = `${[cmd, ...args].join(' ')} (on ${this.name})`;
    const options = { cause: result.cause ?? result, exitCode: result.exitCode };
    if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return new MissingToolError('ssh', options);
    // The remote shell's "command not found" (127), or env's (127 as well).
    if (result.exitCode === 127) return new MissingToolError(cmd, options);
    if (result.exitCode === 255) return new SshConnectionError(shown, stderr || String(result.message), options);
    if (cmd === 'mount' && /already mounted or mount point busy/.test(stderr)) return new MountBusyError(shown, stderr, options);
    return new ToolError(shown, stderr || String(result.message), options);
  }

  start(owner: ProcessOwner, cmd: string, args: readonly string[], opts: StartOptions = {}): SshProcess {
    return startSshProcess(this, owner, cmd, args, { ...opts, env: this.remoteEnv(opts.env), cgroupProcs: this.cgroupProcs });
  }

  /** Reads a file on the host (`cat`), as bytes. */
  async readFile(path: string): Promise<Buffer> {
    const [file, argv] = sshArgv(this.endpoint, `cat -- ${shellQuote(path)}`);
    const result = await execa(file, argv, { reject: false, encoding: 'buffer', stdin: 'ignore' });
    if (result.failed) {
      const err = this.failure('cat', [path], { ...result, stderr: Buffer.from(result.stderr ?? '').toString() } as unknown as Result);
      // A missing file reads like fs.readFile's: callers test `code === 'ENOENT'`.
      if (/No such file/.test(Buffer.from(result.stderr ?? '').toString())) Object.assign(err, { code: 'ENOENT' });
      throw err;
    }
    return Buffer.from(result.stdout as Uint8Array);
  }

  /** Writes (creates or replaces) a file on the host (`cat >`). */
  async writeFile(path: string, data: string | Uint8Array): Promise<void> {
    const [file, argv] = sshArgv(this.endpoint, `cat > ${shellQuote(path)}`, { stdin: true });
    const result = await execa(file, argv, { reject: false, input: typeof data === 'string' ? data : Buffer.from(data) });
    if (result.failed) throw this.failure('cat', ['>', path], result);
  }
}

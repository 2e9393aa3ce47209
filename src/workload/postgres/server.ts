import { join } from 'node:path';
import type { Host, HostProcess } from '../../host/host.js';
import { ToolError } from '../../host/errors.js';
import { appendFileOn, chownOn, mkdirOn } from '../../host/host-files.js';
import { localHost } from '../../host/local-host.js';
import { untilExit } from '../../host/race.js';
import type { ResourceScope } from '../../lab/scope.js';
import { sleep, waitFor } from '../../lab/wait.js';
import { SCHEMA_SQL } from './schema.js';

/** Debian's PostgreSQL 15 server binaries. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';
/** The unprivileged user PostgreSQL runs as (it refuses root). */
export const PG_USER = 'postgres';
/** The data directory, relative to the filesystem's root. */
export const PG_DATA = 'pgdata';

/** Runs `cmd` as the postgres user (setpriv execs it: the PID stays the command's). */
const asPostgres = (cmd: string, args: readonly string[]): [string, string[]] => [
  'setpriv',
  ['--reuid', PG_USER, '--regid', PG_USER, '--init-groups', '--', cmd, ...args],
];

/**
 * Server settings besides the defaults, which stay as they are where durability is
 * concerned (fsync, synchronous_commit, full_page_writes all on). WAL is kept small so a
 * cluster fits a small volume: 1 MiB segments (initdb), checkpoints every 16 MiB of WAL.
 */
const SETTINGS = [
  'max_wal_size = 16MB',
  'min_wal_size = 4MB',
  'shared_buffers = 16MB',
  'max_connections = 80',
  "unix_socket_directories = ''",
  "log_line_prefix = '%m [%p] '",
  'log_checkpoints = off',
  "log_timezone = 'UTC'",
  // Parallel-query segments as files in pgdata/pg_dynshmem (removed at the next start), not
  // in /dev/shm: *kill* SIGKILLs the server, which would leave its POSIX segments behind there.
  'dynamic_shared_memory_type = mmap',
];

/**
 * Creates a cluster in `<mountpoint>/pgdata` as the postgres user (initdb), then the
 * workload's tables in single-user mode, so no server has to listen during set-up; all
 * on `host`, the one the filesystem is mounted on. Every directory above the mountpoint
 * must be searchable by that user.
 */
export async function initCluster(mountpoint: string, host: Host = localHost): Promise<string> {
  const dataDir = join(mountpoint, PG_DATA);
  const { uid, gid } = await postgresIds(host);
  await mkdirOn(host, dataDir, { mode: 0o700 });
  await chownOn(host, dataDir, uid, gid);
  try {
    await host.run(...asPostgres('test', ['-w', dataDir]));
  } catch (err) {
    throw new PostgresSetupError(`user ${PG_USER} cannot write ${dataDir} on ${host.name}: make every directory above it searchable (chmod o+x)`, err);
  }
  await host.run(...asPostgres(join(PG_BIN, 'initdb'), ['-D', dataDir, '--wal-segsize=1', '-A', 'trust', '-U', PG_USER, '-E', 'UTF8', '--locale=C', '--no-instructions']));
  await appendFileOn(host, join(dataDir, 'postgresql.conf'), `\n# migbench\n${SETTINGS.join('\n')}\n`);
  // The clients come from the other lab host (or through its front door); the lab is closed.
  await appendFileOn(host, join(dataDir, 'pg_hba.conf'), '\nhost all all 0.0.0.0/0 trust\n');
  await host.run(...asPostgres(join(PG_BIN, 'postgres'), ['--single', '-D', dataDir, '-j', 'postgres']), { input: SCHEMA_SQL.map((q) => `${q};\n\n`).join('') });
  return dataDir;
}

/** The postgres user's uid and gid on `host` (its /etc/passwd). */
export async function postgresIds(host: Host = localHost): Promise<{ uid: number; gid: number }> {
  const line = (await host.readFile('/etc/passwd')).toString().split('\n').find((l) => l.startsWith(`${PG_USER}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new PostgresSetupError(`no user ${PG_USER} on ${host.name} (install postgresql-15)`);
  return { uid: Number(uid), gid: Number(gid) };
}

/** Where and how one server runs. */
export interface ServerConfig {
  dataDir: string;
  /** TCP address to listen on (inside the host's network namespace); '' for none. */
  address: string;
  port: number;
  /** Unix socket directory (owned by the postgres user), for the verification server. */
  socketDir?: string;
  /** The server's log (stderr), appended; read for the "ready to accept connections" time. */
  logFile: string;
}

/** The controller's handle on one postmaster. */
export class PgServer {
  private constructor(private readonly proc: HostProcess, readonly host: Host, readonly config: ServerConfig) {}

  /**
   * Starts the postmaster on `host` over `config.dataDir`, its stderr appended to the
   * log file. Resolves once it runs (not once it accepts: see {@link waitAccepting}).
   */
  static start(scope: ResourceScope, host: Host, config: ServerConfig): PgServer {
    const [cmd, args] = asPostgres(join(PG_BIN, 'postgres'), [
      '-D', config.dataDir,
      '-p', String(config.port),
      '-c', `listen_addresses=${config.address}`,
      ...(config.socketDir ? ['-c', `unix_socket_directories=${config.socketDir}`] : []),
    ]);
    // sh only redirects stderr, then execs: the process migbench tracks is the postmaster.
    const proc = host.start(scope, 'sh', ['-c', 'exec "$0" "$@" 2>>"$MIGBENCH_PG_LOG"', cmd, ...args], {
      env: { MIGBENCH_PG_LOG: config.logFile },
      // SIGINT is PostgreSQL's fast shutdown: roll back sessions, checkpoint, exit.
      stopSignal: 'SIGINT',
      stopGraceMs: 30_000,
    });
    return new PgServer(proc, host, config);
  }

  get pid(): number {
    return this.proc.pid;
  }

  /**
   * Polls `pg_isready` on the server's host every `intervalMs` until it accepts
   * connections (crash recovery done); resolves with that moment (monotonic ns).
   */
  async waitAccepting(signal: AbortSignal, intervalMs = 20, timeoutMs = 120_000): Promise<number> {
    try {
      return await this.pollAccepting(signal, intervalMs, timeoutMs);
    } catch (err) {
      if (signal.aborted) throw err;
      // The server's own words are in its log, not on its stderr.
      const log = await this.host.readFile(this.config.logFile).then((b) => b.toString(), () => '');
      // The reason (FATAL, PANIC) first, then how it ended.
      const lines = log.trim().split('\n');
      const tail = [...lines.filter((l) => /\b(FATAL|PANIC):/.test(l) && !/starting up/.test(l)).slice(-3), ...lines.slice(-2)].join(' | ');
      throw new PostgresSetupError(`${(err as Error).message}${tail ? `; its log: ${tail}` : ''}`, err);
    }
  }

  private async pollAccepting(signal: AbortSignal, intervalMs: number, timeoutMs: number): Promise<number> {
    const target = this.config.address ? ['-h', this.config.address] : ['-h', this.config.socketDir!];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await untilExit(
        this.proc,
        this.host.run(join(PG_BIN, 'pg_isready'), [...target, '-p', String(this.config.port), '-U', PG_USER, '-t', '2'], { signal }).then(() => true, (err: unknown) => {
          if (err instanceof ToolError) return false; // exit 1 (rejecting: starting up) or 2 (no answer yet)
          throw err;
        }),
        `postgres on ${this.host.name}`,
        signal,
      );
      if (ready) return Number(process.hrtime.bigint());
      if (Date.now() > deadline) throw new PostgresSetupError(`postgres on ${this.host.name} did not accept connections within ${timeoutMs / 1000} s: ${this.proc.stderrTail()}`);
      await sleep(intervalMs, signal);
    }
  }

  /**
   * The primitive *kill* as a crash does it: every process of the server dies at once,
   * nothing is flushed or shut down. The postmaster is stopped first (SIGSTOP: it cannot
   * fork another backend), then its children and it are SIGKILLed together. Killing the
   * postmaster alone would leave its backends running (they notice its death only at their
   * next wait) and committing. Resolves once none of them can do I/O (gone or zombie).
   */
  async kill(): Promise<void> {
    // The postmaster's PID where it runs (over SSH, not the local ssh's).
    const hostPid = await this.proc.hostPid;
    if (hostPid === undefined) throw new PostgresSetupError(`postgres on ${this.host.name}: no PID to kill (it never started: ${this.proc.stderrTail()})`);
    const pid = String(hostPid);
    await this.host.run('kill', ['-STOP', pid]);
    const children = (await this.host.run('pgrep', ['-P', pid]).catch((err: unknown) => (err instanceof ToolError && err.exitCode === 1 ? '' : Promise.reject(err))))
      .split(/\s+/)
      .filter(Boolean);
    await this.host.run('kill', ['-KILL', pid, ...children]);
    await this.proc.exited;
    await waitFor('postgres backends to die', async () => ((await Promise.all(children.map((c) => this.gone(c)))).every(Boolean) ? true : undefined), { timeoutMs: 10_000, intervalMs: 10 });
  }

  /** Whether process `pid` has exited (gone, or a zombie awaiting its reaper). */
  private async gone(pid: string): Promise<boolean> {
    try {
      const stat = (await this.host.readFile(`/proc/${pid}/stat`)).toString();
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    } catch {
      return true;
    }
  }

  /** Fast shutdown (sessions rolled back, a checkpoint written); resolves once it exited. */
  stop(): Promise<void> {
    return this.proc.stop();
  }
}

/** Wall-clock ms of the last "database system is ready to accept connections" line of a server log, if any. */
export function readyTimeOfLog(log: string): number | undefined {
  let t: number | undefined;
  // log_timezone is UTC (SETTINGS).
  for (const m of log.matchAll(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) UTC \[\d+\] LOG:\s+database system is ready to accept connections/gm)) {
    t = Date.parse(`${m[1]}T${m[2]}Z`);
  }
  return t;
}

/** Setting up a PostgreSQL cluster or server failed. */
export class PostgresSetupError extends Error {
  override readonly name = 'PostgresSetupError';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

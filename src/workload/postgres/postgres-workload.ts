import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { onHost, socketOn, type Host } from '../../host/host.js';
import { chownOn, fileHost, mkdirOn, removeOn } from '../../host/host-files.js';
import { ledgerHost } from '../../host/ledger-host.js';
import { forwardUnixSocket } from '../../host/ssh-forward.js';
import { SshHost } from '../../host/ssh-host.js';
import { ResourceScope } from '../../lab/scope.js';
import { clientGapMs, firstAckOf, lastAckOf, type AppAck } from '../../measure/app-metrics.js';
import type { Timeline } from '../../measure/timeline.js';
import { emptyVerification } from '../../measure/verifier.js';
import { RecordType, type AckRecord } from '../records.js';
import { WorkloadStateError, type Workload, type WorkloadEnv, type WorkloadFigures } from '../workload.js';
import { checkpointJournal, makeFilesystem, mountFilesystem, type MountedFs } from '../http/filesystem.js';
import { MountTrees } from '../http/mount-trees.js';
import { DbLoad } from './load.js';
import { initCluster, PG_DATA, PgServer, postgresIds, readyTimeOfLog } from './server.js';
import { shutdownFilesystem } from './fs-shutdown.js';
import { transactionsPerSecond } from './tps.js';
import { bootDestination, type FsckRun } from './dest-boot.js';
import { checkDatabase, unbootedCheck, type DbCheck } from './verify.js';

export const SOURCE_DB_EPOCH = 1;
export const DEST_DB_EPOCH = 2;
/** Server port on each host; a drain volume adds its number. */
export const PG_PORT = 5432;
/** Seconds a client waits for a transaction's answer before it counts a timeout. */
const CLIENT_TIMEOUT_S = 10;

const now = (): number => Number(process.hrtime.bigint());

/**
 * The PostgreSQL workload (`--workload postgres`), built like the HTTP workload on its
 * pieces (ext4 on the volume, the front-door idea, the same strategies): set-up makes
 * ext4 on the source volume and a cluster on it (initdb, the tables); the server runs on
 * A; the clients run in B's namespace and reach it through a TCP front door. *kill*
 * crashes the server (every process SIGKILLed at once). *boot* mounts the destination's
 * filesystem on B and starts PostgreSQL there: crash recovery replays the WAL, timed up
 * to the first accepted connection (`recovery_ms`); the front door then sends new
 * connections to B. Verification starts a server on the destination volume once more and
 * looks up every acknowledged commit and checks the data (verify.ts).
 */
export class PostgresWorkload implements Workload {
  readonly provisionStep = 'initdb';
  private readonly port: number;
  /** The repetition's shared mount tree on each host that mounts (one in the lab: the controller's). */
  private readonly mountTrees: MountTrees;
  private sourceFs: MountedFs | undefined;
  private source: PgServer | undefined;
  private load: DbLoad | undefined;
  private dest: PgServer | undefined;
  private destFs: MountedFs | undefined;
  private stopped = false;
  private recovery: { bootWallMs: number; ms: number } | undefined;
  /** Why the database never came up on B (dest-boot.ts), if it did not. */
  private bootError: string | undefined;
  /** e2fsck on B's volume, if the boot needed it. */
  private fsck: FsckRun | undefined;
  /** For the row's warnings: B's boots after a dest-crash (`--fault dest-crash`), the verification's e2fsck. */
  private readonly notes: string[] = [];
  private rebootCount = 0;

  constructor(private readonly env: WorkloadEnv) {
    this.port = PG_PORT + (env.volume ?? 0);
    this.mountTrees = new MountTrees(env.scope, env.workDir);
  }

  /** mkfs, mount and initdb on the host that owns the source volume (A's, or the controller in the lab). */
  async provision(sourceDevice: string): Promise<void> {
    const { scope, hosts } = this.env;
    const files = fileHost(hosts.a);
    await makeFilesystem(sourceDevice, files);
    this.sourceFs = await mountFilesystem(scope, sourceDevice, join(await this.mountTrees.of(hosts.a), 'a'), { host: files });
    await initCluster(this.sourceFs.mountpoint, files);
    await checkpointJournal(this.sourceFs.mountpoint, files);
  }

  /** A file of the repetition's work directory as `h` names it. */
  private hostPath(h: Host, name: string): string {
    return onHost(h, join(this.env.workDir, name));
  }

  async start(device: string): Promise<void> {
    const { scope, scenario: s, hosts, signal, workDir } = this.env;
    if (!this.sourceFs) throw new WorkloadStateError('postgres workload: start before provision');
    // The server writes through the filesystem mounted at set-up, on the raw volume.
    if (device !== this.sourceFs.device) throw new WorkloadStateError(`postgres workload: cannot run on ${device}, a device in front of its filesystem's ${this.sourceFs.device}`);
    this.source = PgServer.start(scope, hosts.a, { dataDir: join(this.sourceFs.mountpoint, PG_DATA), address: hosts.a.address, port: this.port, logFile: this.hostPath(hosts.a, 'postgres-a.log') });
    await this.source.waitAccepting(signal);
    this.load = await DbLoad.start(
      scope,
      hosts.b,
      {
        target: { host: hosts.a.address, port: this.port },
        epochs: { [hosts.a.address]: SOURCE_DB_EPOCH, [hosts.b.address]: DEST_DB_EPOCH },
        clients: s.dbClients,
        ...(s.tps !== undefined ? { tps: s.tps } : {}),
        timeoutS: CLIENT_TIMEOUT_S,
        workDir,
      },
      signal,
    );
    await this.load.waitAck(SOURCE_DB_EPOCH, 0, signal);
  }

  async endBaseline(): Promise<void> {
    // The clients run throughout.
  }

  async kill(): Promise<void> {
    if (!this.source || !this.sourceFs) throw new WorkloadStateError('postgres workload: kill before start');
    await this.source.kill();
    // A crashed process's writes are in A's page cache, and A's kernel writes them back, as
    // it would; done now, so that what is read from the device is a settled filesystem. A
    // copy made while A's kernel still held dirty ext4 metadata (in the block device's own
    // cache, which the export reads) would be a torn filesystem that no host ever leaves.
    await checkpointJournal(this.sourceFs.mountpoint, this.sourceFs.host);
  }

  /**
   * Boots the database on B the way an operator would (dest-boot.ts: mount, start; on
   * failure e2fsck -fy and once more). If it never comes up, that is the repetition's
   * result: the clients stay where they are, and this resolves with the moment the
   * operator gave up (no commit on B follows; the row blanks the cut-over figures).
   */
  async boot(device: string): Promise<number> {
    const { scope, hosts, signal } = this.env;
    const load = this.started();
    const since = now();
    const bootWallMs = Date.now();
    const b = await bootDestination(scope, { device, mountDir: await this.mountTrees.of(hosts.b), host: hosts.b, address: hosts.b.address, port: this.port, logFile: this.hostPath(hosts.b, 'postgres-b.log'), signal });
    this.fsck = b.fsck;
    if (!b.ok) {
      this.bootError = b.error;
      return now();
    }
    this.destFs = b.fs;
    this.dest = b.server;
    this.recovery = { bootWallMs, ms: (b.acceptingNs - since) / 1e6 };
    load.switchTo({ host: hosts.b.address, port: this.port });
    return load.waitAck(DEST_DB_EPOCH, since, signal);
  }

  /**
   * `--fault dest-crash`: B's host crashes. Its server dies like A's at *kill* (every
   * process SIGKILLed at once), and its ext4 is cut off the device at the same instant
   * (fs-shutdown.ts: nothing unsynced reaches the volume), then unmounted so the clone
   * stack under it can be torn down. The clients see their connections fail; the front
   * door holds new ones until B's server accepts again.
   */
  async crashDest(): Promise<void> {
    if (!this.dest || !this.destFs) throw new WorkloadStateError('postgres workload: dest-crash before B booted');
    await this.dest.kill();
    await shutdownFilesystem(this.destFs.mountpoint, this.destFs.host);
    await this.destFs.unmount();
    this.dest = undefined;
    this.destFs = undefined;
  }

  /**
   * After a dest-crash: B boots the database again on the reassembled clone, as at *boot*
   * (mount: journal replay; start: crash recovery; e2fsck and once more if needed). If it
   * never comes up, that is the result (the clients keep failing; verification says what
   * the volume holds). Resolves with B's first commit after the crash.
   */
  async rebootDest(device: string): Promise<number> {
    const { scope, hosts, signal } = this.env;
    const load = this.started();
    const since = now();
    const n = ++this.rebootCount;
    const b = await bootDestination(scope, { device, mountDir: await this.mountTrees.of(hosts.b), host: hosts.b, address: hosts.b.address, port: this.port, logFile: this.hostPath(hosts.b, `postgres-b-reboot${n}.log`), signal, name: `b-reboot${n}` });
    if (!b.ok) {
      this.notes.push(`dest-crash: the database did not come up on B again: ${b.error}${b.fsck ? ` (e2fsck: ${b.fsck.summary})` : ''}`);
      return now();
    }
    this.destFs = b.fs;
    this.dest = b.server;
    this.notes.push(`dest-crash: B's database up again after ${((b.acceptingNs - since) / 1e6).toFixed(0)} ms (mount + crash recovery${b.fsck ? `, e2fsck: ${b.fsck.summary}` : ''})`);
    load.switchTo({ host: hosts.b.address, port: this.port });
    return load.waitAck(DEST_DB_EPOCH, since, signal);
  }

  async waitDestAck(ns: number): Promise<number> {
    // Nothing on B to wait for when its database never came up.
    if (this.bootError !== undefined) return ns;
    return this.started().waitAck(DEST_DB_EPOCH, ns, this.env.signal);
  }

  /** Clients first (no transaction cut off by a server stopping), then both servers, then both filesystems. */
  async stop(): Promise<void> {
    await this.load?.stop();
    await this.dest?.stop();
    await this.source?.stop();
    await this.destFs?.unmount();
    await this.sourceFs?.unmount();
    this.stopped = true;
  }

  async verify(destDevice: string, timeline: Timeline): Promise<WorkloadFigures> {
    const load = this.started();
    if (!this.stopped) throw new WorkloadStateError('postgres workload: verify before stop');
    const { hosts } = this.env;
    const check = this.bootError === undefined ? await this.checkDest(destDevice, load) : unbootedCheck(load.acks.map((a) => a.id), this.bootError);
    const destAcks = load.acks.filter((a) => a.epoch === DEST_DB_EPOCH).map((a) => a.tNs);
    const acks = load.acks;
    // B's log stamps B's wall clock: compared with the controller's only where they are one
    // clock (the lab); a real host's wall clock is not measured (its offset is CLOCK_MONOTONIC's).
    const sameClock = hosts.b.clockOffsetNs === undefined;
    const readyWallMs = this.recovery && sameClock ? readyTimeOfLog(await hosts.b.readFile(this.hostPath(hosts.b, 'postgres-b.log')).then((l) => l.toString(), () => '')) : undefined;
    const start = timeline.get('start')!;
    const end = timeline.get('end')!;
    const tps = transactionsPerSecond(
      acks.map((a) => a.tNs),
      { startNs: start, migrationEndNs: timeline.get('source_released') ?? end, endNs: end },
    );
    return {
      verification: emptyVerification(),
      staleReads: 0,
      corruptReads: undefined,
      checkedReads: [],
      ackedWrites: acks.length,
      lastAckSourceNs: lastAckOf(acks, SOURCE_DB_EPOCH),
      metricReads: { source: [], dest: [] },
      reads: [],
      acks: acks.map(asAckRecord),
      app: {
        clientGapMs: clientGapMs(
          acks.map((a) => a.tNs),
          firstAckOf(acks, SOURCE_DB_EPOCH) ?? start,
          lastAckOf(acks, DEST_DB_EPOCH) ?? end,
        ),
        errors: load.errors,
        timeouts: load.timeouts,
        lostRequests: check.lostCommits,
        lostSample: check.lostSample,
        corruptSlots: 0,
        db: {
          lostCommits: check.lostCommits,
          indeterminate: load.indeterminate.size,
          recoveryMs: this.recovery?.ms,
          recoveryLogMs: readyWallMs !== undefined && this.recovery ? readyWallMs - this.recovery.bootWallMs : undefined,
          integrityOk: check.integrityOk,
          integrityDetail: [integrityDetail(check, this.bootError !== undefined), this.fsck ? `e2fsck: ${this.fsck.summary}` : '', ...this.notes].filter(Boolean).join('; '),
          bootError: this.bootError,
          fsck: this.fsck ? { exitCode: this.fsck.exitCode, fixes: this.fsck.fixes } : undefined,
          ...tps,
        },
      },
      // B's commits are its completions: stall_ms under a fault is the longest time B committed
      // nothing. A database that never came up on B has no stall to time (the row blanks it).
      ...(this.bootError === undefined ? { destCompletionsNs: destAcks } : {}),
    };
  }

  /**
   * Starts a server on the destination volume once more (on the host that owns it: the
   * controller in the lab, B over SSH; unix socket only) and checks it against the
   * clients' journal from the controller (a real host's socket is forwarded over SSH). The volume is brought up as B's was (mount,
   * start; e2fsck -fy and once more): after a fault (a source lost mid-hydration) it may
   * not come up, or not answer the lookup; then none of the acknowledged commits can be
   * found, which is the result (every one counted lost, integrity not ok), not a failure.
   */
  private async checkDest(destDevice: string, load: DbLoad): Promise<DbCheck> {
    const { workDir, signal, hosts } = this.env;
    const acked = load.acks.map((a) => a.id);
    const host = fileHost(hosts.b);
    // Its own scope: the server and the mount are gone before the repetition's scope closes.
    const verifyScope = new ResourceScope(this.env.scope.ledger);
    try {
      const socketDir = this.hostPath(host, 'pgsock');
      await verifyScope.acquire({ kind: 'dir', path: socketDir, ...ledgerHost(host) }, () => mkdirOn(host, socketDir), () => removeOn(host, socketDir));
      const ids = await postgresIds(host);
      await chownOn(host, socketDir, ids.uid, ids.gid);
      // Bound and reached by its short name: `<dataDir>/work/…/pgsock/.s.PGSQL.PORT` may pass sun_path's 107 bytes.
      const sockets = socketOn(host, socketDir);
      const up = await bootDestination(verifyScope, { device: destDevice, mountDir: await this.mountTrees.of(host), host, address: '', port: this.port, socketDir: sockets, logFile: this.hostPath(host, 'postgres-verify.log'), signal, name: 'verify' });
      if (!up.ok) return unbootedCheck(acked, `the database does not start on the destination volume: ${up.error}`);
      try {
        const local = host instanceof SshHost ? await forwardedSocketDir(verifyScope, host, sockets, this.port, workDir, signal) : sockets;
        const check = await checkDatabase(local, this.port, acked, load.indeterminate);
        await up.server.stop();
        if (up.fsck) this.notes.push(`verification: the destination volume needed e2fsck to start (${up.fsck.summary})`);
        return check;
      } catch (err) {
        if (signal.aborted) throw err;
        return unbootedCheck(acked, `the database on the destination volume does not answer the lookup: ${(err as Error).message}`);
      }
    } finally {
      await verifyScope.close();
    }
  }

  private started(): DbLoad {
    if (!this.load) throw new WorkloadStateError('postgres workload: not started');
    return this.load;
  }
}

/**
 * A directory on the controller where `port`'s PostgreSQL socket in `socketDir` on `host`
 * answers: the socket forwarded over SSH (ssh-forward.ts), linked under the name libpq
 * clients look for (`.s.PGSQL.PORT`). Removed with `scope`.
 */
async function forwardedSocketDir(scope: ResourceScope, host: SshHost, socketDir: string, port: number, workDir: string, signal: AbortSignal): Promise<string> {
  const dir = join(workDir, 'pgsock-forward');
  await scope.acquire({ kind: 'dir', path: dir }, () => mkdir(dir), () => rm(dir, { recursive: true, force: true }));
  const name = `.s.PGSQL.${port}`;
  const forwarded = await forwardUnixSocket(scope, host, join(socketDir, name), dir, signal);
  await symlink(forwarded, join(dir, name));
  return dir;
}

/** What failed of the integrity checks, in words ('' when all pass). */
function integrityDetail(c: DbCheck, bootFailed: boolean): string {
  return [
    c.notBooted !== undefined ? (bootFailed ? 'database did not start on B' : c.notBooted) : '',
    c.amcheckError !== undefined ? `amcheck: ${c.amcheckError}` : '',
    c.partial ? `${c.partial} partial transactions` : '',
    c.counterMismatches ? `${c.counterMismatches} hot counters off` : '',
    c.phantoms ? `${c.phantoms} unacknowledged transactions present` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** A commit as a timeline.csv write ack (the transaction id stands in the seq field). */
function asAckRecord(a: AppAck): AckRecord {
  return { type: RecordType.Ack, index: 0, epoch: a.epoch, seq: a.id, stampNs: a.tNs, ackNs: a.tNs };
}

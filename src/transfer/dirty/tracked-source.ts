import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { onHost, socketOn } from '../../host/host.js';
import { ledgerHost } from '../../host/ledger-host.js';
import { localHost } from '../../host/local-host.js';
import { forwardUnixSocket } from '../../host/ssh-forward.js';
import { SshHost } from '../../host/ssh-host.js';
import type { Host } from '../../lab/hosts.js';
import { sshControlDir } from '../../remote/remote-hosts.js';
import { startNbdExport, type NbdExport } from '../../lab/nbd-export.js';
import { exportPort } from '../../lab/ports.js';
import type { ResourceScope } from '../../lab/scope.js';
import type { QmpClient } from '../qemu/qmp-client.js';
import { attachNbdAsLoop, startQsd } from '../qemu/qsd.js';
import type { DirtyTracker } from './dirty-tracker.js';
import { parseDirtyMap, type Extent } from './extents.js';
import { listFlaggedExtents } from './nbd-block-status.js';

export interface TrackedSourceOptions {
  /** A's raw source device (already filled). */
  sourceDevice: string;
  /** Dirty-tracking granularity, bytes: the workload's block size (coarser tracking copies more). */
  granularityBytes: number;
  /** Scratch directory (sockets, the FUSE file). */
  workDir: string;
  /** Host A: the TCP export lives in its namespace. */
  host: Host;
  /** Added per-request latency on the TCP export (the link's latency), ms. */
  latencyMs: number;
  signal: AbortSignal;
  /** Drain volume (`--volumes`): picks the TCP export's port, so that volumes' exports do not clash. */
  volume?: number;
}

interface NamedNode {
  'node-name': string;
  'dirty-bitmaps'?: { name: string; count: number; recording: boolean }[];
}

/** The qemu-storage-daemon node over A's raw device, which every write goes through. */
export const SOURCE_NODE = 'src';
const EXPORT = 'vol';

/**
 * A's volume behind qemu-storage-daemon, so that its writes can be tracked, mirrored or
 * backed up: `host_device` node on the raw device ← NBD export (UNIX socket) ← nbdfuse ←
 * loop device, which the source workload runs on. The same export is served over TCP in
 * A's namespace by nbdkit (read-only, with the link's latency) for B to pull from.
 *
 * Dirty tracking uses QEMU dirty bitmaps: `rotate` freezes the current bitmap and starts a
 * new one in one transaction, so no write falls between them, then lists the frozen
 * bitmap's extents through an NBD export of it (NBD block status of the meta context
 * `qemu:dirty-bitmap:NAME`, queried in process: spawning `nbdinfo --map` cost 40–130 ms
 * per rotation here, on the cutover path).
 */
export class TrackedSource implements DirtyTracker {
  readonly tracking = 'qemu';
  private generation = 0;

  private constructor(
    /** The device the source workload runs on. */
    readonly device: string,
    readonly qmp: QmpClient,
    /** TCP export of the volume in A's namespace, for B. */
    readonly tcp: NbdExport,
    /** A's raw device under qemu-storage-daemon, which writes it with O_DIRECT. */
    readonly dataDevice: string,
    /** A's NBD socket as the controller reaches it (forwarded over SSH from a real host). */
    private readonly nbdSock: string,
    private readonly granularityBytes: number,
  ) {}

  static async create(scope: ResourceScope, o: TrackedSourceOptions): Promise<TrackedSource> {
    const work = join(o.workDir, 'tracked');
    // Everything lives on A: a real host keeps it under its data directory.
    const dir = onHost(o.host, work);
    const remote = o.host instanceof SshHost;
    if (remote) {
      await scope.acquire({ kind: 'dir', path: dir, ...ledgerHost(o.host) }, () => o.host.run('mkdir', ['-p', dir]), async () => {
        await o.host.run('rm', ['-rf', dir]);
      });
    } else {
      await scope.acquire({ kind: 'dir', path: dir }, () => mkdir(dir, { recursive: true }), () => rm(dir, { recursive: true, force: true }));
    }
    // In A's namespace, so that block jobs (mirror) can reach B; nbdfuse and the TCP export
    // reach it through UNIX sockets, which are paths.
    const { qmp } = await startQsd(scope, dir, { on: o.host, signal: o.signal });
    await qmp.execute('blockdev-add', { driver: 'host_device', 'node-name': SOURCE_NODE, filename: o.sourceDevice, cache: { direct: true }, aio: 'native' });
    const nbdSock = socketOn(o.host, join(dir, 'nbd.sock'));
    await qmp.execute('nbd-server-start', { addr: { type: 'unix', data: { path: nbdSock } } });
    await qmp.execute('block-export-add', { type: 'nbd', id: EXPORT, 'node-name': SOURCE_NODE, name: EXPORT, writable: true });
    // In the lab nbdfuse and the loop run on the root host (the socket is a path there); on a real host, on A.
    const device = await attachNbdAsLoop(scope, `nbd+unix:///${EXPORT}?socket=${nbdSock}`, join(dir, 'volume.raw'), remote ? o.host : undefined);
    const tcp = await startNbdExport(scope, o.host, {
      plugin: ['nbd', `socket=${nbdSock}`, `export=${EXPORT}`],
      latencyMs: o.latencyMs,
      port: exportPort('tracked', o.volume),
      readonly: true,
      // A controller work path: the export maps it to its host's.
      workDir: work,
      name: 'tracked',
    });
    // The bitmap listing runs in this process: a real host's socket is forwarded here over SSH.
    const listSock = o.host instanceof SshHost ? await forwardUnixSocket(scope, o.host, nbdSock, sshControlDir(), o.signal) : nbdSock;
    return new TrackedSource(device, qmp, tcp, o.sourceDevice, listSock, o.granularityBytes);
  }

  private bitmap(gen: number): string {
    return `dirty${gen}`;
  }

  /** Starts recording writes (into a fresh bitmap). */
  async startTracking(): Promise<void> {
    this.generation = 1;
    await this.qmp.execute('block-dirty-bitmap-add', { node: SOURCE_NODE, name: this.bitmap(1), granularity: this.granularityBytes });
  }

  /** Bytes the current bitmap marks dirty (written since the last rotation). */
  async dirtyBytes(): Promise<number> {
    const nodes = await this.qmp.execute<NamedNode[]>('query-named-block-nodes', { flat: true });
    const name = this.bitmap(this.generation);
    const bm = nodes.find((n) => n['node-name'] === SOURCE_NODE)?.['dirty-bitmaps']?.find((b) => b.name === name);
    if (!bm) throw new Error(`dirty bitmap ${name} not found on node ${SOURCE_NODE}`);
    return bm.count;
  }

  /**
   * Freezes the current bitmap and starts a new one atomically; returns the frozen
   * bitmap's dirty extents (what was written since the previous rotation). QEMU marks a
   * block dirty when the write completes, so a write in flight at the rotation lands in
   * the new bitmap.
   */
  async rotate(): Promise<Extent[]> {
    const old = this.bitmap(this.generation);
    const next = this.bitmap(this.generation + 1);
    await this.qmp.execute('transaction', {
      actions: [
        { type: 'block-dirty-bitmap-add', data: { node: SOURCE_NODE, name: next, granularity: this.granularityBytes } },
        { type: 'block-dirty-bitmap-disable', data: { node: SOURCE_NODE, name: old } },
      ],
    });
    this.generation++;
    const id = `map-${old}`;
    await this.qmp.execute('block-export-add', { type: 'nbd', id, 'node-name': SOURCE_NODE, name: id, writable: false, bitmaps: [old] });
    try {
      return await listFlaggedExtents(this.nbdSock, id, `qemu:dirty-bitmap:${old}`);
    } finally {
      await this.qmp.execute('block-export-del', { id }).catch(() => undefined);
    }
  }

  /** The extents of bitmap generation `gen` as `nbdinfo --map` lists them (a cross-check for tests). */
  async nbdinfoMap(gen: number): Promise<Extent[]> {
    const name = this.bitmap(gen);
    const id = `check-${name}`;
    await this.qmp.execute('block-export-add', { type: 'nbd', id, 'node-name': SOURCE_NODE, name: id, writable: false, bitmaps: [name] });
    try {
      return parseDirtyMap(await localHost.run('nbdinfo', [`--map=qemu:dirty-bitmap:${name}`, `nbd+unix:///${id}?socket=${this.nbdSock}`]));
    } finally {
      await this.qmp.execute('block-export-del', { id }).catch(() => undefined);
    }
  }
}

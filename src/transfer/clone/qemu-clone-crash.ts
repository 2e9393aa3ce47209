/**
 * `--fault dest-crash` on the qemu clone (issue 12): B's clone stack dies without a clean
 * shutdown, and is reassembled from what persisted on B — the qcow2 metadata file and the
 * data file (B's raw device) — as a reboot would.
 *
 * Why nothing B acknowledged is lost: the workload's writes are O_DSYNC, which the loop
 * device turns into write + flush, nbdfuse into NBD_CMD_FLUSH, and qemu-storage-daemon into
 * a flush of the qcow2 node (its dirty L2/refcount tables written, then fdatasync of the
 * metadata file; the data file is opened O_DIRECT). The metadata node keeps qemu's default
 * cache mode, which honours flushes (`cache.no-flush` off). Copy-on-read fills whose L2
 * update was not flushed yet are simply fetched from the source again.
 */
import { readFile } from 'node:fs/promises';
import type { Host, HostProcess } from '../../host/host.js';
import { localHost } from '../../host/local-host.js';
import { ResourceScope } from '../../lab/scope.js';
import type { QmpClient } from '../qemu/qmp-client.js';
import { attachNbdAsLoop, startQsd } from '../qemu/qsd.js';
import { addBaseNodes, addOverlayAndExport } from './qemu-clone-chain.js';
import type { CloneOptions } from './backend.js';

/** What a reassembled stack consists of. */
export interface QemuCloneStack {
  scope: ResourceScope;
  qmp: QmpClient;
  daemon: HostProcess;
  /** The new loop device B's workload boots on (its number may differ from before). */
  device: string;
}

/** The node names, export and bitmap of the clone stack (as qemu-clone.ts builds it). */
/**
 * Kills the stack as a crash would: SIGKILL of qemu-storage-daemon, of nbdfuse (its pid
 * file) and of `extra` (the hydration reader), then the stack's scope takes down what is
 * left (the loop device detached, the dead FUSE mount unmounted), and B's page cache of the
 * clone's files is dropped so the reboot reads only what reached the disk.
 */
export async function crashStack(scope: ResourceScope, qsdStop: () => Promise<void>, extra: (() => Promise<void>)[], fuseFile: string, meta: string, destDevice: string, on: Host = localHost): Promise<void> {
  // nbdfuse, its pidfile, the device and the metadata file are on `on` (B on a real host).
  const pidText = await (on === localHost ? readFile(`${fuseFile}.pid`, 'utf8') : on.readFile(`${fuseFile}.pid`).then((b) => b.toString('utf8'))).catch(() => '');
  const nbdfusePid = Number(pidText.trim());
  await Promise.all([qsdStop(), ...extra.map((k) => k())]);
  if (nbdfusePid > 0) {
    if (on === localHost) {
      try {
        process.kill(nbdfusePid, 'SIGKILL');
      } catch {
        // Already gone (it exits when its NBD server dies).
      }
    } else {
      await on.run('sh', ['-c', 'kill -9 "$1" 2>/dev/null || true', 'sh', String(nbdfusePid)]);
    }
  }
  await scope.close();
  // Only the files this clone owns: B's raw device and the qcow2 metadata file.
  await on.run('blockdev', ['--flushbufs', destDevice]);
  await on.run('dd', [`if=${meta}`, 'iflag=nocache', 'count=0', 'status=none']);
}

/**
 * Starts a new qemu-storage-daemon on B over the existing metadata and data file: the
 * same chain as qemu-clone.ts's `prepare` minus the image creation (the overlay's
 * allocation is what survived), exported and attached again.
 */
export async function reopenStack(parent: ResourceScope, o: CloneOptions, paths: { dir: string; meta: string; nbdSock: string; fuseFile: string }): Promise<QemuCloneStack> {
  const scope = new ResourceScope(parent.ledger);
  parent.defer('qemu clone stack (after dest-crash)', () => scope.close());
  const { qmp, daemon } = await startQsd(scope, paths.dir, { on: o.host, signal: o.signal });
  await addBaseNodes(qmp, o, paths.meta);
  const uri = await addOverlayAndExport(qmp, o, paths.nbdSock);
  const device = await attachNbdAsLoop(scope, uri, paths.fuseFile, o.host.workPath ? o.host : undefined);
  return { scope, qmp, daemon, device };
}

/**
 * Bytes of the overlay that are on B (allocated in the qcow2 itself, not read through the
 * backing) according to the metadata file, read while no daemon has it open.
 */
export async function allocatedBytes(meta: string, on: Host = localHost): Promise<number> {
  const map = JSON.parse(await on.run('qemu-img', ['map', '--output=json', meta])) as { length: number; depth: number; data: boolean }[];
  return map.filter((e) => e.depth === 0 && e.data).reduce((a, e) => a + e.length, 0);
}

import { join } from 'node:path';
import { MountBusyError } from '../../host/errors.js';
import type { Host } from '../../host/host.js';
import { isMountedOn, mkdirOn, removeOn, syncDeviceOn } from '../../host/host-files.js';
import { ledgerHost } from '../../host/ledger-host.js';
import { localHost } from '../../host/local-host.js';
import type { ResourceScope } from '../../lab/scope.js';
import { waitFor } from '../../lab/wait.js';
import { SLOT_BYTES } from './slot-record.js';

/*
 * Everything here runs on the host that owns the volume (`host`; see host-files.ts
 * fileHost). In the embedded lab that is the controller, in its root namespaces
 * (localHost): the lab's volumes are its loop devices, and its hosts share its mounts
 * (LabHost), so a filesystem mounted here is the one the service sees on A or B. On a
 * real host (over SSH) it is that host, with paths of its own (Host.workPath), and every
 * directory and mount is in its ledger.
 */

/** The service's data file, relative to the filesystem's root. */
export const DATA_FILE = 'requests.dat';

/**
 * mkfs.ext4 on `device`, with the inode tables and the journal initialised now: the
 * kernel's lazy init thread would otherwise write to the volume in the background,
 * during the migration.
 */
export async function makeFilesystem(device: string, host: Host = localHost): Promise<void> {
  await host.run('mkfs.ext4', ['-q', '-F', '-b', '4096', '-E', 'lazy_itable_init=0,lazy_journal_init=0,nodiscard', device]);
}

/**
 * Makes `dir` a mount point of its own with shared propagation, for the filesystems of
 * one repetition to be mounted under. migbench enters namespaces with `nsenter --net`
 * (src/host/lab-host.ts), which keeps the controller's mounts; but on a host whose root
 * mount is private, any other tool's `ip netns exec` takes a private copy of all mounts,
 * which would keep an unmounted filesystem alive (and its device busy) until that process
 * exits. That copy is a slave of the original; under a shared mount, an unmount here
 * propagates into it.
 */
export async function sharedMountTree(scope: ResourceScope, dir: string, host: Host = localHost): Promise<string> {
  await scope.acquire({ kind: 'dir', path: dir, ...ledgerHost(host) }, () => mkdirOn(host, dir, { recursive: true }), () => removeOn(host, dir));
  let mounted = false;
  await scope.acquire(
    { kind: 'mount', path: dir, ...ledgerHost(host) },
    async () => {
      await host.run('mount', ['--bind', dir, dir]);
      mounted = true;
      await host.run('mount', ['--make-shared', dir]);
    },
    async () => {
      if (mounted) await unmount(host, dir);
    },
  );
  return dir;
}

/**
 * Mounts `device` at `mountpoint` (created here) through the scope: released by a
 * plain unmount, lazily if something still holds it. A request's write + fdatasync
 * touches only data blocks of the preallocated file; the mtime updates it causes are
 * committed to the journal every few seconds, so a filesystem left mounted by a killed
 * service has a journal to replay, and is replayed here.
 */
export async function mountFilesystem(scope: ResourceScope, device: string, mountpoint: string, { readonly = false, host = localHost }: { readonly?: boolean; host?: Host } = {}): Promise<MountedFs> {
  await scope.acquire({ kind: 'dir', path: mountpoint, ...ledgerHost(host) }, () => mkdirOn(host, mountpoint, { recursive: true }), () => removeOn(host, mountpoint));
  // The block device's page cache may hold what a copy wrote there, not yet on the device;
  // ext4 reads file data from the device itself, so write it out first.
  await syncDeviceOn(host, device);
  let mounted = false;
  await scope.acquire(
    { kind: 'mount', path: mountpoint, ...ledgerHost(host) },
    async () => {
      const args = ['-t', 'ext4', '-o', readonly ? 'ro' : 'noatime', device, mountpoint];
      // A device whose previous filesystem was just unmounted can still be held for a
      // moment (EBUSY); wait for it to be free rather than fail the run.
      await waitFor(`${device} to mount`, () => host.run('mount', args).then(() => true, (err: Error) => (err instanceof MountBusyError ? undefined : Promise.reject(err))), { timeoutMs: 5000, intervalMs: 50 });
      mounted = true;
    },
    async () => {
      if (mounted) await unmount(host, mountpoint);
    },
  );
  return { mountpoint, device, host, unmount: () => unmount(host, mountpoint) };
}

/** A mounted filesystem; `unmount` may be called early (the scope's release then does nothing). */
export interface MountedFs {
  mountpoint: string;
  device: string;
  /** The host it is mounted on (whose paths `mountpoint` and `device` are). */
  host: Host;
  unmount(): Promise<void>;
}

async function unmount(host: Host, path: string): Promise<void> {
  if (!(await isMountedOn(host, path))) return;
  try {
    await host.run('umount', [path]);
  } catch (err) {
    // Detach it from the tree anyway, so removing the mountpoint cannot reach into it.
    await host.run('umount', ['--lazy', path]);
    throw err;
  }
}

/**
 * Creates the data file with `slots` zeroed slots on `host` (the one the filesystem is
 * mounted on), written (not fallocated: unwritten extents would be converted, a metadata
 * change, on each first write) and synced by one `dd` there; then checkpoints the journal
 * (freeze + thaw), so what a destination replays is what the service did, not the
 * provisioning. Returns the file's path on that host.
 */
export async function preallocateDataFile(mountpoint: string, slots: number, host: Host = localHost): Promise<string> {
  const path = join(mountpoint, DATA_FILE);
  // conv=excl: never over an existing file; conv=fsync: the data is on the device before dd exits.
  await host.run('dd', ['if=/dev/zero', `of=${path}`, 'bs=1M', `count=${slots * SLOT_BYTES}`, 'iflag=count_bytes', 'conv=excl,fsync', 'status=none']);
  await checkpointJournal(mountpoint, host);
  return path;
}

/** Checkpoints the filesystem's journal (freeze + thaw): what set-up wrote is in place, not left for a destination to replay. */
export async function checkpointJournal(mountpoint: string, host: Host = localHost): Promise<void> {
  await host.run('fsfreeze', ['--freeze', mountpoint]);
  await host.run('fsfreeze', ['--unfreeze', mountpoint]);
}

/** Reads the data file of a filesystem mounted at `mountpoint` on `host` (over SSH for a real host: `cat`). */
export function readDataFile(mountpoint: string, host: Host = localHost): Promise<Buffer> {
  return host.readFile(join(mountpoint, DATA_FILE));
}

/**
 * Slots in the data file for a volume: a quarter of it, at most 1 Mi slots (32 MiB);
 * enough for minutes of requests at the rates one client process reaches here.
 */
export function dataFileSlots(volumeBytes: number): number {
  return Math.min(2 ** 20, Math.floor(volumeBytes / 4 / SLOT_BYTES));
}

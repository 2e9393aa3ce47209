/**
 * `--fault dest-crash` on dm-clone (issue 12): B's clone dies without a clean shutdown and is
 * reassembled from what persisted — the metadata device and B's raw device — as a reboot
 * would (Documentation/admin-guide/device-mapper/dm-clone.rst: a clone table over an existing
 * metadata device resumes with the regions it recorded as hydrated).
 *
 * Why nothing B acknowledged is lost: the workload's writes are O_DSYNC, which reach dm-clone
 * as FUA/flush bios; it completes them only after `commit_metadata` has flushed B's device and
 * committed the metadata transaction (dm-clone-target.c), so an acknowledged write's data and
 * its region's bit are both on disk. Hydrated regions whose bit was not committed yet are
 * fetched from the source again.
 *
 * How the crash is made: the metadata device sits behind a `linear` mapping, which the crash
 * swaps to `error` first. From then on nothing dm-clone writes reaches its metadata — the
 * commit that a clean teardown (postsuspend) does fails, as it could not happen in a machine
 * that lost power — and only then is the clone removed and its NBD connection dropped.
 */
import type { Host } from '../../host/host.js';
import type { DmDevice } from '../../lab/device-mapper.js';
import { SECTOR } from './dm-clone-table.js';

/** `error` over the metadata device's length: every I/O to it fails. */
export function errorTable(sizeBytes: number): string {
  return `0 ${sizeBytes / SECTOR} error`;
}

/** Cuts the clone off its metadata: from now on its commits fail (see the file comment). */
export async function cutMetadata(metaDm: DmDevice, metaBytes: number): Promise<void> {
  await metaDm.swapTable(errorTable(metaBytes));
}

/**
 * B's buffers of the clone's devices dropped (written back first, as `blockdev --flushbufs`
 * does), so the reboot reads only what reached them; on B, whose kernel holds them.
 */
export async function dropBuffers(devices: string[], host: Host): Promise<void> {
  for (const d of devices) await host.run('blockdev', ['--flushbufs', d]);
}

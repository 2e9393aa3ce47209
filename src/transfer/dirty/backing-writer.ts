import { execFile } from 'node:child_process';
import { fdatasync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import type { DeltaSink } from './direct-writer.js';

const run = promisify(execFile);

/**
 * B's side of a delta pass written straight into the page cache of B's loop device's
 * backing file (loop-backing.ts: with `dio` 0 those pages *are* the device's bytes): one
 * synchronous `pwrite` per piece, a memory copy, with no libuv pool hop, no block-layer
 * request and no loop-worker round trip per block (the O_DIRECT path pays all three for
 * every 4 KiB block). Bypassing the device leaves its own page cache (the block device's
 * buffer cache, filled by buffered reads and writes of /dev/loopN) stale, so a pass is
 * {@link begin} — flush the device's dirty pages first, or their writeback could later
 * land over the newer bytes written here — and {@link finish}: sync the file (what the
 * device's flush would make the loop do) and drop the device's cached pages
 * (`blockdev --flushbufs`, BLKFLSBUF) so that later reads of /dev/loopN see these bytes.
 * Only for a loop device nobody else writes during the pass (B's, during pre-copy).
 */
export class BackingWriter implements DeltaSink {
  /**
   * @param deviceFd B's loop device, buffered
   * @param backingFd its backing file, opened for writing
   * @param device the device's path, for `blockdev --flushbufs`
   */
  constructor(
    private readonly deviceFd: number,
    private readonly backingFd: number,
    private readonly device: string,
  ) {}

  /** Before a pass: writes back the device's dirty pages, so none can overwrite this pass's bytes later. */
  begin(): Promise<void> {
    return datasync(this.deviceFd);
  }

  put(chunk: Buffer, at: number, n: number, pos: number): number {
    for (let w = 0; w < n; ) w += writeSync(this.backingFd, chunk, at + w, n - w, pos + w);
    return n;
  }

  free(): Promise<void> {
    return Promise.resolve();
  }

  drain(): Promise<void> {
    return Promise.resolve();
  }

  /** After a pass: makes its bytes durable and drops the device's stale cached pages. */
  async finish(): Promise<void> {
    await datasync(this.backingFd);
    await run('blockdev', ['--flushbufs', this.device]);
  }
}

const datasync = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

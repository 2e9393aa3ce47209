import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { alignedBuffer } from '../workload/aligned-buffer.js';
import type { LatestAcks } from './journal.js';
import { emptyVerification, verifyBlocks, type Verification } from './verifier.js';

/** Bytes per read: large enough that the device, not the syscall rate, sets the pace. */
const CHUNK = 4 << 20;

/**
 * Reads a whole device with O_DIRECT (so the page cache cannot answer for it) and
 * verifies every block against the acknowledged versions (`forked`: the split-brain blocks,
 * counted as diverged rather than lost). Two buffers: the next chunk is read while the
 * current one is verified.
 */
export async function scanDevice(device: string, blockSize: number, blocks: number, latest: LatestAcks, forked?: Uint8Array): Promise<Verification> {
  const fh = await open(device, constants.O_RDONLY | constants.O_DIRECT);
  let reading: Promise<unknown> | undefined;
  try {
    const chunkBlocks = Math.max(1, Math.floor(CHUNK / blockSize));
    const buffers = [await alignedBuffer(fh, chunkBlocks * blockSize), await alignedBuffer(fh, chunkBlocks * blockSize)];
    const v = emptyVerification();
    const read = (first: number, n: number): Promise<number> => {
      const count = Math.min(chunkBlocks, blocks - first);
      const p = fh.read(buffers[n % 2]!, 0, count * blockSize, first * blockSize).then(({ bytesRead }) => {
        if (bytesRead !== count * blockSize) throw new Error(`short read on ${device} at block ${first}: ${bytesRead} bytes`);
        return count;
      });
      reading = p;
      return p;
    };
    let next = blocks > 0 ? read(0, 0) : undefined;
    for (let first = 0, n = 0; next; first += chunkBlocks, n++) {
      const count = await next;
      next = first + chunkBlocks < blocks ? read(first + chunkBlocks, n + 1) : undefined;
      const buf = buffers[n % 2]!;
      verifyBlocks(new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4), blockSize, first, count, latest, v, forked);
    }
    return v;
  } finally {
    await reading?.catch(() => undefined); // never close under a read in flight
    await fh.close();
  }
}

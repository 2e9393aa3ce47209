import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { alignedBuffer } from '../workload/aligned-buffer.js';
import type { LatestAcks } from './journal.js';
import { emptyVerification, verifyBlocks, type Verification } from './verifier.js';

/**
 * Reads a whole device with O_DIRECT (so the page cache cannot answer for it) and
 * verifies every block against the acknowledged versions (`forked`: the split-brain blocks,
 * counted as diverged rather than lost).
 */
export async function scanDevice(device: string, blockSize: number, blocks: number, latest: LatestAcks, forked?: Uint8Array): Promise<Verification> {
  const fh = await open(device, constants.O_RDONLY | constants.O_DIRECT);
  try {
    const chunkBlocks = Math.max(1, Math.floor((1 << 20) / blockSize));
    const buf = await alignedBuffer(fh, chunkBlocks * blockSize);
    const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
    const v = emptyVerification();
    for (let first = 0; first < blocks; first += chunkBlocks) {
      const count = Math.min(chunkBlocks, blocks - first);
      const { bytesRead } = await fh.read(buf, 0, count * blockSize, first * blockSize);
      if (bytesRead !== count * blockSize) throw new Error(`short read on ${device} at block ${first}: ${bytesRead} bytes`);
      verifyBlocks(words, blockSize, first, count, latest, v, forked);
    }
    return v;
  } finally {
    await fh.close();
  }
}

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { alignedBuffer } from './aligned-buffer.js';
import { emptyStamp, encodeBlock } from './stamp.js';

/**
 * Writes every block of a fresh volume once as epoch 0 (seq = block index), so the
 * volume is full of real data before migration: a copy cannot skip holes, and every
 * block has an acknowledged version the verifier can check. Durable (fdatasync) before
 * it returns; the returned times are the journal's fill entry.
 */
export async function fillVolume(device: string, blockSize: number, blocks: number): Promise<{ stampNs: number; ackNs: number }> {
  const fh = await open(device, constants.O_RDWR | constants.O_DIRECT);
  try {
    const chunkBlocks = Math.max(1, Math.floor((1 << 20) / blockSize));
    const buf = await alignedBuffer(fh, chunkBlocks * blockSize);
    const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
    const bw = blockSize / 4;
    const stamp = emptyStamp();
    const stampNs = Number(process.hrtime.bigint());
    stamp.stampNs = stampNs;
    for (let first = 0; first < blocks; first += chunkBlocks) {
      const count = Math.min(chunkBlocks, blocks - first);
      for (let k = 0; k < count; k++) {
        stamp.index = first + k;
        stamp.seq = first + k;
        encodeBlock(words, k * bw, bw, stamp);
      }
      await fh.write(buf, 0, count * blockSize, first * blockSize);
    }
    await fh.datasync();
    return { stampNs, ackNs: Number(process.hrtime.bigint()) };
  } finally {
    await fh.close();
  }
}

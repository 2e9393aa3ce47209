import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { alignedBuffer } from './aligned-buffer.js';
import { emptyStamp, encodeBlock } from './stamp.js';

/** Bytes per write: large enough that the device, not the syscall rate, sets the pace. */
const CHUNK = 4 << 20;

/**
 * Writes every block of a fresh volume once as epoch 0 (seq = block index), so the
 * volume is full of real data before migration: a copy cannot skip holes, and every
 * block has an acknowledged version the verifier can check. Durable (fdatasync) before
 * it returns; the returned times are the journal's fill entry. Two buffers: the next
 * chunk is stamped while the previous one is being written (issue 15, "Scale": the
 * harness's own phases should not dominate a run on a large volume).
 */
export async function fillVolume(device: string, blockSize: number, blocks: number): Promise<{ stampNs: number; ackNs: number }> {
  const fh = await open(device, constants.O_RDWR | constants.O_DIRECT);
  let writing: Promise<unknown> | undefined;
  try {
    const chunkBlocks = Math.max(1, Math.floor(CHUNK / blockSize));
    const buffers = [await alignedBuffer(fh, chunkBlocks * blockSize), await alignedBuffer(fh, chunkBlocks * blockSize)];
    const bw = blockSize / 4;
    const stamp = emptyStamp();
    const stampNs = Number(process.hrtime.bigint());
    stamp.stampNs = stampNs;
    for (let first = 0, n = 0; first < blocks; first += chunkBlocks, n++) {
      const count = Math.min(chunkBlocks, blocks - first);
      // The write in flight uses the other buffer; the one before it has completed.
      const buf = buffers[n % 2]!;
      const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
      for (let k = 0; k < count; k++) {
        stamp.index = first + k;
        stamp.seq = first + k;
        encodeBlock(words, k * bw, bw, stamp);
      }
      await writing;
      writing = fh.write(buf, 0, count * blockSize, first * blockSize);
    }
    await writing;
    await fh.datasync();
    return { stampNs, ackNs: Number(process.hrtime.bigint()) };
  } finally {
    await writing?.catch(() => undefined); // never close under a write in flight
    await fh.close();
  }
}

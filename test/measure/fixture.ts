import { latestAcks, type Journal } from '../../src/measure/journal.js';
import type { AckRecord } from '../../src/workload/records.js';
import { encodeBlock } from '../../src/workload/stamp.js';

export const BS = 4096;

/**
 * A volume of `blocks` blocks of `blockSize` bytes: filled as epoch 0, then epoch 1
 * acknowledges one write to each of the first `written` blocks. `image` holds exactly the
 * acknowledged state.
 */
export function volumeFixture(blocks = 64, written = 32, blockSize = BS) {
  const bw = blockSize / 4;
  const fill = { stampNs: 1_000, ackNs: 2_000 };
  const acks: AckRecord[] = [];
  const image = new Uint32Array(blocks * bw);
  for (let i = 0; i < blocks; i++) encodeBlock(image, i * bw, bw, { epoch: 0, seq: i, index: i, stampNs: fill.stampNs });
  for (let i = 0; i < written; i++) {
    const stampNs = 10_000 + i * 100;
    acks.push({ type: 1, index: i, epoch: 1, seq: i, stampNs, ackNs: stampNs + 50 });
    encodeBlock(image, i * bw, bw, { epoch: 1, seq: i, index: i, stampNs });
  }
  const journal: Journal = { blockSize, blocks, fill, acks, reads: [] };
  return { journal, image, latest: latestAcks(journal) };
}

/** Rewrites block `i` of `image` as the given version. */
export function put(image: Uint32Array, i: number, epoch: number, seq: number, stampNs: number, blockSize = BS): void {
  const bw = blockSize / 4;
  encodeBlock(image, i * bw, bw, { epoch, seq, index: i, stampNs });
}

/** Zeroes block `i`. */
export function zero(image: Uint32Array, i: number, blockSize = BS): void {
  const bw = blockSize / 4;
  image.fill(0, i * bw, (i + 1) * bw);
}

import { BlockState, checkBlock, emptyStamp } from '../workload/stamp.js';
import { holdsLatest, type LatestAcks } from './journal.js';

/** What verification of a destination found. Byte counts are whole blocks. */
export interface Verification {
  lostBytes: number;
  corruptBytes: number;
  divergedBytes: number;
  /** Up to 16 lost block indices, for diagnosis. */
  lostSample: number[];
  /** Up to 16 corrupt block indices. */
  corruptSample: number[];
  blocksChecked: number;
}

export function emptyVerification(): Verification {
  return { lostBytes: 0, corruptBytes: 0, divergedBytes: 0, lostSample: [], corruptSample: [], blocksChecked: 0 };
}

/**
 * Checks a run of blocks read from the destination against the latest acks.
 * `words` holds `count` blocks starting at block `firstIndex`. Pure; accumulates into `v`.
 * - lost: the block has an acknowledged version but holds something older (or zeros);
 * - corrupt: the header or payload does not check out (torn, garbage, misplaced).
 */
export function verifyBlocks(
  words: Uint32Array,
  blockSize: number,
  firstIndex: number,
  count: number,
  latest: LatestAcks,
  v: Verification,
): void {
  const bw = blockSize / 4;
  const out = emptyStamp();
  for (let k = 0; k < count; k++) {
    const i = firstIndex + k;
    const state = checkBlock(words, k * bw, bw, i, out);
    if (state === BlockState.Corrupt) {
      v.corruptBytes += blockSize;
      if (v.corruptSample.length < 16) v.corruptSample.push(i);
    } else {
      const ok =
        state === BlockState.Zero ? latest.epoch[i]! < 0 : holdsLatest(latest, i, out.epoch, out.seq, out.stampNs);
      if (!ok) {
        v.lostBytes += blockSize;
        if (v.lostSample.length < 16) v.lostSample.push(i);
      }
    }
  }
  v.blocksChecked += count;
}

/**
 * Split brain, from the journal alone: blocks whose latest acknowledged version was
 * written by an older instance after a newer instance had started acknowledging.
 * `newStartNs` maps each instance epoch to its first ack time.
 */
export function divergedBytes(latest: LatestAcks, blockSize: number, newStartNs: ReadonlyMap<number, number>): number {
  const starts = [...newStartNs.entries()].sort((a, b) => a[0] - b[0]);
  let bytes = 0;
  for (let i = 0; i < latest.epoch.length; i++) {
    const e = latest.epoch[i]!;
    if (e < 0) continue;
    // Did any newer instance start before this block's latest ack?
    for (const [epoch, start] of starts) {
      if (epoch > e && start < latest.ackNs[i]!) {
        bytes += blockSize;
        break;
      }
    }
  }
  return bytes;
}

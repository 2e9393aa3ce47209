import { BlockState, checkBlock, emptyStamp } from '../workload/stamp.js';
import { finalVersions, holdsLatest, type LatestAcks } from './journal.js';

/**
 * What verification of a destination found. Byte counts are whole blocks, and every block
 * is in one class at most (docs/results.md, "Lost, corrupt, diverged").
 */
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
 * Checks a run of blocks read from the destination against the acknowledged versions.
 * `words` holds `count` blocks starting at block `firstIndex`. Pure; accumulates into `v`.
 * Each block is counted in one class at most, in this order:
 * - corrupt: the header or payload does not check out (torn, garbage, misplaced);
 * - diverged: it holds no acceptable version, and one of its possible final versions was
 *   written by an older instance after a newer one was up (`forked`, from {@link forkedBlocks});
 * - lost: it holds no acceptable version (something older, or zeros).
 */
export function verifyBlocks(
  words: Uint32Array,
  blockSize: number,
  firstIndex: number,
  count: number,
  latest: LatestAcks,
  v: Verification,
  forked?: Uint8Array,
): void {
  const bw = blockSize / 4;
  const out = emptyStamp();
  for (let k = 0; k < count; k++) {
    const i = firstIndex + k;
    const state = checkBlock(words, k * bw, bw, i, out);
    if (state === BlockState.Corrupt) {
      v.corruptBytes += blockSize;
      if (v.corruptSample.length < 16) v.corruptSample.push(i);
      continue;
    }
    const ok = state === BlockState.Zero ? !latest.acknowledged(i) : holdsLatest(latest, i, out.epoch, out.seq, out.stampNs);
    if (ok) continue;
    if (forked?.[i]) {
      v.divergedBytes += blockSize;
    } else {
      v.lostBytes += blockSize;
      if (v.lostSample.length < 16) v.lostSample.push(i);
    }
  }
  v.blocksChecked += count;
}

/**
 * Split brain, from the journal: marks the blocks one of whose possible final versions was
 * acknowledged by an older instance after a newer instance had started acknowledging (its
 * first ack, `newStartNs` by epoch). The two sides forked on such a block: whatever the
 * destination lacks of it is diverged, not lost.
 */
export function forkedBlocks(latest: LatestAcks, newStartNs: ReadonlyMap<number, number>): Uint8Array {
  const starts = [...newStartNs.entries()];
  const forked = new Uint8Array(latest.blocks);
  const forks = (epoch: number, ackNs: number): boolean => starts.some(([newer, start]) => newer > epoch && start < ackNs);
  for (let i = 0; i < latest.blocks; i++) {
    if (!latest.acknowledged(i)) continue;
    // No allocation for the (many) blocks with one possible version.
    if (latest.others.has(i) ? finalVersions(latest, i).some((w) => forks(w.epoch, w.ackNs)) : forks(latest.latestEpoch(i), latest.latestAckNs(i))) forked[i] = 1;
  }
  return forked;
}

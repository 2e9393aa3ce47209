import type { AckRecord, ReadRecord } from '../workload/records.js';

/**
 * The acknowledged-write journal of one migration, kept by the orchestrator outside the
 * volume: the initial fill (every block written once, as epoch 0) plus every ack and
 * read of every instance.
 */
export interface Journal {
  blockSize: number;
  blocks: number;
  /** The fill acknowledged every block at once: epoch 0, seq = block index. */
  fill: { stampNs: number; ackNs: number } | undefined;
  acks: readonly AckRecord[];
  reads: readonly ReadRecord[];
}

/** Per block, the latest acknowledged version (by ack time). `epoch[i] < 0`: never acked. */
export interface LatestAcks {
  epoch: Int32Array;
  seq: Uint32Array;
  stampNs: Float64Array;
  ackNs: Float64Array;
}

/** A table in which no block has been acknowledged yet. */
export function emptyLatest(blocks: number): LatestAcks {
  return {
    epoch: new Int32Array(blocks).fill(-1),
    seq: new Uint32Array(blocks),
    stampNs: new Float64Array(blocks),
    ackNs: new Float64Array(blocks).fill(-Infinity),
  };
}

/** Computes the latest acknowledged version of every block. */
export function latestAcks(journal: Journal): LatestAcks {
  const n = journal.blocks;
  const latest = emptyLatest(n);
  if (journal.fill) {
    for (let i = 0; i < n; i++) {
      latest.epoch[i] = 0;
      latest.seq[i] = i;
      latest.stampNs[i] = journal.fill.stampNs;
      latest.ackNs[i] = journal.fill.ackNs;
    }
  }
  for (const a of journal.acks) applyAck(latest, a);
  return latest;
}

/** Folds one ack into the table if it is newer than what the block holds. */
export function applyAck(latest: LatestAcks, a: AckRecord): void {
  if (a.ackNs >= latest.ackNs[a.index]!) {
    latest.epoch[a.index] = a.epoch;
    latest.seq[a.index] = a.seq;
    latest.stampNs[a.index] = a.stampNs;
    latest.ackNs[a.index] = a.ackNs;
  }
}

/**
 * Whether a block holding version (epoch, seq, stampNs) still carries the acknowledged
 * write `i` of `latest`: it is that very version, or a write issued after that ack
 * (which legitimately supersedes it, acknowledged or not).
 */
export function holdsLatest(latest: LatestAcks, i: number, epoch: number, seq: number, stampNs: number): boolean {
  if (latest.epoch[i]! < 0) return true;
  if (epoch === latest.epoch[i] && seq === latest.seq[i]) return true;
  return stampNs > latest.ackNs[i]!;
}

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

/** One acknowledged version of a block: who wrote it, when it was issued and acknowledged. */
export interface AckedVersion {
  epoch: number;
  seq: number;
  stampNs: number;
  ackNs: number;
}

/**
 * Per block, the acknowledged versions that may legitimately be its final content
 * (docs/results.md, "The overlap rule"): every acknowledged write not strictly followed
 * by another, i.e. whose ack came no earlier than the issue of the block's last-issued
 * acknowledged write. With one writer at a time that is the latest ack alone; writes of
 * two instances whose issue→ack intervals overlap are both possible (indeterminate order).
 *
 * The arrays hold the latest version by ack time (always possible); `others` the further
 * possible ones of the few blocks that have any. `epoch[i] < 0`: never acknowledged.
 */
export interface LatestAcks {
  epoch: Int32Array;
  seq: Uint32Array;
  stampNs: Float64Array;
  ackNs: Float64Array;
  /** Issue time of the last-issued acknowledged write of each block. */
  issueNs: Float64Array;
  /** Blocks with more than one possible final version: the others, besides the latest. */
  others: Map<number, AckedVersion[]>;
}

/** A table in which no block has been acknowledged yet. */
export function emptyLatest(blocks: number): LatestAcks {
  return {
    epoch: new Int32Array(blocks).fill(-1),
    seq: new Uint32Array(blocks),
    stampNs: new Float64Array(blocks),
    ackNs: new Float64Array(blocks).fill(-Infinity),
    issueNs: new Float64Array(blocks).fill(-Infinity),
    others: new Map(),
  };
}

/** Computes the possible final versions of every block from the fill and every ack. */
export function latestAcks(journal: Journal): LatestAcks {
  const n = journal.blocks;
  const latest = emptyLatest(n);
  if (journal.fill) {
    for (let i = 0; i < n; i++) {
      latest.epoch[i] = 0;
      latest.seq[i] = i;
      latest.stampNs[i] = journal.fill.stampNs;
      latest.ackNs[i] = journal.fill.ackNs;
      latest.issueNs[i] = journal.fill.stampNs;
    }
  }
  for (const a of journal.acks) applyAck(latest, a);
  return latest;
}

/** The latest version (by ack time) of block `i`, undefined if never acknowledged. */
function latestOf(latest: LatestAcks, i: number): AckedVersion | undefined {
  if (latest.epoch[i]! < 0) return undefined;
  return { epoch: latest.epoch[i]!, seq: latest.seq[i]!, stampNs: latest.stampNs[i]!, ackNs: latest.ackNs[i]! };
}

/** Every possible final version of block `i` (the latest first); empty if never acknowledged. */
export function finalVersions(latest: LatestAcks, i: number): AckedVersion[] {
  const l = latestOf(latest, i);
  return l ? [l, ...(latest.others.get(i) ?? [])] : [];
}

/**
 * Folds one ack into the table, in any order: the possible final versions become those of
 * the old set plus `a` whose ack is no earlier than the last issue. On equal ack times the
 * ack folded later is the latest.
 */
export function applyAck(latest: LatestAcks, a: AckRecord): void {
  const i = a.index;
  const issue = Math.max(latest.issueNs[i]!, a.stampNs);
  latest.issueNs[i] = issue;
  const others = latest.others.get(i);
  const l = latestOf(latest, i);
  // Fast path (one writer at a time): the new ack strictly follows everything the block had.
  if (!others && (!l || l.ackNs < a.stampNs)) {
    setLatest(latest, i, a);
    return;
  }
  const candidates = [...(l ? [l] : []), ...(others ?? []), { epoch: a.epoch, seq: a.seq, stampNs: a.stampNs, ackNs: a.ackNs }];
  const possible = candidates.filter((v) => v.ackNs >= issue);
  // The latest by ack time; the last candidate (the new ack) wins ties.
  let top = possible.length - 1;
  for (let k = possible.length - 1; k >= 0; k--) if (possible[k]!.ackNs > possible[top]!.ackNs) top = k;
  setLatest(latest, i, possible[top]!);
  const rest = possible.filter((_, k) => k !== top);
  if (rest.length) latest.others.set(i, rest);
  else latest.others.delete(i);
}

function setLatest(latest: LatestAcks, i: number, v: AckedVersion): void {
  latest.epoch[i] = v.epoch;
  latest.seq[i] = v.seq;
  latest.stampNs[i] = v.stampNs;
  latest.ackNs[i] = v.ackNs;
}

/**
 * Whether a block holding version (epoch, seq, stampNs) holds an acceptable version of
 * block `i`: one of its possible final acknowledged versions, or a write issued after the
 * earliest ack among them (an unacknowledged write that may legitimately supersede it).
 * Anything is acceptable where nothing was ever acknowledged.
 */
export function holdsLatest(latest: LatestAcks, i: number, epoch: number, seq: number, stampNs: number): boolean {
  if (latest.epoch[i]! < 0) return true;
  if (epoch === latest.epoch[i] && seq === latest.seq[i]) return true;
  let earliestAck = latest.ackNs[i]!;
  const others = latest.others.get(i);
  if (others) {
    for (const o of others) {
      if (o.epoch === epoch && o.seq === seq) return true;
      earliestAck = Math.min(earliestAck, o.ackNs);
    }
  }
  return stampNs > earliestAck;
}

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

/** The ref of a block never acknowledged, and of one whose latest version is the fill. */
const NEVER = -1;
const FILL = -2;

/**
 * Per block, the acknowledged versions that may legitimately be its final content
 * (docs/results.md, "The overlap rule"): every acknowledged write not strictly followed
 * by another, i.e. whose ack came no earlier than the issue of the block's last-issued
 * acknowledged write. With one writer at a time that is the latest ack alone; writes of
 * two instances whose issue→ack intervals overlap are both possible (indeterminate order).
 *
 * Four bytes per block (issue 15, "Scale": a 16 GiB volume has 4 Mi blocks): a block
 * refers to its latest version by ack time — the fill, or an entry of `versions`, which
 * grows with the acks (the journal holds them anyway), not with the volume. `others` holds
 * the further possible versions of the few blocks that have any, with their last issue
 * time; for every other block that time is the latest version's own stamp (the write
 * issued last is always possible, so with one possible version it is that one).
 */
export class LatestAcks {
  private readonly ref: Int32Array;
  private readonly versions: AckedVersion[] = [];
  private fill: { stampNs: number; ackNs: number } | undefined;
  /** Blocks with more than one possible final version: the others, besides the latest. */
  readonly others = new Map<number, AckedVersion[]>();
  /** The last issue time of the blocks in `others`. */
  private readonly issues = new Map<number, number>();

  constructor(readonly blocks: number) {
    this.ref = new Int32Array(blocks).fill(NEVER);
  }

  /** Whether block `i` was ever acknowledged. */
  acknowledged(i: number): boolean {
    return this.ref[i]! !== NEVER;
  }

  /** The latest version (by ack time) of block `i`, undefined if never acknowledged. */
  latest(i: number): AckedVersion | undefined {
    const r = this.ref[i]!;
    if (r === NEVER) return undefined;
    if (r === FILL) return { epoch: 0, seq: i, stampNs: this.fill!.stampNs, ackNs: this.fill!.ackNs };
    return this.versions[r]!;
  }

  /** Whether the latest version of block `i` is (epoch, seq); no allocation (the verifier asks once per block). */
  latestIs(i: number, epoch: number, seq: number): boolean {
    const r = this.ref[i]!;
    if (r === NEVER) return false;
    if (r === FILL) return epoch === 0 && seq === i;
    const v = this.versions[r]!;
    return v.epoch === epoch && v.seq === seq;
  }

  /** Epoch of block `i`'s latest version (-1 if never acknowledged). */
  latestEpoch(i: number): number {
    const r = this.ref[i]!;
    return r === NEVER ? -1 : r === FILL ? 0 : this.versions[r]!.epoch;
  }

  /** Ack time of block `i`'s latest version (-Infinity if never acknowledged). */
  latestAckNs(i: number): number {
    const r = this.ref[i]!;
    return r === NEVER ? -Infinity : r === FILL ? this.fill!.ackNs : this.versions[r]!.ackNs;
  }

  /** Issue time of block `i`'s last-issued acknowledged write (-Infinity if never acknowledged). */
  issueNs(i: number): number {
    const r = this.ref[i]!;
    if (r === NEVER) return -Infinity;
    return this.issues.get(i) ?? (r === FILL ? this.fill!.stampNs : this.versions[r]!.stampNs);
  }

  /** Makes `v` block `i`'s latest version, and `others` / `issueNs` its other possible versions and last issue. */
  set(i: number, v: AckedVersion, others: AckedVersion[], issueNs: number): void {
    this.ref[i] = this.versions.push(v) - 1;
    if (others.length) {
      this.others.set(i, others);
      this.issues.set(i, issueNs);
    } else {
      this.others.delete(i);
      this.issues.delete(i);
    }
  }

  /** The fill acknowledged every block at once: the latest version of every block not acknowledged before it. */
  applyFill(fill: { stampNs: number; ackNs: number }): void {
    this.fill = fill;
    for (let i = 0; i < this.blocks; i++) {
      if (this.ref[i] === NEVER) this.ref[i] = FILL;
      else applyAck(this, { type: 1, index: i, epoch: 0, seq: i, stampNs: fill.stampNs, ackNs: fill.ackNs });
    }
  }
}

/** A table in which no block has been acknowledged yet. */
export function emptyLatest(blocks: number): LatestAcks {
  return new LatestAcks(blocks);
}

/** Computes the possible final versions of every block from the fill and every ack. */
export function latestAcks(journal: Journal): LatestAcks {
  const latest = emptyLatest(journal.blocks);
  if (journal.fill) latest.applyFill(journal.fill);
  for (const a of journal.acks) applyAck(latest, a);
  return latest;
}

/** Every possible final version of block `i` (the latest first); empty if never acknowledged. */
export function finalVersions(latest: LatestAcks, i: number): AckedVersion[] {
  const l = latest.latest(i);
  return l ? [l, ...(latest.others.get(i) ?? [])] : [];
}

/**
 * Folds one ack into the table, in any order: the possible final versions become those of
 * the old set plus `a` whose ack is no earlier than the last issue. On equal ack times the
 * ack folded later is the latest.
 */
export function applyAck(latest: LatestAcks, a: AckRecord): void {
  const i = a.index;
  const issue = Math.max(latest.issueNs(i), a.stampNs);
  const others = latest.others.get(i);
  const l = latest.latest(i);
  // Fast path (one writer at a time): the new ack strictly follows everything the block had.
  if (!others && (!l || l.ackNs < a.stampNs)) {
    latest.set(i, { epoch: a.epoch, seq: a.seq, stampNs: a.stampNs, ackNs: a.ackNs }, [], issue);
    return;
  }
  const candidates = [...(l ? [l] : []), ...(others ?? []), { epoch: a.epoch, seq: a.seq, stampNs: a.stampNs, ackNs: a.ackNs }];
  const possible = candidates.filter((v) => v.ackNs >= issue);
  // The latest by ack time; the last candidate (the new ack) wins ties.
  let top = possible.length - 1;
  for (let k = possible.length - 1; k >= 0; k--) if (possible[k]!.ackNs > possible[top]!.ackNs) top = k;
  latest.set(i, possible[top]!, possible.filter((_, k) => k !== top), issue);
}

/**
 * Whether a block holding version (epoch, seq, stampNs) holds an acceptable version of
 * block `i`: one of its possible final acknowledged versions, or a write issued after the
 * earliest ack among them (an unacknowledged write that may legitimately supersede it).
 * Anything is acceptable where nothing was ever acknowledged.
 */
export function holdsLatest(latest: LatestAcks, i: number, epoch: number, seq: number, stampNs: number): boolean {
  if (!latest.acknowledged(i)) return true;
  if (latest.latestIs(i, epoch, seq)) return true;
  let earliestAck = latest.latestAckNs(i);
  const others = latest.others.get(i);
  if (others) {
    for (const o of others) {
      if (o.epoch === epoch && o.seq === seq) return true;
      earliestAck = Math.min(earliestAck, o.ackNs);
    }
  }
  return stampNs > earliestAck;
}

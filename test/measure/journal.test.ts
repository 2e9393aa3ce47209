import { describe, expect, it } from 'vitest';
import { applyAck, emptyLatest, finalVersions, holdsLatest, latestAcks, type Journal } from '../../src/measure/journal.js';
import type { AckRecord } from '../../src/workload/records.js';
import { BS } from './fixture.js';

const ack = (index: number, epoch: number, seq: number, stampNs: number, ackNs: number): AckRecord => ({ type: 1, index, epoch, seq, stampNs, ackNs });
const FILL = { stampNs: 1_000, ackNs: 2_000 };
const journal = (blocks: number, acks: AckRecord[], fill: Journal['fill'] = FILL): Journal => ({ blockSize: BS, blocks, fill, acks, reads: [] });

describe('latestAcks', () => {
  it('starts every block at the fill: epoch 0, seq = block index', () => {
    const latest = latestAcks(journal(3, []));
    expect([0, 1, 2].map((i) => latest.latest(i))).toEqual([0, 1, 2].map((i) => ({ epoch: 0, seq: i, stampNs: 1_000, ackNs: 2_000 })));
    expect([0, 1, 2].map((i) => latest.issueNs(i))).toEqual([1_000, 1_000, 1_000]);
  });

  it('without a fill, blocks never acknowledged stay at epoch -1', () => {
    const latest = latestAcks({ ...journal(3, [ack(1, 1, 0, 10, 20)]), fill: undefined });
    expect([0, 1, 2].map((i) => latest.latestEpoch(i))).toEqual([-1, 1, -1]);
    expect(latest.latest(0)).toBeUndefined();
    expect(latest.latestAckNs(0)).toBe(-Infinity);
  });

  it('keeps the latest ack by ack time, whatever order the journal lists them in', () => {
    // Two instances' acks interleave in the journal; block 0's newest is epoch 1's seq 7.
    const latest = latestAcks(journal(2, [ack(0, 1, 7, 500, 9_000), ack(0, 2, 3, 600, 8_000), ack(0, 1, 5, 400, 7_000), ack(1, 2, 4, 700, 8_500)]));
    expect(latest.latest(0)).toEqual({ epoch: 1, seq: 7, stampNs: 500, ackNs: 9_000 });
    expect(latest.latestIs(1, 2, 4)).toBe(true);
  });

  it('on equal ack times, the one recorded later wins', () => {
    const latest = emptyLatest(1);
    applyAck(latest, ack(0, 1, 1, 10, 100));
    applyAck(latest, ack(0, 2, 9, 20, 100));
    expect(latest.latestIs(0, 2, 9)).toBe(true);
  });

  it('never lets an ack older than the fill replace it', () => {
    const latest = latestAcks(journal(1, [ack(0, 1, 0, 500, 1_500)]));
    expect(latest.latestIs(0, 0, 0)).toBe(true);
  });
});

describe('holdsLatest', () => {
  // Block 0: epoch 1 acked seq 5 (issued at 10_000) at 10_050.
  const latest = latestAcks(journal(1, [ack(0, 1, 5, 10_000, 10_050)]));

  it('holds the acknowledged version itself', () => {
    expect(holdsLatest(latest, 0, 1, 5, 10_000)).toBe(true);
  });

  it('holds a write issued after the ack, by any instance, acknowledged or not', () => {
    expect(holdsLatest(latest, 0, 1, 6, 10_051)).toBe(true);
    expect(holdsLatest(latest, 0, 2, 0, 10_051)).toBe(true);
  });

  it('does not hold an older write of the same instance (a same-instance rollback)', () => {
    expect(holdsLatest(latest, 0, 1, 4, 9_000)).toBe(false);
    // Issued before the ack completed, though after the acked write was issued: still not it.
    expect(holdsLatest(latest, 0, 1, 6, 10_050)).toBe(false);
  });

  it('does not hold the same seq from another instance, or the fill', () => {
    expect(holdsLatest(latest, 0, 2, 5, 10_000)).toBe(false);
    expect(holdsLatest(latest, 0, 0, 0, 1_000)).toBe(false);
  });

  it('holds anything where nothing was ever acknowledged', () => {
    expect(holdsLatest(emptyLatest(1), 0, 7, 7, 0)).toBe(true);
  });
});

describe('the overlap rule in the table', () => {
  // Block 0 (the fill acked at 2_000): A [10_100, 10_500] and B [10_200, 10_300] overlap; then C
  // [10_600, 10_700] strictly follows both.
  const a = ack(0, 1, 1, 10100, 10500);
  const b = ack(0, 2, 1, 10200, 10300);
  const c = ack(0, 3, 1, 10600, 10700);
  const versions = (acks: AckRecord[]) =>
    finalVersions(latestAcks(journal(1, acks)), 0)
      .map((v) => `${v.epoch}/${v.seq}`)
      .sort();

  it('keeps both writes whose issue→ack intervals overlap, in any journal order', () => {
    expect(versions([a, b])).toEqual(['1/1', '2/1']);
    expect(versions([b, a])).toEqual(['1/1', '2/1']);
  });

  it('drops both once a write strictly follows them', () => {
    expect(versions([a, b, c])).toEqual(['3/1']);
    expect(versions([c, b, a])).toEqual(['3/1']);
    expect(latestAcks(journal(1, [c, a, b])).others.size).toBe(0);
  });

  it('drops a write of the same instance that a later one strictly follows, even if another overlaps both', () => {
    // A1 [10_100, 10_150], B [10_120, 10_400], A2 [10_200, 10_300]: A2 follows A1; B overlaps both.
    const acks = [ack(0, 1, 1, 10100, 10150), ack(0, 2, 1, 10120, 10400), ack(0, 1, 2, 10200, 10300)];
    expect(versions(acks)).toEqual(['1/2', '2/1']);
    const latest = latestAcks(journal(1, acks));
    expect(holdsLatest(latest, 0, 1, 1, 10100)).toBe(false);
    expect(holdsLatest(latest, 0, 1, 2, 10200)).toBe(true);
    expect(holdsLatest(latest, 0, 2, 1, 10120)).toBe(true);
    // An unacknowledged write is acceptable once issued after the earliest possible ack (10_300).
    expect(holdsLatest(latest, 0, 2, 2, 10301)).toBe(true);
    expect(holdsLatest(latest, 0, 2, 2, 10299)).toBe(false);
  });
});

describe('LatestAcks.applyFill', () => {
  it('keeps an ack folded before the fill as a possible version when their intervals overlap', () => {
    const latest = emptyLatest(2);
    applyAck(latest, ack(1, 1, 3, 500, 1_500)); // issued before the fill's stamp, acked before its ack
    latest.applyFill(FILL);
    expect(latest.latestIs(0, 0, 0)).toBe(true);
    expect(latest.latestIs(1, 0, 1)).toBe(true);
    expect(finalVersions(latest, 1).map((v) => v.seq)).toEqual([1, 3]);
    expect(latest.issueNs(1)).toBe(1_000);
  });
});

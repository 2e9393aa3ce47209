import { describe, expect, it } from 'vitest';
import { staleReads } from '../../src/measure/stale-reads.js';
import type { ReadRecord } from '../../src/workload/records.js';
import { volumeFixture } from './fixture.js';

const read = (index: number, epoch: number, seq: number, stampNs: number, scheduledNs: number, state = 0): ReadRecord => ({
  type: 2,
  state,
  index,
  epoch,
  seq,
  stampNs,
  scheduledNs,
  completedNs: scheduledNs + 10,
});

describe('staleReads', () => {
  it('flags reads older than the latest ack before their schedule, and only those', () => {
    const { journal } = volumeFixture();
    // Block 0 was acked by epoch 1 at 10_050.
    const reads = [
      read(0, 0, 0, 1_000, 5_000), // before the ack: the fill version is current
      read(0, 0, 0, 1_000, 20_000), // after the ack: stale
      read(0, 1, 0, 10_000, 20_000), // the acked version: fine
      read(0, 0, 0, 0, 20_000, 1), // zeros after an ack: stale
      read(0, 0, 0, 0, 20_000, 2), // corrupt: counted apart
    ];
    expect(staleReads({ ...journal, reads })).toEqual({ stale: 2, corrupt: 1, checked: 5 });
  });
});

describe('staleReads under the overlap rule', () => {
  it('accepts either version of two overlapping writes, and flags the one both superseded', () => {
    const { journal } = volumeFixture();
    // Block 40 (fill only): A [20_000, 20_500] and B [20_100, 20_300] overlap.
    const acks = [
      ...journal.acks,
      { type: 1 as const, index: 40, epoch: 1, seq: 900, stampNs: 20_000, ackNs: 20_500 },
      { type: 1 as const, index: 40, epoch: 2, seq: 0, stampNs: 20_100, ackNs: 20_300 },
    ];
    const reads = [
      read(40, 2, 0, 20_100, 30_000), // B's: fine although A's was acknowledged later
      read(40, 1, 900, 20_000, 30_000), // A's: fine
      read(40, 0, 40, 1_000, 30_000), // the fill: stale
      read(40, 0, 40, 1_000, 20_400), // the fill, scheduled before A's ack but after B's: stale
    ];
    expect(staleReads({ ...journal, acks, reads })).toEqual({ stale: 2, corrupt: 0, checked: 4 });
  });
});

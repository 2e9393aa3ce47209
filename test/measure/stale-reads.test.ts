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

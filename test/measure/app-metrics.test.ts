import { describe, expect, it } from 'vitest';
import { clientGapMs, drainMs, firstAckOf, lastAckOf, lostRequests } from '../../src/measure/app-metrics.js';

const ms = 1e6;

describe('client-side metrics', () => {
  it('client gap is the longest silence in the window, edges included', () => {
    expect(clientGapMs([10 * ms, 20 * ms, 95 * ms, 100 * ms], 0, 110 * ms)).toBe(75);
    // Silence at the start and at the end of the window count.
    expect(clientGapMs([80 * ms], 0, 100 * ms)).toBe(80);
    expect(clientGapMs([10 * ms], 0, 100 * ms)).toBe(90);
    expect(clientGapMs([], 0, 50 * ms)).toBe(50);
    // Responses outside the window are ignored, order does not matter.
    expect(clientGapMs([300 * ms, 40 * ms, 20 * ms, -5 * ms], 0, 60 * ms)).toBe(20);
    expect(clientGapMs([1], 10, 10)).toBeNaN();
  });

  it('lost requests are acknowledged ids missing on the destination', () => {
    const acks = [0, 1, 2, 3, 4].map((id) => ({ id, epoch: id < 3 ? 1 : 2, tNs: id }));
    expect(lostRequests(acks, new Map([[0, 1], [1, 1], [2, 1], [3, 2], [4, 2]]))).toEqual({ lost: 0, sample: [] });
    expect(lostRequests(acks, new Set([0, 3]))).toEqual({ lost: 3, sample: [1, 2, 4] });
  });

  it('first and last responses per service epoch', () => {
    const acks = [
      { id: 0, epoch: 1, tNs: 5 },
      { id: 1, epoch: 2, tNs: 9 },
      { id: 2, epoch: 1, tNs: 7 },
      { id: 3, epoch: 2, tNs: 8 },
    ];
    expect(lastAckOf(acks, 1)).toBe(7);
    expect(firstAckOf(acks, 2)).toBe(8);
    expect(lastAckOf(acks, 3)).toBeUndefined();
  });

  it('drain time runs from the first start to the last release', () => {
    expect(drainMs([{ startNs: 10 * ms, releasedNs: 50 * ms }, { startNs: 20 * ms, releasedNs: 90 * ms }, { startNs: 5 * ms, releasedNs: 30 * ms }])).toBe(85);
    expect(drainMs([{ startNs: 10 * ms }])).toBeNaN();
  });
});

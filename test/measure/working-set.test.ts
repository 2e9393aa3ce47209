import { describe, expect, it } from 'vitest';
import { distinctBlocks, hotBlocks, workingSetSeries } from '../../src/measure/working-set.js';

const ack = (index: number, ackNs: number) => ({ index, ackNs });

describe('working set', () => {
  const acks = [ack(1, 0), ack(1, 5), ack(2, 10), ack(3, 20), ack(1, 25), ack(4, 30), ack(2, 35), ack(5, 45)];

  it('counts distinct blocks in a half-open span', () => {
    expect(distinctBlocks(acks, 0, 50)).toBe(5);
    expect(distinctBlocks(acks, 10, 30)).toBe(3); // 2, 3, 1
    expect(distinctBlocks(acks, 50, 60)).toBe(0);
  });

  it('the fewest blocks that took a share of the writes', () => {
    // Counts: block 1 ×3, block 2 ×2, blocks 3, 4, 5 ×1 (8 writes).
    expect(hotBlocks(acks, 0, 50, 0.5)).toBe(2); // 3 + 2 ≥ 4
    expect(hotBlocks(acks, 0, 50, 0.9)).toBe(5); // 3 + 2 + 1 + 1 = 7 < 7.2
    expect(hotBlocks(acks, 0, 50, 0.3)).toBe(1);
    expect(hotBlocks([], 0, 50, 0.9)).toBe(0);
  });

  it('per window: distinct blocks, and the cumulative set from the migration start', () => {
    // Windows of 10 from 0; the migration starts at 20.
    const s = workingSetSeries(acks, 0, 10, 5, 20);
    expect(s.distinct).toEqual([1, 1, 2, 2, 1]);
    expect(s.cumulative).toEqual([undefined, undefined, 2, 4, 5]); // {3,1}, +{4,2}, +{5}
  });

  it('a window straddling the migration start counts only its acks from the start on', () => {
    const s = workingSetSeries(acks, 0, 10, 5, 25);
    expect(s.cumulative).toEqual([undefined, undefined, 1, 3, 4]); // {1}, +{4,2}, +{5}
  });
});

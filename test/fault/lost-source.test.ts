import { describe, expect, it } from 'vitest';
import { classifySourceLoss } from '../../src/fault/lost-source.js';

describe('a strategy failing after its source was lost for good', () => {
  const base = { sourceLost: true, aborted: false, progress: 0.25, sizeBytes: 64 * 2 ** 20, error: new Error('nbdcopy: Connection reset by peer') };

  it('is a result: the part the copy had not reached is unavailable', () => {
    expect(classifySourceLoss(base)).toEqual({ unavailableBytes: 48 * 2 ** 20, why: 'nbdcopy: Connection reset by peer' });
    expect(classifySourceLoss({ ...base, progress: 1.2 })!.unavailableBytes).toBe(0);
    // What B's device holds, when it is more than the reported progress.
    expect(classifySourceLoss({ ...base, progress: 0, presentBytes: 40 * 2 ** 20 })!.unavailableBytes).toBe(24 * 2 ** 20);
    expect(classifySourceLoss({ ...base, presentBytes: 2 ** 30 })!.unavailableBytes).toBe(0);
    expect(classifySourceLoss({ ...base, progress: -1, error: 'gone' })).toEqual({ unavailableBytes: 64 * 2 ** 20, why: 'gone' });
  });

  it('is an error when no source was lost, or the repetition was aborted', () => {
    expect(classifySourceLoss({ ...base, sourceLost: false })).toBeUndefined();
    expect(classifySourceLoss({ ...base, aborted: true })).toBeUndefined();
  });
});

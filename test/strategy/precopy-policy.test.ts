import { describe, expect, it } from 'vitest';
import { nextStep } from '../../src/strategy/precopy-policy.js';

const MiB = 2 ** 20;
const base = { maxRounds: 8, convergeBytes: 4 * MiB };

describe('pre-copy iteration rule', () => {
  it('converges once the dirty set is at most --converge-bytes', () => {
    expect(nextStep({ ...base, dirty: 4 * MiB, lastCopied: 128 * MiB, rounds: 1 })).toBe('converged');
    expect(nextStep({ ...base, dirty: 0, lastCopied: 128 * MiB, rounds: 8 })).toBe('converged');
  });

  it('keeps iterating while rounds shrink the set', () => {
    expect(nextStep({ ...base, dirty: 20 * MiB, lastCopied: 128 * MiB, rounds: 1 })).toBe('continue');
  });

  it('stops at --max-rounds', () => {
    expect(nextStep({ ...base, dirty: 20 * MiB, lastCopied: 40 * MiB, rounds: 8 })).toBe('max-rounds');
  });

  it('stops when a round does not shrink the set (writes outpace the link)', () => {
    expect(nextStep({ ...base, dirty: 40 * MiB, lastCopied: 40 * MiB, rounds: 2 })).toBe('stalled');
    expect(nextStep({ ...base, dirty: 50 * MiB, lastCopied: 40 * MiB, rounds: 2 })).toBe('stalled');
  });
});

import { describe, expect, it } from 'vitest';
import { bootstrapCI, medianCI, relativeChangeCI } from '../../src/analysis/bootstrap.js';

describe('bootstrap', () => {
  it('the median CI contains the median and lies within the sample range', () => {
    const xs = [10, 12, 11, 13, 9, 30, 11, 12];
    const ci = medianCI(xs);
    expect(ci.estimate).toBe(11.5);
    expect(ci.lower).toBeLessThanOrEqual(ci.estimate);
    expect(ci.upper).toBeGreaterThanOrEqual(ci.estimate);
    expect(ci.lower).toBeGreaterThanOrEqual(9);
    expect(ci.upper).toBeLessThanOrEqual(30);
  });

  it('is deterministic for a seed and changes with it', () => {
    const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 11);
    expect(medianCI(xs)).toEqual(medianCI(xs));
    const a = bootstrapCI(xs, (s) => s.reduce((p, x) => p + x, 0) / s.length, { seed: 1 });
    const b = bootstrapCI(xs, (s) => s.reduce((p, x) => p + x, 0) / s.length, { seed: 2 });
    expect(a.estimate).toBe(b.estimate);
    expect([a.lower, a.upper]).not.toEqual([b.lower, b.upper]);
  });

  it('narrows as the sample grows (the interval is about the statistic, not the data spread)', () => {
    const noisy = (n: number) => Array.from({ length: n }, (_, i) => 100 + ((i * 7919) % 21) - 10);
    const small = medianCI(noisy(5));
    const large = medianCI(noisy(200));
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
  });

  it('degenerate samples', () => {
    expect(medianCI([]).estimate).toBeNaN();
    expect(medianCI([5])).toEqual({ estimate: 5, lower: 5, upper: 5 });
    expect(medianCI([3, 3, 3])).toEqual({ estimate: 3, lower: 3, upper: 3 });
  });

  it('relative change: identical samples straddle 0, a tripled sample is +200 % with a CI above 0', () => {
    const base = [800, 820, 790, 860, 805];
    const same = relativeChangeCI(base, base);
    expect(same.estimate).toBe(0);
    expect(same.lower).toBeLessThanOrEqual(0);
    expect(same.upper).toBeGreaterThanOrEqual(0);
    const tripled = relativeChangeCI(base, base.map((x) => 3 * x));
    expect(tripled.estimate).toBeCloseTo(2, 10);
    expect(tripled.lower).toBeGreaterThan(1.5);
  });

  it('relative change from a zero base', () => {
    expect(relativeChangeCI([0, 0], [0, 0]).estimate).toBe(0);
    expect(relativeChangeCI([0, 0], [5, 5]).estimate).toBe(Infinity);
    expect(relativeChangeCI([], [1]).estimate).toBeNaN();
  });
});

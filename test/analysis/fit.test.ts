import { describe, expect, it } from 'vitest';
import { fitByStrategy, fitPoints, predictionSe } from '../../src/analysis/fit.js';
import { row } from '../support/result-rows.js';

describe('fit', () => {
  it('recovers an exact line with r² = 1', () => {
    const f = fitPoints([[1, 12], [2, 14], [4, 18]], { strategy: 's', metric: 'm', x: 'x' })!;
    expect(f.slope).toBeCloseTo(2, 10);
    expect(f.intercept).toBeCloseTo(10, 10);
    expect(f.r2).toBeCloseTo(1, 10);
    expect(f.residualSd).toBeCloseTo(0, 10);
  });

  it('x that does not vary: the mean, r² undefined', () => {
    const f = fitPoints([[1, 4], [1, 6]], { strategy: 's', metric: 'm', x: 'x' })!;
    expect(f.slope).toBe(0);
    expect(f.intercept).toBe(5);
    expect(f.r2).toBeNaN();
  });

  it('the prediction error grows away from the data', () => {
    const f = fitPoints([[1, 12], [2, 15], [3, 15], [4, 19]], { strategy: 's', metric: 'm', x: 'x' })!;
    expect(predictionSe(f, 40)).toBeGreaterThan(predictionSe(f, 2.5));
  });

  it('per strategy, skipping failed rows', () => {
    const rows = [row({ strategy: 'a', size_bytes: 1, interruption_ms: 1 }), row({ strategy: 'a', size_bytes: 2, interruption_ms: 2 }), row({ strategy: 'a', size_bytes: 3, interruption_ms: 99, status: 'failed' }), row({ strategy: 'b', size_bytes: 1, interruption_ms: 5 })];
    const fits = fitByStrategy(rows, 'interruption_ms', 'size_bytes');
    expect(fits.map((f) => [f.strategy, f.n])).toEqual([['a', 2], ['b', 1]]);
    expect(fits[0]!.slope).toBeCloseTo(1, 10);
  });
});

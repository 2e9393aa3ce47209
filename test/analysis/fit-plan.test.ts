import { describe, expect, it } from 'vitest';
import { fitByStrategy, fitPoints, predictionSe } from '../../src/analysis/fit.js';
import { plan, planTable, transferSeconds } from '../../src/analysis/plan.js';
import { row } from '../support/result-rows.js';

const MiB = 2 ** 20;

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

describe('plan', () => {
  // kill-copy-boot: interruption = 100 ms + 1000 × transfer_s; async-clone: constant 130 ms.
  const link = 8e8; // measured 80 % of the asked 1 Gbit/s
  const rows = [32, 64, 128].flatMap((mib) => {
    const x = transferSeconds(mib * MiB, link, 1);
    return [
      row({ strategy: 'kill-copy-boot', size_bytes: mib * MiB, link_bps: 1e9, link_measured_bps: link, interruption_ms: 100 + 1000 * x, migration_ms: 50 + 1000 * x }),
      row({ strategy: 'async-clone', size_bytes: mib * MiB, link_bps: 1e9, link_measured_bps: link, interruption_ms: 130, migration_ms: 200 + 1000 * x }),
    ];
  });

  it('predicts from transfer time over the measured share of the link, with the drain in waves', () => {
    const p = plan(rows, { sizeBytes: 256 * MiB, linkBps: 1e9, volumes: 10, concurrency: 2 });
    expect(p.linkEfficiency).toBeCloseTo(0.8, 10);
    const x = transferSeconds(256 * MiB, 0.8e9, 2);
    const kcb = p.strategies.find((s) => s.strategy === 'kill-copy-boot')!;
    expect(kcb.x).toBeCloseTo(x, 10);
    expect(kcb.interruption.value).toBeCloseTo(100 + 1000 * x, 6);
    expect(kcb.drain.value).toBeCloseTo((50 + 1000 * x) * 5, 6);
    expect(kcb.fits.interruption.r2).toBeCloseTo(1, 10);
    const clone = p.strategies.find((s) => s.strategy === 'async-clone')!;
    expect(clone.interruption.value).toBeCloseTo(130, 6);
    expect(kcb.warnings.join()).toMatch(/extrapolating/); // 256 MiB at half the link = 8× the largest measured transfer
  });

  it('no warning inside the measured range; write rate far outside it is named', () => {
    const p = plan(rows, { sizeBytes: 64 * MiB, linkBps: 1e9, volumes: 1, concurrency: 1, writeRateBps: 64e7 });
    expect(p.strategies.flatMap((s) => s.warnings)).toEqual([]);
    expect(p.warnings.join()).toMatch(/write rate/);
    expect(planTable(p)).toMatch(/kill-copy-boot .* 1\.00 /);
  });
});

describe('plan with drains', () => {
  it('rows of one drain (a volume column) count as concurrent: each had its share of the link', () => {
    const rows = [1, 2].flatMap((v) => [
      row({ strategy: 'kill-copy-boot', volume: v, size_bytes: 64 * MiB, link_measured_bps: 1e9, interruption_ms: 1000 }),
      row({ strategy: 'kill-copy-boot', volume: v, rep: 2, size_bytes: 32 * MiB, link_measured_bps: 1e9, interruption_ms: 500 }),
    ]);
    const p = plan(rows, { sizeBytes: 64 * MiB, linkBps: 1e9, volumes: 2, concurrency: 2 });
    const f = p.strategies[0]!.fits.interruption;
    expect(f.xMax).toBeCloseTo(transferSeconds(64 * MiB, 1e9, 2), 10);
    expect(p.strategies[0]!.interruption.value).toBeCloseTo(1000, 6);
  });
});

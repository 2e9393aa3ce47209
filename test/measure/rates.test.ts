import { describe, expect, it } from 'vitest';
import { achievedRates, rateWarnings } from '../../src/measure/rates.js';

const ms = 1e6;
const BS = 4096;
/** `count` acks evenly from `fromMs` (inclusive) every `everyMs`. */
const acks = (fromMs: number, count: number, everyMs: number) => Array.from({ length: count }, (_, k) => ({ ackNs: (fromMs + k * everyMs) * ms }));
const reads = (fromMs: number, count: number, everyMs: number, latencyMs = 1) =>
  Array.from({ length: count }, (_, k) => ({ scheduledNs: (fromMs + k * everyMs) * ms, completedNs: (fromMs + k * everyMs + latencyMs) * ms }));
const W = { startNs: 2000 * ms, migrationEndNs: 3000 * ms, endNs: 5000 * ms };

describe('achievedRates', () => {
  it('cuts the acks at the migration start and end, per window', () => {
    // Baseline: 100 acks in 1 s from t=1000 ms; migration: 50 in its 1 s; after: 400 in 2 s.
    const all = [...acks(1000, 100, 10), ...acks(2000, 50, 20), ...acks(3000, 400, 5)];
    const r = achievedRates(all, [], BS, W);
    expect(r.writeBpsBaseline).toBeCloseTo(100 * BS * 8, 6);
    expect(r.writeBpsMigration).toBeCloseTo(50 * BS * 8, 6);
    expect(r.writeBpsAfter).toBeCloseTo(200 * BS * 8, 6);
    expect(r.readPerSBaseline).toBeUndefined();
  });

  it('counts the completed reads scheduled in the baseline, from the first scheduled one', () => {
    // 200/s from t=1500 ms, the last ones completing after the start; then 20 after the start.
    const r = achievedRates([], [...reads(1500, 100, 5, 30), ...reads(2000, 20, 5)], BS, W);
    expect(r.readPerSBaseline).toBeCloseTo(99 / 0.495, 6);
    expect(r.writeBpsBaseline).toBeUndefined();
  });

  it('does not count the gap between the probe stopping and the migration start as a shortfall', () => {
    // 200/s from t=1000 ms, the probe stopped 100 ms before the start: still 200/s.
    const r = achievedRates([], reads(1000, 180, 5), BS, W);
    expect(r.readPerSBaseline).toBeCloseTo(200, 6);
    // Half the reads skipped: 100/s.
    expect(achievedRates([], reads(1000, 90, 10), BS, W).readPerSBaseline).toBeCloseTo(100, 6);
  });

  it('leaves the after window empty when the migration ends at the end', () => {
    const r = achievedRates(acks(1000, 10, 100), [], BS, { ...W, migrationEndNs: W.endNs });
    expect(r.writeBpsAfter).toBeUndefined();
  });
});

describe('rateWarnings', () => {
  const got = (writeBpsBaseline: number | undefined, readPerSBaseline: number | undefined) => ({ writeBpsBaseline, writeBpsMigration: undefined, writeBpsAfter: undefined, readPerSBaseline });

  it('warns when the baseline delivered more than 5 % less than asked, for writes and reads', () => {
    const w = rateWarnings({ writeBps: 320e6, readPerS: 200 }, got(64e6, 150));
    expect(w).toEqual([
      'baseline write rate 8.00 MB/s is 80 % short of the 40.00 MB/s asked',
      'baseline read rate 150.0/s is 25 % short of the 200/s asked',
    ]);
    for (const entry of w) expect(entry).not.toContain(';');
  });

  it('stays quiet within 5 %, and when nothing was asked', () => {
    expect(rateWarnings({ writeBps: 100, readPerS: 200 }, got(95.1, 190.1))).toEqual([]);
    expect(rateWarnings({ writeBps: 0, readPerS: 0 }, got(undefined, undefined))).toEqual([]);
  });

  it('warns when nothing at all was delivered', () => {
    expect(rateWarnings({ writeBps: 8e6, readPerS: 0 }, got(undefined, undefined))).toHaveLength(1);
  });
});

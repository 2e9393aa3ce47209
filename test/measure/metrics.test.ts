import { describe, expect, it } from 'vitest';
import { interruption, migrationMetrics } from '../../src/measure/metrics.js';
import { median, percentileSorted, summarize } from '../../src/measure/percentiles.js';
import { Timeline } from '../../src/measure/timeline.js';
import type { ReadRecord } from '../../src/workload/records.js';

const ms = 1e6;
const read = (scheduledNs: number, latencyUs: number): ReadRecord => ({
  type: 2, state: 0, index: 0, epoch: 1, seq: 0, stampNs: 0, scheduledNs, completedNs: scheduledNs + latencyUs * 1e3,
});

describe('interruption', () => {
  it('is the gap between the last source ack and the first destination ack', () => {
    expect(interruption(100 * ms, 350 * ms)).toEqual({ interruption_ms: 250, split_brain_ms: 0 });
  });
  it('is 0 with the overlap reported as split brain when both acknowledged at once', () => {
    expect(interruption(900 * ms, 400 * ms)).toEqual({ interruption_ms: 0, split_brain_ms: 500 });
  });
});

describe('migrationMetrics', () => {
  it('derives migration, hydration and phase percentiles from the timeline', () => {
    const t = new Timeline();
    t.mark('start', 1000 * ms);
    t.mark('first_ack_dest', 1300 * ms);
    t.mark('hydration_done', 1800 * ms);
    t.mark('source_released', 1900 * ms);
    const source = [read(900 * ms, 50), read(950 * ms, 70), read(1100 * ms, 9999)];
    const dest = [read(1400 * ms, 600), read(1500 * ms, 800), read(1850 * ms, 100)];
    const m = migrationMetrics(t, 1050 * ms, 1300 * ms, source, dest);
    expect(m.interruption_ms).toBe(250);
    expect(m.migration_ms).toBe(900);
    expect(m.hydration_ms).toBe(500);
    expect(m.read.baseline).toMatchObject({ count: 2, p50: 50, max: 70 });
    expect(m.read.hydrating).toMatchObject({ count: 2, p50: 600, p99: 800 });
    expect(m.read.hydrated).toMatchObject({ count: 1, p50: 100 });
  });
});

describe('phases of reads', () => {
  const boot = () => {
    const t = new Timeline();
    t.mark('start', 1000 * ms);
    t.mark('first_ack_dest', 1300 * ms);
    return t;
  };
  // B's reads: two scheduled while it booted (before its first ack), two after.
  const dest = [read(1200 * ms, 5000), read(1250 * ms, 4000), read(1400 * ms, 90), read(1500 * ms, 110)];

  it('with no hydration (kill-copy-boot) there is no hydrating phase, and boot reads are in no phase', () => {
    const m = migrationMetrics(boot(), 1050 * ms, 1300 * ms, [], dest);
    expect(m.hydration_ms).toBe(0);
    expect(m.read.hydrating.count).toBe(0);
    expect(Number.isNaN(m.read.hydrating.p50)).toBe(true);
    expect(m.read.hydrated).toMatchObject({ count: 2, p50: 90, max: 110 });
  });

  it('a hydration that ended before boot is no hydration either', () => {
    const t = boot();
    t.mark('hydration_done', 1100 * ms);
    const m = migrationMetrics(t, 1050 * ms, 1300 * ms, [], dest);
    expect([m.hydration_ms, m.read.hydrating.count, m.read.hydrated.count]).toEqual([0, 0, 2]);
  });

  it('hydrating starts at the first ack, not at boot', () => {
    const t = boot();
    t.mark('hydration_done', 1450 * ms);
    const m = migrationMetrics(t, 1050 * ms, 1300 * ms, [], dest);
    expect(m.read.hydrating).toMatchObject({ count: 1, p50: 90 });
    expect(m.read.hydrated).toMatchObject({ count: 1, p50: 110 });
  });
});

describe('percentiles', () => {
  it('uses nearest rank: every figure is an observed value', () => {
    const xs = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentileSorted(xs, 0.5)).toBe(500);
    expect(percentileSorted(xs, 0.99)).toBe(990);
    expect(percentileSorted(xs, 0.999)).toBe(999);
    expect(summarize([3, 1, 2]).p50).toBe(2);
    expect(Number.isNaN(summarize([]).p50)).toBe(true);
  });
  it('median of an even list is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
  });
});

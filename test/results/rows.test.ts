import { describe, expect, it } from 'vitest';
import { emptyVerification } from '../../src/measure/verifier.js';
import { summarize } from '../../src/measure/percentiles.js';
import { Timeline } from '../../src/measure/timeline.js';
import type { RepetitionResult } from '../../src/results/repetition-result.js';
import { resultRow } from '../../src/results/rows.js';
import { DEFAULTS, validateScenario } from '../../src/scenario/scenario.js';
import { RecordType, type AckRecord } from '../../src/workload/records.js';

const ms = 1e6;
const start = 1e12;
const link = { measuredBps: 1e9, probeBytes: 1, requestRttMs: 0.1 };
// 40 MB/s asked, 200 reads/s asked, 4 KiB blocks.
const scenario = validateScenario({ ...DEFAULTS, strategy: 'precopy', writeRate: '40MB/s' }, (l) => l.split(','));

/** 1 s of baseline with `baselineAcks` acks and 200 reads, 1 s of migration, 1 s after. */
function result(baselineAcks: number, over: Partial<RepetitionResult> = {}): RepetitionResult {
  const t = new Timeline();
  t.mark('warmup_start', start - 1100 * ms);
  t.mark('start', start);
  t.mark('source_released', start + 1000 * ms);
  t.mark('end', start + 2000 * ms);
  const ack = (ns: number): AckRecord => ({ type: RecordType.Ack, index: 0, epoch: 1, seq: 0, stampNs: ns - 1000, ackNs: ns });
  const acks = [
    ...Array.from({ length: baselineAcks }, (_, k) => ack(start - 1000 * ms + (k * 1000 * ms) / baselineAcks)),
    ...Array.from({ length: 100 }, (_, k) => ack(start + k * 10 * ms)),
  ];
  const reads = Array.from({ length: 200 }, (_, k) => ({ scheduledNs: start - 1000 * ms + k * 5 * ms, completedNs: start - 1000 * ms + k * 5 * ms + 100_000 }));
  const none = summarize([]);
  return {
    strategy: 'precopy',
    rep: 1,
    status: 'ok',
    error: '',
    metrics: { interruption_ms: 1, split_brain_ms: 0, migration_ms: 1000, hydration_ms: 0, read: { baseline: none, hydrating: none, hydrated: none } },
    verification: emptyVerification(),
    staleReads: 0,
    corruptReads: 3,
    ackedWrites: acks.length,
    bytesOnWire: 0,
    copySeconds: undefined,
    backend: undefined,
    timeline: t,
    reads,
    acks,
    ...over,
  };
}

describe('runs.csv row: corrupt reads, delivered rates, warnings', () => {
  it('reports the rates delivered and warns when the baseline fell short of the asked write rate', () => {
    // 2442 acks of 4 KiB in 1 s ≈ 10 MB/s of the 40 MB/s asked.
    const row = resultRow('r', scenario, link, result(2442));
    expect(row.corrupt_reads).toBe(3);
    expect(Number(row.write_rate_achieved_bps_baseline)).toBeCloseTo(2442 * 4096 * 8, -3);
    expect(Number(row.write_rate_achieved_bps_migration)).toBeCloseTo(100 * 4096 * 8, -3);
    expect(row.write_rate_achieved_bps_after).toBe(0);
    expect(row.read_rate_achieved_per_s).toBe(200);
    expect(row.warnings).toBe('baseline write rate 10.00 MB/s is 75 % short of the 40.00 MB/s asked');
  });

  it('has no warning when the baseline delivered what was asked', () => {
    const row = resultRow('r', scenario, link, result(9766));
    expect(row.warnings).toBe('');
  });

  it('leaves corrupt_reads blank where no read was checked', () => {
    const row = resultRow('r', scenario, link, result(9766, { corruptReads: undefined }));
    expect(row.corrupt_reads).toBe('');
  });
});

describe('runs.csv row: when things happened', () => {
  it('records kill, boot and hydration done in ms from the migration start', () => {
    const r = result(9766);
    r.timeline.mark('kill_start', start + 10.25 * ms);
    r.timeline.mark('boot_start', start + 2400 * ms);
    r.timeline.mark('hydration_done', start + 2450.5 * ms);
    const row = resultRow('r', scenario, link, r);
    expect([row.kill_at_ms, row.boot_at_ms, row.hydration_done_at_ms]).toEqual([10.25, 2400, 2450.5]);
  });

  it('leaves a mark the repetition does not have empty', () => {
    const row = resultRow('r', scenario, link, result(9766));
    expect([row.kill_at_ms, row.boot_at_ms, row.hydration_done_at_ms]).toEqual(['', '', '']);
  });
});

describe('runs.csv row: access patterns and the working set', () => {
  it('records the patterns, the distinct blocks written during the migration and the 90 % hot blocks', () => {
    const s = validateScenario({ ...DEFAULTS, strategy: 'precopy', writePattern: 'hotset:0.05/0.95', readPattern: 'zipf:1' }, (l) => l.split(','));
    const a = (index: number, atMs: number): AckRecord => ({ type: RecordType.Ack, index, epoch: 1, seq: 0, stampNs: 0, ackNs: start + atMs * ms });
    // Baseline and after-release acks do not count; in the migration block 1 takes 18 of 20 writes.
    const acks = [a(50, -10), ...Array.from({ length: 18 }, (_, k) => a(1, k)), a(2, 500), a(3, 600), a(60, 1500)];
    const row = resultRow('r', s, link, result(0, { acks }));
    expect(row).toMatchObject({ write_pattern: 'hotset:0.05/0.95', read_pattern: 'zipf:1', distinct_blocks_written_migration: 3, hot_blocks_90pct_migration: 1 });
    expect(resultRow('r', scenario, link, result(0, { app: { clientGapMs: 0, errors: 0, timeouts: 0, lostRequests: 0, lostSample: [], corruptSlots: 0 } })).distinct_blocks_written_migration).toBe('');
  });
});

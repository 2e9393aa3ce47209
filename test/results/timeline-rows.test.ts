import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/measure/timeline.js';
import { TIMELINE_COLUMNS } from '../../src/results/columns.js';
import type { RepetitionResult } from '../../src/results/repetition-result.js';
import { timelineRows } from '../../src/results/timeline-rows.js';
import { RecordType, type AckRecord } from '../../src/workload/records.js';

const ms = 1e6;
const t0 = 1e12;
const start = t0 + 500 * ms;

/** A repetition: 500 ms of baseline, 1 s from the start to the end, 250 ms windows. */
function repetition(over: Partial<RepetitionResult> = {}): RepetitionResult {
  const timeline = new Timeline();
  timeline.mark('warmup_start', t0);
  timeline.mark('start', start);
  timeline.mark('end', start + 1000 * ms);
  // Sent bytes and progress: two samples in [0, 250) ms, none in [250, 500), one in [500, 750).
  timeline.samples.push({ tNs: start + 100 * ms, txBytes: 1000, hydrated: 0.1 }, { tNs: start + 200 * ms, txBytes: 3000, hydrated: 0.2 }, { tNs: start + 600 * ms, txBytes: 6000, hydrated: 0.6 });
  const read = (atMs: number, us: number, state = 1) => ({ scheduledNs: start + atMs * ms, completedNs: start + atMs * ms + us * 1e3, state });
  const ack = (atMs: number): AckRecord => ({ type: RecordType.Ack, index: 0, epoch: 1, seq: 0, stampNs: 0, ackNs: start + atMs * ms });
  return {
    strategy: 'async-clone',
    rep: 2,
    timeline,
    // One read before the warm-up (outside every window), three in [0, 250) ms, one of them corrupt.
    reads: [read(-600, 5), read(10, 300), read(20, 100, 2), read(30, 200)],
    acks: [ack(-490), ack(-240), ack(900), ack(1200)],
    ...over,
  } as unknown as RepetitionResult;
}

describe('timelineRows', () => {
  it('one row per window from the warm-up to the end, every column, t_ms from the start', () => {
    const rows = timelineRows('r1', repetition(), 250);
    expect(rows.map((r) => r.t_ms)).toEqual([-500, -250, 0, 250, 500, 750]);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual([...TIMELINE_COLUMNS].sort());
    expect(rows.every((r) => r.run_id === 'r1' && r.strategy === 'async-clone' && r.rep === 2 && r.sweep_point === '' && r.volume === '')).toBe(true);
  });

  it('read percentiles and corrupt reads per window, from the reads scheduled in it', () => {
    const rows = timelineRows('r1', repetition(), 250);
    expect(rows.map((r) => r.reads)).toEqual([0, 0, 3, 0, 0, 0]);
    expect(rows[2]).toMatchObject({ read_p50_us: 200, read_p99_us: 300, corrupt_reads: 1 });
    expect(rows[0]).toMatchObject({ read_p50_us: '', read_p99_us: '', corrupt_reads: 0 });
  });

  it('write acks per window; acks after the end are dropped', () => {
    expect(timelineRows('r1', repetition(), 250).map((r) => r.write_acks)).toEqual([1, 1, 0, 0, 0, 1]);
  });

  it('the working set: distinct blocks per window, and cumulative from the migration start (blank before it)', () => {
    const a = (index: number, atMs: number): AckRecord => ({ type: RecordType.Ack, index, epoch: 1, seq: 0, stampNs: 0, ackNs: start + atMs * ms });
    const acks = [a(7, -400), a(7, -300), a(8, -100), a(7, 10), a(9, 20), a(9, 30), a(7, 300), a(5, 600), a(9, 700)];
    const rows = timelineRows('r1', repetition({ acks }), 250);
    expect(rows.map((r) => r.distinct_blocks_written)).toEqual([1, 1, 2, 1, 2, 0]);
    expect(rows.map((r) => r.working_set_blocks)).toEqual(['', '', 2, 2, 3, 3]);
    // The HTTP workload's acks are requests: no working set.
    const http = timelineRows('r1', repetition({ acks, app: {} as never }), 250);
    expect(http.every((r) => r.distinct_blocks_written === '' && r.working_set_blocks === '')).toBe(true);
  });

  it('wire bytes are the counter difference within a window; the hydrated fraction carries over', () => {
    const rows = timelineRows('r1', repetition(), 250);
    expect(rows.map((r) => r.wire_bytes)).toEqual(['', '', 2000, '', 3000, '']);
    expect(rows.map((r) => r.hydrated_fraction)).toEqual(['', '', 0.2, 0.2, 0.6, 0.6]);
  });

  it('pre-copy: the first pass started in a window and the dirty bytes of all of them', () => {
    const pass = (round: number | 'final', atMs: number, dirtyBytes: number) => ({ round, startNs: start + atMs * ms, listedNs: 0, doneNs: 0, dirtyBytes, copiedBytes: 0 });
    const precopy = { rounds: 2, converged: true, tracking: 'qemu', finalDeltaBytes: 100, passes: [pass(0, 50, 4096), pass('final', 300, 100), pass(1, 310, 50)] };
    const rows = timelineRows('r1', repetition({ precopy }), 250);
    expect(rows.map((r) => [r.precopy_round, r.dirty_bytes])).toEqual([['', ''], ['', ''], [0, 4096], ['final', 150], ['', ''], ['', '']]);
  });

  it('a drain volume is named on every window; no warm-up mark starts at the start', () => {
    const r = repetition({ volume: 3 });
    const rows = timelineRows('r1', r, 500);
    expect(rows.map((w) => w.volume)).toEqual([3, 3, 3]);
    const noWarmup = new Timeline();
    noWarmup.mark('start', start);
    noWarmup.mark('end', start + 500 * ms);
    expect(timelineRows('r1', { ...r, timeline: noWarmup }, 250).map((w) => w.t_ms)).toEqual([0, 250]);
  });
});

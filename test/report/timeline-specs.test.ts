import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/results/read-results.js';
import { reportedProgressIsReal, strategyTimelineSpec, timeMarks, timelineData } from '../../src/report/timeline-specs.js';
import { DEFAULT_RUN } from './support.js';

const { runs, timeline } = readResults(DEFAULT_RUN);
const of = (strategy: string, rep: string) => timeline.filter((r) => r.strategy === strategy && r.rep === rep);
const MiB256 = 256 * 2 ** 20;

describe('timeline small multiples', () => {
  it("recognises nbdcopy's 0 → 0.5 → 1 as no progress signal, and a clone's or mirror's fraction as one", () => {
    expect(reportedProgressIsReal(of('kill-copy-boot', '1'))).toBe(false);
    expect(reportedProgressIsReal(of('backup-restore', '1'))).toBe(false);
    expect(reportedProgressIsReal(of('async-clone', '1'))).toBe(true);
    expect(reportedProgressIsReal(of('mirror', '2'))).toBe(true);
  });

  it("draws a copy's progress from bytes on the wire: rising through the copy, no 0.5 plateau", () => {
    const d = timelineData(of('kill-copy-boot', '1'), MiB256, 250);
    expect(d.progress.every((p) => p.series === 'sent A→B / volume size')).toBe(true);
    const during = d.progress.filter((p) => (p.t_s as number) > 0.4 && (p.t_s as number) < 2.2).map((p) => p.fraction as number);
    expect(during.length).toBeGreaterThan(4);
    for (let i = 1; i < during.length; i++) expect(during[i]!).toBeGreaterThan(during[i - 1]!);
    expect(during.filter((f) => f === 0.5)).toEqual([]);
    expect(d.progress.at(-1)!.fraction as number).toBeCloseTo(1, 1);
  });

  it('leaves windows without reads as gaps and shades windows without writes only between writes', () => {
    const d = timelineData(of('kill-copy-boot', '1'), MiB256, 250);
    expect(d.reads.filter((r) => r.ms === null).length).toBeGreaterThan(0);
    // kill-copy-boot rep 1: no acknowledged write from t = 0 until B is up, ~2.4 s later.
    expect(d.stalls[0]!.t_s).toBe(0);
    expect(d.stalls.length).toBeGreaterThanOrEqual(8);
    expect(Math.max(...d.stalls.map((s) => s.t2_s as number))).toBeLessThan(3);
  });

  it('converts units: acked writes per second, link rate in Gbit/s near the shaped 1 Gbit/s', () => {
    const d = timelineData(of('kill-copy-boot', '1'), MiB256, 250);
    expect(d.acks.find((a) => a.t_s === -1.875)!.per_s).toBe(477 * 4);
    const mid = d.wire.filter((w) => (w.t_s as number) >= 0.5 && (w.t_s as number) <= 2).map((w) => w.gbps as number);
    for (const g of mid) expect(g).toBeGreaterThan(0.3), expect(g).toBeLessThan(1.3);
  });

  it('marks hydration done at the first sample at 1 and the source released at migration_ms', () => {
    const run = runs.find((r) => r.strategy === 'kill-copy-boot' && r.rep === '1');
    expect(timeMarks(run, of('kill-copy-boot', '1'))).toEqual([
      { rep: '1', mark: 'hydration done', t_s: 2.5 },
      { rep: '1', mark: 'source released', t_s: 2.315502 },
    ]);
    const exact = { ...run!, kill_at_ms: '10', boot_at_ms: '2400', hydration_done_at_ms: '2450' };
    expect(timeMarks(exact, of('kill-copy-boot', '1')).map((m) => [m.mark, m.t_s])).toEqual([
      ['kill', 0.01],
      ['boot', 2.4],
      ['hydration done', 2.45],
      ['source released', 2.315502],
    ]);
  });

  it('one spec per strategy holds all its repetitions and compiles', () => {
    const spec = strategyTimelineSpec(timeline, runs, 'precopy');
    const reps = new Set((spec as unknown as { vconcat: { layer: { data: { values: { rep: string }[] } }[] }[] }).vconcat[3]!.layer[0]!.data.values.map((v) => v.rep));
    expect(reps).toEqual(new Set(['1', '2']));
    expect(() => compile(spec)).not.toThrow();
  });
});

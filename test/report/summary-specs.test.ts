import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/results/read-results.js';
import { labelSides, latencyByPhaseSpec, latencyData, tradeoffData, tradeoffSpec } from '../../src/report/summary-specs.js';
import { DEFAULT_RUN } from './support.js';

const { runs } = readResults(DEFAULT_RUN);

describe('run-level plots', () => {
  it('latency by phase: p50, p99 and p99.9 of every successful repetition in ms, p99.9 where recorded', () => {
    const d = latencyData(runs);
    const kcb1 = d.filter((x) => x.strategy === 'kill-copy-boot' && x.rep === '1');
    expect(kcb1.find((x) => x.phase.toString().startsWith('baseline') && x.percentile === 'p99.9')!.ms).toBeCloseTo(7.7785, 6);
    expect(kcb1.filter((x) => x.phase.toString().startsWith('hydrated')).map((x) => x.percentile)).toEqual(['p50', 'p99']);
    expect(d.some((x) => x.strategy === 'precopy' && x.rep === '3')).toBe(false);
    expect(JSON.stringify(latencyByPhaseSpec(runs))).toContain('read latency (ms, log)');
    expect(() => compile(latencyByPhaseSpec(runs))).not.toThrow();
  });

  it('trade-off: medians in ms, MiB and s, split brain marked', () => {
    const t = tradeoffData(runs);
    expect(t).toHaveLength(10);
    const bck = t.find((x) => x.strategy === 'boot-copy-kill')!;
    expect(bck.split_brain).toBe('split brain');
    expect(bck.lost_mib as number).toBeCloseTo(19152896 / 2 ** 20, 6);
    expect(t.find((x) => x.strategy === 'async-clone')!.exposure_s).toBeCloseTo(3.358671, 6);
    expect(() => compile(tradeoffSpec(runs))).not.toThrow();
  });

  it('puts the label of a close neighbour below its point', () => {
    const s = labelSides([
      { interruption_ms: 465, lost_mib: 0 },
      { interruption_ms: 476, lost_mib: 0 },
      { interruption_ms: 3000, lost_mib: 0 },
    ]);
    expect(s.map((p) => p.below)).toEqual([false, true, false]);
  });
});

describe('scenario facts', () => {
  it('gives the date in UTC with the run time', async () => {
    const { when } = await import('../../src/report/scenario-facts.js');
    expect(when('2026-11-30T13:00:07.109Z', '2026-11-30T13:05:27.027Z')).toBe('2026-11-30 13:00:07 UTC, took 5 min 20 s');
    expect(when('2026-11-30T13:00:07.109Z', undefined)).toBe('2026-11-30 13:00:07 UTC, not finished');
    expect(when(undefined, undefined)).toBe('?');
  });
});

import { describe, expect, it } from 'vitest';
import { compareResults, compareRuns, DEFAULT_GATED, judge, LOSS_COLUMNS } from '../../src/analysis/compare.js';
import { expectsNoLoss } from '../../src/results/expectations.js';
import { reps } from '../support/result-rows.js';
import { defaultRun, inject, mapRows } from './compare-fixture.js';

const opts = { threshold: 0.1, gated: DEFAULT_GATED, expectsNoLoss };
const PRECOPY_FAILED = 'precopy: 1 of 3 repetitions failed';

describe('compare gates on the default run', () => {
  it('the run against itself: only its own failed precopy repetition', () => {
    const r = defaultRun();
    const c = compareResults(r, r, opts);
    expect(c.regressions).toEqual([PRECOPY_FAILED]);
    expect(c.environment).toEqual([]);
    expect(c.metrics.filter((m) => m.gated).every((m) => m.verdict === 'unchanged')).toBe(true);
  });

  it('a strategy present in the base and missing from the candidate is a regression', () => {
    const base = defaultRun();
    const cand = mapRows(base, (row) => (row.strategy === 'async-clone' ? null : row));
    const c = compareResults(base, cand, opts);
    expect(c.onlyInBase).toEqual(['async-clone']);
    expect(c.regressions).toContain('async-clone: in the base, missing from the candidate');
  });

  it('a sweep point present in the base and missing from the candidate is a regression', () => {
    const at = (point: string, xs: number[]) => reps('mirror', 'interruption_ms', xs, { sweep_point: point });
    const base = [...at('size=64MiB', [400, 410, 420]), ...at('size=256MiB', [450, 460, 470])];
    const cand = at('size=64MiB', [400, 410, 420]);
    const c = compareRuns(base, cand, opts);
    expect(c.regressions).toEqual(['mirror @ size=256MiB: in the base, missing from the candidate']);
  });

  for (const column of LOSS_COLUMNS) {
    it(`${column} > 0 in one repetition of a strategy that must lose nothing is a regression`, () => {
      const base = defaultRun();
      const cand = inject(base, 'mirror', column, '4096', '2');
      const c = compareResults(base, cand, { ...opts, threshold: 5 });
      expect(c.regressions).toContain(`mirror: ${column} > 0 in 1 of 3 repetitions (max 4096); this strategy must lose nothing`);
    });
  }

  it('diverged bytes and stale reads in a strategy expected to lose are not regressions by themselves', () => {
    const base = defaultRun();
    const cand = inject(inject(base, 'copy-boot-kill', 'diverged_bytes', '99999999'), 'copy-boot-kill', 'stale_reads', '999');
    expect(compareResults(base, cand, { ...opts, gated: [] }).regressions).toEqual([PRECOPY_FAILED]);
  });

  it('a new strategy in the candidate is still held to no loss', () => {
    const base = mapRows(defaultRun(), (row) => (row.strategy === 'mirror' ? null : row));
    const cand = inject(defaultRun(), 'mirror', 'stale_reads', '3', '1');
    const c = compareResults(base, cand, opts);
    expect(c.onlyInCandidate).toEqual(['mirror']);
    expect(c.regressions).toContain('mirror: stale_reads > 0 in 1 of 3 repetitions (max 3); this strategy must lose nothing');
  });
});

describe('verdicts', () => {
  it('+50 % with a CI spanning the threshold is inconclusive, not unchanged', () => {
    const base = [800, 1000, 1200];
    const cand = [1000, 1500, 2600];
    const { change, verdict } = judge('interruption_ms', base, cand, { threshold: 0.1 });
    expect(change.estimate).toBeCloseTo(0.5);
    expect(change.lower).toBeLessThan(0.1);
    expect(change.upper).toBeGreaterThan(0.1);
    expect(verdict).toBe('inconclusive');
    expect(compareRuns(reps('mirror', 'interruption_ms', base), reps('mirror', 'interruption_ms', cand), opts).regressions).toEqual([]);
  });

  it('a CI inside ±threshold is unchanged; wholly beyond it, regression or improvement', () => {
    expect(judge('interruption_ms', [1000, 1010, 990], [1020, 1030, 1010], { threshold: 0.1 }).verdict).toBe('unchanged');
    expect(judge('interruption_ms', [1000, 1010, 990], [1500, 1510, 1490], { threshold: 0.1 }).verdict).toBe('regression');
    expect(judge('interruption_ms', [1000, 1010, 990], [500, 510, 490], { threshold: 0.1 }).verdict).toBe('improvement');
    // Higher is better: a falling efficiency regresses.
    expect(judge('copy_efficiency', [0.9, 0.91, 0.89], [0.5, 0.52, 0.49], { threshold: 0.1 }).verdict).toBe('regression');
  });

  it('the default run (3 noisy repetitions) with every interruption 50 % higher: inconclusive, never "unchanged"; tripled: a regression', () => {
    const base = defaultRun();
    const scaled = (k: number) => mapRows(base, (row) => (row.interruption_ms ? { ...row, interruption_ms: String(k * Number(row.interruption_ms)) } : row));
    const verdicts = (k: number) => compareResults(base, scaled(k), opts).metrics.filter((m) => m.metric === 'interruption_ms' && m.base.median > 0).map((m) => m.verdict);
    expect(new Set(verdicts(1.5))).toEqual(new Set(['inconclusive']));
    expect(compareResults(base, scaled(1.5), opts).regressions).toEqual([PRECOPY_FAILED]);
    expect(verdicts(3)).toContain('regression');
  });
});

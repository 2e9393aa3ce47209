import { describe, expect, it } from 'vitest';
import { toBmf } from '../../src/analysis/bmf.js';
import { compareRuns, DEFAULT_GATED, noiseFloor, type Comparison } from '../../src/analysis/compare.js';
import { compareMarkdown } from '../../src/analysis/compare-markdown.js';
import { reps, row } from '../support/result-rows.js';

const opts = { threshold: 0.1, gated: DEFAULT_GATED, expectsNoLoss: (s: string) => s === 'kill-copy-boot' || s === 'async-clone' };
const base = [
  ...reps('kill-copy-boot', 'interruption_ms', [860, 842, 901, 877, 850]),
  ...reps('copy-boot-kill', 'interruption_ms', [0, 0, 0, 0, 0], { lost_bytes: 2_000_000, split_brain_ms: 501 }),
];

/** A row comparison dressed as a results comparison (no provenance, same environment). */
const withRuns = (c: Comparison) => ({ ...c, base: { dir: 'A' }, candidate: { dir: 'B' }, environment: [] });

describe('compareRuns', () => {
  it('a run against itself: no regression, every change 0', () => {
    const c = compareRuns(base, base, opts);
    expect(c.regressions).toEqual([]);
    expect(c.metrics.filter((m) => m.metric === 'interruption_ms').map((m) => m.change.estimate)).toEqual([0, 0]);
    expect(c.onlyInBase).toEqual([]);
  });

  it('a tripled interruption is a regression naming strategy and metric', () => {
    const cand = base.map((r) => ({ ...r, interruption_ms: String(3 * Number(r.interruption_ms)) }));
    const c = compareRuns(base, cand, opts);
    expect(c.regressions).toHaveLength(1); // copy-boot-kill stays at 0 ms
    expect(c.regressions[0]).toMatch(/^kill-copy-boot: interruption_ms \+200\.0 %/);
  });

  it('noise within the threshold passes; a shift hidden in the noise passes; a clear shift fails', () => {
    const noisy = reps('kill-copy-boot', 'interruption_ms', [850, 930, 800, 990, 870]);
    const kcb = base.filter((r) => r.strategy === 'kill-copy-boot');
    expect(compareRuns(kcb, noisy, opts).regressions).toEqual([]);
    const faster = reps('kill-copy-boot', 'interruption_ms', [500, 510, 490, 505, 520]);
    const c = compareRuns(kcb, faster, opts);
    expect(c.regressions).toEqual([]);
    expect(c.metrics.find((m) => m.metric === 'interruption_ms')!.verdict).toBe('improvement');
    const slower = reps('kill-copy-boot', 'interruption_ms', [1000, 1010, 990, 1020, 1005]);
    expect(compareRuns(kcb, slower, opts).regressions).toHaveLength(1);
  });

  it('a higher-is-better metric regresses when it falls', () => {
    const b = reps('kill-copy-boot', 'copy_efficiency', [0.9, 0.91, 0.89, 0.9]);
    const c = reps('kill-copy-boot', 'copy_efficiency', [0.5, 0.52, 0.49, 0.5]);
    const r = compareRuns(b, c, { ...opts, gated: ['copy_efficiency'] });
    expect(r.regressions[0]).toMatch(/copy_efficiency/);
  });

  it('one lost byte in a strategy that must lose none is a regression, whatever the threshold', () => {
    const cand = base.map((r) => (r.strategy === 'kill-copy-boot' && r.rep === '3' ? { ...r, lost_bytes: '4096' } : r));
    const c = compareRuns(base, cand, { ...opts, threshold: 5 });
    expect(c.regressions).toEqual([expect.stringMatching(/^kill-copy-boot: lost_bytes > 0 in 1 of 5/)]);
  });

  it('loss in a strategy expected to lose is not a regression by itself', () => {
    const cand = base.map((r) => (r.strategy === 'copy-boot-kill' ? { ...r, lost_bytes: '2100000' } : r));
    expect(compareRuns(base, cand, opts).regressions).toEqual([]);
  });

  it('failed repetitions in the candidate are regressions', () => {
    const cand = base.map((r) => (r.rep === '1' && r.strategy === 'kill-copy-boot' ? { ...r, status: 'failed', interruption_ms: '' } : r));
    expect(compareRuns(base, cand, opts).regressions).toEqual(['kill-copy-boot: 1 of 5 repetitions failed']);
  });

  it('groups match on strategy and scenario; a base group run under another scenario is missing, and says why', () => {
    const cand = [...reps('kill-copy-boot', 'interruption_ms', [860], { size_bytes: 2 ** 30 }), ...base.filter((r) => r.strategy === 'copy-boot-kill')];
    const c = compareRuns(base, cand, opts);
    expect(c.onlyInBase).toEqual(['kill-copy-boot']);
    expect(c.onlyInCandidate).toEqual(['kill-copy-boot']);
    expect(new Set(c.metrics.map((m) => m.strategy))).toEqual(new Set(['copy-boot-kill']));
    expect(c.regressions).toEqual([`kill-copy-boot: in the base, missing from the candidate (which ran it with size_bytes ${64 * 2 ** 20} → ${2 ** 30})`]);
  });

  it('new metric columns are compared without code changes', () => {
    const b = base.map((r) => ({ ...r, precopy_rounds: '3' }));
    const c = compareRuns(b, b, opts);
    expect(c.metrics.some((m) => m.metric === 'precopy_rounds' && !m.gated)).toBe(true);
  });

  it('a change below the noise floor is unchanged', () => {
    expect(noiseFloor('interruption_ms')).toBeGreaterThan(0);
    const b = reps('x', 'interruption_ms', [1, 1, 1]);
    const c = reps('x', 'interruption_ms', [3, 3, 3]);
    expect(compareRuns(b, c, opts).regressions).toEqual([]);
  });

  it('markdown names the verdict and the reasons', () => {
    const cand = base.map((r) => ({ ...r, interruption_ms: String(3 * Number(r.interruption_ms)) }));
    const md = compareMarkdown(withRuns(compareRuns(base, cand, opts)));
    expect(md).toMatch(/❌ 1 regression/);
    expect(md).toMatch(/\| kill-copy-boot \| interruption_ms \| 860 \(n=5\) \| 2580 \(n=5\) \| \+200\.0 %/);
    expect(compareMarkdown(withRuns(compareRuns(base, base, opts)))).toMatch(/✅ no regression/);
  });
});

describe('toBmf', () => {
  it('one benchmark per strategy and sweep point, the median with its interval per metric', () => {
    const rows = [...base, row({ strategy: 'async-clone', sweep_point: 'size=1GiB', interruption_ms: 130 })];
    const bmf = toBmf(rows);
    expect(Object.keys(bmf)).toEqual(['kill-copy-boot', 'copy-boot-kill', 'async-clone @ size=1GiB']);
    expect(bmf['kill-copy-boot']!.interruption_ms!.value).toBe(860);
    expect(bmf['kill-copy-boot']!.interruption_ms!.lower_value).toBeLessThanOrEqual(860);
    expect(bmf['async-clone @ size=1GiB']!.interruption_ms).toEqual({ value: 130 });
    expect(bmf['kill-copy-boot']!.size_bytes).toBeUndefined(); // parameters are not measures
  });
});

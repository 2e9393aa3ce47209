import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/analysis/compare.js';
import { CompareFileError, compareSummary, readCompareSummary } from '../../src/report/compare-summary.js';
import { reps } from '../support/result-rows.js';
import { testTempDir } from '../support/temp-dir.js';

describe('compare summary', () => {
  it("reads compareRuns' JSON: verdict, regressions, metric verdict counts, groups missing on one side", () => {
    const base = [...reps('kill-copy-boot', 'interruption_ms', [100, 101, 102]), ...reps('mirror', 'interruption_ms', [50, 51, 52])];
    const cand = reps('kill-copy-boot', 'interruption_ms', [300, 301, 302]);
    const c = compareRuns(base, cand, { threshold: 0.1, gated: ['interruption_ms'], expectsNoLoss: () => true, iterations: 200 });
    const s = compareSummary(JSON.parse(JSON.stringify(c)), 'c.json');
    expect(s.verdict).toBe('regression');
    expect(s.regressions.some((r) => r.includes('interruption_ms'))).toBe(true);
    expect(s.regressions.some((r) => r.startsWith('mirror: in the base, missing'))).toBe(true);
    expect(s.counts.regression).toBe(1);
    expect(s.onlyInBase).toEqual(['mirror']);
  });

  it("passes environment differences through: compare's records with both sides, or lines", () => {
    expect(compareSummary({ regressions: [], environment: ['kernel 6.1 → 6.8'] }).environment).toEqual(['kernel 6.1 → 6.8']);
    expect(compareSummary({ regressions: [], environment: [{ what: 'clone backend', base: 'dm-clone', candidate: 'qemu' }] }).environment).toEqual(['clone backend: dm-clone → qemu']);
  });

  it('refuses a file that is not compare JSON, keeping the cause', () => {
    const dir = testTempDir('cmp-');
    writeFileSync(join(dir, 'bad.json'), '{');
    writeFileSync(join(dir, 'other.json'), '{"a":1}');
    expect(() => readCompareSummary(join(dir, 'bad.json'))).toThrow(CompareFileError);
    expect(() => readCompareSummary(join(dir, 'other.json'))).toThrow(/no "regressions" list/);
    try {
      readCompareSummary(join(dir, 'bad.json'));
    } catch (err) {
      expect((err as Error).cause).toBeInstanceOf(SyntaxError);
    }
  });
});

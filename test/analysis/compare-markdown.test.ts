import { describe, expect, it } from 'vitest';
import { compareResults, DEFAULT_GATED } from '../../src/analysis/compare.js';
import { compareMarkdown } from '../../src/analysis/compare-markdown.js';
import { expectsNoLoss } from '../../src/results/expectations.js';
import { defaultRun, mapRows } from './compare-fixture.js';

const opts = { threshold: 0.1, gated: DEFAULT_GATED, expectsNoLoss };

describe('compareMarkdown on the default run', () => {
  it('the header shows both git revisions and start dates', () => {
    const base = defaultRun();
    const cand = defaultRun();
    cand.meta = { ...cand.meta, run_id: 'cand-run', git_revision: 'f00dfeedcafe0123456789', git_dirty: true, started_at: '2026-12-01T03:17:00.000Z' };
    const md = compareMarkdown(compareResults(base, cand, opts));
    expect(md).toContain('| run | `20261130-130004-ab474d` | `cand-run` |');
    expect(md).toContain('| git | `b8c61da38987` | `f00dfeedcafe` (dirty) |');
    expect(md).toContain('| started | 2026-11-30 13:00 UTC | 2026-12-01 03:17 UTC |');
  });

  it('environment differences come first, before the provenance and the verdicts', () => {
    const cand = defaultRun();
    cand.meta.host = { ...cand.meta.host!, kernel: '6.8.0' };
    const md = compareMarkdown(compareResults(defaultRun(), cand, opts));
    const env = md.indexOf('### ⚠️ The environment differs (1)');
    expect(env).toBeGreaterThan(0);
    expect(env).toBeLessThan(md.indexOf('| run |'));
    expect(env).toBeLessThan(md.indexOf('### Regressions'));
    expect(md).toContain('- kernel: `6.18.44-fc-v782` → `6.8.0`');
    expect(compareMarkdown(compareResults(defaultRun(), cand, opts), { strictEnv: true }).split('\n')[0]).toBe('## migbench compare: ⚠️ not judged: the environment differs');
  });

  it('unchanged rows fold into <details>; changed and inconclusive rows stay in the open table', () => {
    const base = defaultRun();
    const cand = mapRows(base, (row) => (row.strategy === 'kill-copy-boot' && row.interruption_ms ? { ...row, interruption_ms: String(3 * Number(row.interruption_ms)) } : row));
    cand.runs = mapRows(cand, (row) => (row.strategy === 'mirror' && row.interruption_ms ? { ...row, interruption_ms: String(1.5 * Number(row.interruption_ms)) } : row)).runs;
    const md = compareMarkdown(compareResults(base, cand, opts));
    const [open, folded] = md.split('<details>');
    expect(open).toMatch(/\| kill-copy-boot \| interruption_ms \|.*\| regression \|/);
    expect(open).toMatch(/\| mirror \| interruption_ms \|.*\| inconclusive \|/);
    expect(open).not.toMatch(/\| unchanged \|/);
    expect(folded).toMatch(/^<summary>\d+ unchanged gated metrics<\/summary>/);
    expect(folded).toMatch(/\| async-clone \| migration_ms \|.*\| unchanged \|/);
    expect(folded).toContain('</details>');
    expect(md.split('\n')[0]).toMatch(/❌ 2 regressions · \d+ inconclusive/); // kill-copy-boot and precopy's failed repetition
  });

  it('a missing strategy is listed as a regression', () => {
    const base = defaultRun();
    const md = compareMarkdown(compareResults(base, mapRows(base, (r) => (r.strategy === 'mirror' ? null : r)), opts));
    expect(md).toContain('- **mirror: in the base, missing from the candidate**');
  });
});

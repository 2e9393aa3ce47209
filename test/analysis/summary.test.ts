import { describe, expect, it } from 'vitest';
import { appSummaryColumns, summaryTable } from '../../src/analysis/summary.js';
import { RUN_COLUMNS, type RunRow } from '../../src/results/columns.js';

const blank = (): RunRow => Object.fromEntries(RUN_COLUMNS.map((c) => [c, ''])) as RunRow;
const row = (over: Partial<RunRow>): RunRow => ({ ...blank(), strategy: 'kill-copy-boot', status: 'ok', interruption_ms: 100, ...over });

describe('summary columns of the HTTP workload and drains', () => {
  it('appear only when the rows have them', () => {
    expect(appSummaryColumns([row({})])).toEqual([]);
    expect(appSummaryColumns([row({ client_gap_ms: 5, errors: 1, timeouts: 0, lost_requests: 0 })]).map(([c]) => c)).toEqual([
      'client_gap_ms',
      'errors',
      'timeouts',
      'lost_requests',
    ]);
    expect(appSummaryColumns([row({ drain_ms: 900 })]).map(([c]) => c)).toEqual(['drain_ms']);
  });

  it('reports the medians per strategy', () => {
    const t = summaryTable([
      row({ client_gap_ms: 10, lost_requests: 0, errors: 1, timeouts: 0 }),
      row({ client_gap_ms: 30, lost_requests: 0, errors: 3, timeouts: 0 }),
      row({ client_gap_ms: 20, lost_requests: 0, errors: 2, timeouts: 0 }),
    ]);
    const [header, , body] = t.split('\n');
    expect(header).toMatch(/client gap ms +errors +timeouts +lost req\.$/);
    expect(body).toMatch(/ 20 +2 +0 +0$/);
  });
});

describe('summary of rows whose workload fell short', () => {
  it('marks the strategy with ! and lists the warnings under the table', () => {
    const t = summaryTable([
      row({ strategy: 'precopy', rep: 1, warnings: 'baseline write rate 8.00 MB/s is 80 % short of the 40.00 MB/s asked' }),
      row({ strategy: 'precopy', rep: 2 }),
      row({ strategy: 'kill-copy-boot', rep: 1 }),
    ]);
    const lines = t.split('\n');
    expect(lines[2]).toMatch(/^precopy ! /);
    expect(lines[3]).toMatch(/^kill-copy-boot /);
    expect(lines.slice(4)).toEqual(['', '! the workload fell short of the scenario (runs.csv `warnings`):', '  precopy rep 1: baseline write rate 8.00 MB/s is 80 % short of the 40.00 MB/s asked']);
  });

  it('has no mark and no footnote when no row has warnings', () => {
    const t = summaryTable([row({})]);
    expect(t).not.toContain('!');
    expect(t.split('\n')).toHaveLength(3);
  });

  it('reports the median of corrupt reads', () => {
    const t = summaryTable([row({ corrupt_reads: 0 }), row({ corrupt_reads: 4 }), row({ corrupt_reads: 2 })]);
    const [header, , body] = t.split('\n');
    const col = header!.indexOf('corrupt reads');
    expect(col).toBeGreaterThan(0);
    expect(body!.slice(col, col + 'corrupt reads'.length).trim()).toBe('2');
  });
});

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

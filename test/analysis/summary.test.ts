import { describe, expect, it } from 'vitest';
import { appSummaryColumns, summaryTable, verdictWords } from '../../src/analysis/summary.js';
import { verdicts } from '../../src/analysis/verdict.js';
import { RUN_COLUMNS, type RunRow } from '../../src/results/columns.js';
import { readResults } from '../../src/results/read-results.js';

const blank = (): RunRow => Object.fromEntries(RUN_COLUMNS.map((c) => [c, ''])) as RunRow;
const row = (over: Partial<RunRow>): RunRow => ({ ...blank(), strategy: 'kill-copy-boot', status: 'ok', interruption_ms: 100, ...over });
const lines = (t: string): string[] => t.split('\n');
/** The table whose header line starts with `strategy` and contains `heading`: header, rule, body. */
function table(t: string, heading: string): string[] {
  const ls = lines(t);
  const at = ls.findIndex((l) => l.startsWith('strategy') && l.includes(heading));
  expect(at).toBeGreaterThanOrEqual(0);
  const end = ls.indexOf('', at);
  return ls.slice(at, end === -1 ? undefined : end);
}
/** The cell under `heading` in a table line (right-aligned columns). */
function cellUnder(t: string[], heading: string, bodyLine: number): string {
  const header = t[0]!;
  const end = header.indexOf(heading) + heading.length;
  const line = t[bodyLine]!;
  const start = line.lastIndexOf('  ', end - 1);
  return line.slice(start, end).trim();
}

describe('summary: median (min–max) in ms and MiB', () => {
  it('says what the cells are', () => {
    expect(lines(summaryTable([row({ rep: 1 }), row({ rep: 2 })]))[0]).toBe('median (min–max) over 2 repetitions of each strategy; times in ms, data in MiB');
    expect(lines(summaryTable([row({ rep: 1 }), row({ rep: 2, status: 'failed' })]))[0]).toContain('failed ones left out');
    expect(lines(summaryTable([row({ rep: 1, volume: 1 }), row({ rep: 1, volume: 2 })]))[0]).toMatch(/^median \(min–max\) over 2 migrated volumes \(drain volumes × repetitions\) of each strategy/);
  });

  it('shows the median and the spread in whole ms, and MiB for bytes', () => {
    const t = summaryTable([
      row({ interruption_ms: 2439.796, lost_bytes: 31399936 }),
      row({ interruption_ms: 2301.2, lost_bytes: 8 * 2 ** 20 }),
      row({ interruption_ms: 2512.04, lost_bytes: 10 * 2 ** 20 }),
    ]);
    expect(cellUnder(table(t, 'interruption ms'), 'interruption ms', 2)).toBe('2440 (2301–2512)');
    expect(cellUnder(table(t, 'lost MiB'), 'lost MiB', 2)).toBe('10.0 (8.0–29.9)');
    expect(t).not.toContain('31399936');
  });

  it('writes a value once when there is no spread, and small ones with a decimal', () => {
    const t = summaryTable([row({ split_brain_ms: 0.4 }), row({ split_brain_ms: 0.4 })]);
    expect(cellUnder(table(t, 'split brain ms'), 'split brain ms', 2)).toBe('0.4');
  });

  it('reports the median of corrupt reads', () => {
    const t = summaryTable([row({ corrupt_reads: 0 }), row({ corrupt_reads: 4 }), row({ corrupt_reads: 2 })]);
    expect(cellUnder(table(t, 'corrupt reads'), 'corrupt reads', 2)).toBe('2 (0–4)');
  });

  it('counts successful repetitions and leaves failed ones out of the medians', () => {
    const t = summaryTable([row({ interruption_ms: 100 }), row({ interruption_ms: 300 }), row({ status: 'failed', interruption_ms: '' })]);
    const times = table(t, 'interruption ms');
    expect(cellUnder(times, 'ok/reps', 2)).toBe('2/3');
    expect(cellUnder(times, 'interruption ms', 2)).toBe('200 (100–300)');
  });
});

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
    const app = table(t, 'client gap ms');
    expect(app[0]).toMatch(/client gap ms +errors +timeouts +lost req\.$/);
    expect(app[2]).toMatch(/ 20 \(10–30\) +2 \(1–3\) +0 +0$/);
  });
});

describe('summary verdicts', () => {
  const verdictOf = (rows: RunRow[]): string => {
    const t = lines(summaryTable(rows));
    const at = t.findIndex((l) => l.startsWith('verdict'));
    return t[at + 1]!.trim();
  };

  it('marks a strategy that lost data as predicted', () => {
    expect(verdictOf([row({ strategy: 'kill-boot-copy', lost_bytes: 4096, stale_reads: 3 })])).toBe('kill-boot-copy  LOST DATA (as predicted)');
    expect(verdictOf([row({ strategy: 'copy-boot-kill', lost_bytes: 4096, split_brain_ms: 500 })])).toBe('copy-boot-kill  LOST DATA, SPLIT BRAIN (as predicted)');
  });

  it('marks loss, corruption or split brain that theory rules out', () => {
    expect(verdictOf([row({ lost_bytes: 4096 })])).toBe('kill-copy-boot  LOST DATA — NOT EXPECTED');
    expect(verdictOf([row({ strategy: 'mirror', split_brain_ms: 502 })])).toBe('mirror  SPLIT BRAIN — NOT EXPECTED');
    expect(verdictOf([row({ strategy: 'kill-boot-copy', lost_bytes: 4096, corrupt_bytes: 512 })])).toBe('kill-boot-copy  LOST DATA (as predicted); CORRUPT DATA — NOT EXPECTED');
    expect(verdictOf([row({ stale_reads: 2 })])).toBe('kill-copy-boot  STALE READS — NOT EXPECTED');
  });

  it('counts failed repetitions and says when a strategy did better than predicted', () => {
    expect(verdictOf([row({}), row({ status: 'failed' }), row({})])).toBe('kill-copy-boot  1/3 FAILED — NOT EXPECTED');
    expect(verdictOf([row({ strategy: 'kill-boot-copy' })])).toBe('kill-boot-copy  milder than predicted');
    expect(verdictOf([row({})])).toBe('kill-copy-boot  no loss (as predicted)');
    expect(verdictOf([row({ strategy: 'future-strategy' })])).toBe('future-strategy  no loss');
  });

  it('words a verdict from its failure modes', () => {
    const [v] = verdicts([{ strategy: 'boot-copy-kill', status: 'ok', lost_bytes: '1', split_brain_ms: '2', diverged_bytes: '3', stale_reads: '4' }]);
    expect(verdictWords(v!)).toBe('LOST DATA, SPLIT BRAIN (as predicted)');
  });
});

describe('summary of rows whose workload fell short', () => {
  it('marks the strategy with ! and lists the warnings under the tables', () => {
    const t = summaryTable([
      row({ strategy: 'precopy', rep: 1, warnings: 'baseline write rate 8.00 MB/s is 80 % short of the 40.00 MB/s asked' }),
      row({ strategy: 'precopy', rep: 2 }),
      row({ strategy: 'kill-copy-boot', rep: 1 }),
    ]);
    const times = table(t, 'interruption ms');
    expect(times[2]).toMatch(/^precopy ! /);
    expect(times[3]).toMatch(/^kill-copy-boot /);
    expect(lines(t).slice(-3)).toEqual(['', '! the workload fell short of the scenario (runs.csv `warnings`):', '  precopy rep 1: baseline write rate 8.00 MB/s is 80 % short of the 40.00 MB/s asked']);
  });

  it('has no mark and no footnote when no row has warnings', () => {
    const t = summaryTable([row({})]);
    expect(t).not.toContain('!');
    expect(t).not.toContain('fell short');
  });
});

describe('summary of the default run (test/support/default-run: ten strategies, 256 MiB, three repetitions)', () => {
  const rows = readResults('test/support/default-run').runs.map((r) => ({ ...blank(), ...r }) as RunRow);
  const t = summaryTable(rows);

  it('fits 120 columns', () => {
    for (const l of lines(t)) expect(l.length, l).toBeLessThanOrEqual(120);
  });

  it('still fits with every column present and wide spreads', () => {
    const wide = rows.map((r, i) => ({ ...r, corrupt_bytes: i * 12345678, corrupt_reads: i * 1000, stale_reads: i * 1000, diverged_bytes: i * 123456789 }));
    for (const l of lines(summaryTable(wide))) expect(l.length, l).toBeLessThanOrEqual(120);
  });

  it('marks every strategy with its verdict', () => {
    expect(t).toMatch(/^ {2}copy-boot-kill +LOST DATA, SPLIT BRAIN \(as predicted\)$/m);
    expect(t).toMatch(/^ {2}kill-copy-boot +no loss \(as predicted\)$/m);
    expect(t).toMatch(/^ {2}precopy +1\/3 FAILED — NOT EXPECTED$/m);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { RUN_COLUMNS, TIMELINE_COLUMNS, type RunRow, type TimelineRow } from '../../src/results/columns.js';
import type { RunMeta } from '../../src/results/meta.js';
import { ResultsDir } from '../../src/results/results-dir.js';

const blankRun = (): RunRow => Object.fromEntries(RUN_COLUMNS.map((c) => [c, ''])) as RunRow;
const blankWindow = (): TimelineRow => Object.fromEntries(TIMELINE_COLUMNS.map((c) => [c, ''])) as TimelineRow;
const meta = { run_id: 'r1', started_at: '2024-01-01T00:00:00.000Z' } as RunMeta;

function open(): { dir: string; results: ResultsDir; read: (file: string) => string } {
  const dir = join(mkdtempSync(join(tmpdir(), 'migbench-results-')), 'out');
  return { dir, results: new ResultsDir(dir, meta), read: (file) => readFileSync(join(dir, file), 'utf8') };
}

const parsed = (text: string): Record<string, string>[] => parse(text, { columns: true }) as Record<string, string>[];

describe('ResultsDir', () => {
  const rows: RunRow[] = [
    { ...blankRun(), run_id: 'r1', strategy: 'kill-copy-boot', rep: 1, interruption_ms: 860.123, status: 'ok' },
    { ...blankRun(), run_id: 'r1', strategy: 'async-clone', rep: 1, status: 'failed', error: 'copy: nbdcopy failed, "exit 1"\nsecond line' },
    { ...blankRun(), run_id: 'r1', strategy: 'x', rep: 2, interruption_ms: -1e-7, status: 'failed', error: 'tab\there; semi;colon \r cr' },
    { ...blankRun(), run_id: 'r1', strategy: 'y', rep: 3, interruption_ms: 1e21, status: 'ok', error: ' leading and trailing ' },
  ];

  it('opens with the headers alone, in the column order, and meta.json', () => {
    const { read } = open();
    expect(read('runs.csv')).toBe(`${RUN_COLUMNS.join(',')}\n`);
    expect(read('timeline.csv')).toBe(`${TIMELINE_COLUMNS.join(',')}\n`);
    expect(JSON.parse(read('meta.json'))).toEqual(meta);
  });

  it('rows with commas, quotes and line breaks round-trip through csv-parse', () => {
    const { results, read } = open();
    for (const r of rows) results.add(r);
    const back = parsed(read('runs.csv'));
    expect(back.map((r) => r.error)).toEqual(rows.map((r) => r.error));
    expect(back.map((r) => r.interruption_ms)).toEqual(['860.123', '', '-1e-7', '1e+21']);
    expect(Object.keys(back[0]!)).toEqual([...RUN_COLUMNS]);
  });

  it('appends: a second add leaves the first row as written and the header comes once', () => {
    const { results, read, dir } = open();
    results.add(rows[0]!);
    const first = read('runs.csv');
    // Mark the written text: a rewrite of the file would lose the mark.
    writeFileSync(join(dir, 'runs.csv'), first.replace('kill-copy-boot', 'kill-copy-boot-marked'));
    results.add(rows[1]!);
    const text = read('runs.csv');
    expect(text.startsWith(first.replace('kill-copy-boot', 'kill-copy-boot-marked'))).toBe(true);
    expect(text.split('\n').filter((l) => l === RUN_COLUMNS.join(','))).toHaveLength(1);
    expect(parsed(text).map((r) => r.strategy)).toEqual(['kill-copy-boot-marked', 'async-clone']);
    expect(results.runs).toEqual(rows.slice(0, 2));
  });

  it('appends the windows of each repetition to timeline.csv', () => {
    const { results, read } = open();
    const w = (rep: number, t: number): TimelineRow => ({ ...blankWindow(), run_id: 'r1', strategy: 'async-clone', rep, t_ms: t, reads: 3 });
    results.add(rows[0]!, [w(1, -250), w(1, 0)]);
    results.add(rows[1]!);
    results.add(rows[3]!, [w(2, 0)]);
    const back = parsed(read('timeline.csv'));
    expect(back.map((r) => [r.rep, r.t_ms])).toEqual([['1', '-250'], ['1', '0'], ['2', '0']]);
    expect(Object.keys(back[0]!)).toEqual([...TIMELINE_COLUMNS]);
    expect(read('timeline.csv').split('\n').filter((l) => l.startsWith('run_id,'))).toHaveLength(1);
  });

  it('completes meta.json with the links and the finish time', () => {
    const { results, read } = open();
    results.addLink({ requested_bps: 1e9, latency_ms: 0, measured_bps: 9e8, request_rtt_ms: 0.2 });
    results.addLink({ requested_bps: 4e8, latency_ms: 5, measured_bps: 3.9e8, request_rtt_ms: 10.3 });
    expect(JSON.parse(read('meta.json')).finished_at).toBeUndefined();
    results.finish();
    const m = JSON.parse(read('meta.json')) as RunMeta;
    expect(m.links?.map((l) => l.requested_bps)).toEqual([1e9, 4e8]);
    expect(Date.parse(m.finished_at!)).not.toBeNaN();
    expect(m.run_id).toBe('r1');
  });
});

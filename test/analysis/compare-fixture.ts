/**
 * The default run (all ten strategies, 256 MiB, 1 Gbit/s, 3 repetitions; precopy's third
 * repetition failed) as a compare fixture, and ways to derive variants of it: in memory,
 * or written to a temporary results directory for the command.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { readResults, type Results, type Row } from '../../src/results/read-results.js';

export const DEFAULT_RUN = join(import.meta.dirname, '..', 'support', 'default-run');

/** A fresh copy of the default run read back (safe to modify). */
export function defaultRun(): Results {
  const r = readResults(DEFAULT_RUN);
  return { ...r, meta: structuredClone(r.meta) };
}

/** The run with its rows mapped (return null to drop a row). */
export function mapRows(r: Results, f: (row: Row) => Row | null): Results {
  return { ...r, runs: r.runs.map(f).filter((x): x is Row => x !== null) };
}

/** Sets `column` to `value` in the rows of `strategy` (one repetition, or all). */
export function inject(r: Results, strategy: string, column: string, value: string, rep?: string): Results {
  return mapRows(r, (row) => (row.strategy === strategy && (rep === undefined || row.rep === rep) ? { ...row, [column]: value } : row));
}

/** Writes a variant as a results directory (runs.csv, meta.json) and returns its path. */
export function writeVariant(r: Results): string {
  const dir = mkdtempSync(join(tmpdir(), 'migbench-compare-'));
  const columns = Object.keys(r.runs[0]!);
  writeFileSync(join(dir, 'runs.csv'), stringify(r.runs as Record<string, string>[], { columns, header: true }));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(r.meta, null, 2));
  return dir;
}

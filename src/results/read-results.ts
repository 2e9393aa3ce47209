/**
 * Reads a results directory back, generically: rows are records keyed by column name, so
 * columns and strategies added later flow through report, compare and plan unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { RunMeta } from './meta.js';

/** A runs.csv or timeline.csv row as written: column → cell text. */
export type Row = Readonly<Record<string, string>>;

/** A results directory in memory. `meta` is partial: older runs lack newer fields. */
export interface Results {
  dir: string;
  runs: Row[];
  timeline: Row[];
  meta: Partial<RunMeta>;
}

/** A results directory that cannot be read: bad input for report, compare and plan. */
export class ResultsError extends Error {
  override readonly name = 'ResultsError';
}

function readCsv(path: string): Row[] {
  try {
    return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Row[];
  } catch (err) {
    throw new ResultsError(`${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads runs.csv (required), timeline.csv and meta.json (optional) from `dir`. */
export function readResults(dir: string): Results {
  const runsPath = join(dir, 'runs.csv');
  if (!existsSync(runsPath)) throw new ResultsError(`${dir}: no runs.csv (not a migbench results directory)`);
  const runs = readCsv(runsPath);
  if (runs.length === 0) throw new ResultsError(`${runsPath}: no rows`);
  for (const col of ['strategy', 'status']) {
    if (!(col in runs[0]!)) throw new ResultsError(`${runsPath}: no "${col}" column`);
  }
  const timelinePath = join(dir, 'timeline.csv');
  const timeline = existsSync(timelinePath) ? readCsv(timelinePath) : [];
  const metaPath = join(dir, 'meta.json');
  let meta: Partial<RunMeta> = {};
  if (existsSync(metaPath)) {
    try {
      meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Partial<RunMeta>;
    } catch (err) {
      throw new ResultsError(`${metaPath}: ${(err as Error).message}`, { cause: err });
    }
  }
  return { dir, runs, timeline, meta };
}

/** A cell as a number; undefined for an empty or non-numeric cell. */
export function num(row: Row, column: string): number | undefined {
  const v = row[column];
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** The numeric values of `column` over `rows`, skipping empty cells. */
export function values(rows: readonly Row[], column: string): number[] {
  return rows.map((r) => num(r, column)).filter((v): v is number => v !== undefined);
}

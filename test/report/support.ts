import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** The results of a real default run: ten strategies, 256 MiB, 1 Gbit/s, 3 repetitions, precopy rep 3 failed. */
export const DEFAULT_RUN = join(import.meta.dirname, '..', 'support', 'default-run');

/**
 * A copy of the default run in a temporary directory with runs.csv rows edited: `edit`
 * gets each row and may change cells in place.
 */
export function editedRun(edit: (row: Record<string, string>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'migbench-report-'));
  cpSync(DEFAULT_RUN, dir, { recursive: true });
  const path = join(dir, 'runs.csv');
  const rows = parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
  for (const r of rows) edit(r);
  writeFileSync(path, stringify(rows, { header: true, columns: Object.keys(rows[0]!) }));
  return dir;
}

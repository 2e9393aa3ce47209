/**
 * runs.csv rows as the analyses see them: grouped by sweep point and strategy, and their
 * metric columns (everything that holds numbers and is neither an identity nor a
 * parameter column of the record's column list). Pure.
 */
import { IDENTITY_COLUMNS, PARAMETER_COLUMNS } from '../results/columns.js';
import { num, values, type Row } from '../results/read-results.js';

const PARAMETERS = new Set<string>(PARAMETER_COLUMNS);

/** The metric columns of a runs.csv: not identity, not a parameter, numeric in some row. */
export function metricColumns(rows: readonly Row[]): string[] {
  const cols = rows.length ? Object.keys(rows[0]!) : [];
  return cols.filter((c) => !IDENTITY_COLUMNS.has(c) && !PARAMETERS.has(c) && rows.some((r) => num(r, c) !== undefined));
}

/** Whether a larger value of the metric is better (throughputs, delivered rates, efficiencies, counts of work done). */
export function higherIsBetter(column: string): boolean {
  return /_bps$|_achieved_|efficiency|acked_writes|converged|^tps_|integrity_ok/.test(column);
}

/** One strategy at one sweep point: its rows (all repetitions, ok or not). */
export interface Group {
  key: string;
  strategy: string;
  /** The sweep point label ('' without a sweep). */
  point: string;
  rows: Row[];
  ok: Row[];
}

/** The sweep point of a row: its `sweep_point` cell, '' for runs made before sweeps. */
export function pointOf(row: Row): string {
  return row.sweep_point ?? '';
}

/**
 * Rows grouped by sweep point then strategy, in the order they first appear (the order
 * of the run's strategies and points).
 */
export function groupRows(rows: readonly Row[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const strategy = r.strategy ?? '';
    const point = pointOf(r);
    const key = `${point}\u0000${strategy}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, strategy, point, rows: [], ok: [] }));
    g.rows.push(r);
    if (r.status === 'ok') g.ok.push(r);
  }
  return [...groups.values()];
}

/** Distinct values of a column in first-seen order. */
export function distinct(rows: readonly Row[], column: string): string[] {
  return [...new Set(rows.map((r) => r[column] ?? ''))];
}

/** The metric values of successful repetitions in a group. */
export function metricValues(g: Group, column: string): number[] {
  return values(g.ok, column);
}

/** A group's name for people: `async-clone @ size=64MiB`. */
export function groupLabel(g: Pick<Group, 'strategy' | 'point'>): string {
  return g.point ? `${g.strategy} @ ${g.point}` : g.strategy;
}

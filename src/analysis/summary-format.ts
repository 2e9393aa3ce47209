/**
 * Human units for the console: milliseconds, MiB and "median (min–max)" cells, and the
 * one-line description of a finished repetition. One set of formatters, so the lines a
 * run prints and its closing summary read alike. Pure.
 */
import { median } from '../measure/percentiles.js';
import type { RunRow } from '../results/columns.js';
import { formatBytes } from '../scenario/units.js';

const MIB = 2 ** 20;

/** Milliseconds for people: whole from 10 ms up, one decimal below (a 0.4 ms split brain is not 0). */
export function formatMs(ms: number): string {
  if (ms === 0) return '0';
  return Math.abs(ms) >= 10 ? String(Math.round(ms)) : ms.toFixed(1);
}

/** Bytes in MiB: one decimal, two significant digits below 0.1 MiB, `0` for none. */
export function formatMiB(bytes: number): string {
  if (bytes === 0) return '0';
  const v = bytes / MIB;
  return Math.abs(v) >= 0.1 ? v.toFixed(1) : String(Number(v.toPrecision(2)));
}

/** A count (stale reads, errors): an integer median may be a half. */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A ratio such as copy efficiency: two decimals. */
export function formatRatio(x: number): string {
  return x.toFixed(2);
}

/** `median (min–max)` of `xs` in `format`; just the median when the spread formats away. */
export function medianRange(xs: readonly number[], format: (x: number) => string): string {
  if (xs.length === 0) return '-';
  const m = format(median([...xs]));
  const lo = format(Math.min(...xs));
  const hi = format(Math.max(...xs));
  return lo === hi ? m : `${m} (${lo}–${hi})`;
}

const cell = (row: RunRow, c: keyof RunRow): number | undefined => {
  const v = row[c];
  return v === '' || v === undefined ? undefined : Number(v);
};

/**
 * What a finished repetition measured, in whole ms and human sizes:
 * `interruption 2439 ms, split brain 0 ms, migration 2316 ms, lost 9.2 MiB, diverged 0 B`;
 * the HTTP workload's client figures instead of bytes when the row has them.
 */
export function repetitionLine(row: RunRow): string {
  const ms = (c: keyof RunRow): string => `${formatMs(cell(row, c) ?? 0)} ms`;
  const base = `interruption ${ms('interruption_ms')}, split brain ${ms('split_brain_ms')}, migration ${ms('migration_ms')}`;
  if (cell(row, 'recovery_ms') !== undefined || cell(row, 'lost_commits') !== undefined) {
    return `${base}, client gap ${ms('client_gap_ms')}, recovery ${ms('recovery_ms')}, errors ${row.errors}, lost commits ${row.lost_commits}/${row.acked_writes}, integrity ${row.integrity_ok === 'true' ? 'ok' : 'FAILED'}`;
  }
  if (cell(row, 'client_gap_ms') !== undefined) {
    return `${base}, client gap ${ms('client_gap_ms')}, errors ${row.errors}, timeouts ${row.timeouts}, lost requests ${row.lost_requests}/${row.acked_writes}`;
  }
  const bytes = (c: keyof RunRow): string => formatBytes(cell(row, c) ?? 0);
  return `${base}, lost ${bytes('lost_bytes')}, diverged ${bytes('diverged_bytes')}${cell(row, 'corrupt_bytes') ? `, corrupt ${bytes('corrupt_bytes')}` : ''}`;
}

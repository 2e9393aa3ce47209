/**
 * The CPU cost columns of a runs.csv row (issue 15 §3): each host's CPU seconds during
 * the migration and per GiB A sent over the link meanwhile (pure).
 */
import type { RunRow } from './columns.js';
import type { RepetitionResult } from './repetition-result.js';

/** CPU seconds per GiB: `cpuSeconds` over `bytes` (undefined without bytes) (pure). */
export function cpuSecondsPerGiB(cpuSeconds: number, bytes: number): number | undefined {
  return bytes > 0 ? cpuSeconds / (bytes / 2 ** 30) : undefined;
}

const cell = (x: number | undefined, digits: number): number | string => (x === undefined || !Number.isFinite(x) ? '' : Number(x.toFixed(digits)));

/** cpu_s_a / cpu_s_b and cpu_s_per_gib_a / cpu_s_per_gib_b; empty without cgroups or without bytes on the wire. */
export function cpuColumns(r: Pick<RepetitionResult, 'cpuSeconds' | 'bytesOnWire'>): Partial<RunRow> {
  const { a, b } = r.cpuSeconds ?? {};
  const perGiB = (s: number | undefined): number | string => (s === undefined ? '' : cell(cpuSecondsPerGiB(s, r.bytesOnWire), 3));
  return { cpu_s_a: cell(a, 3), cpu_s_b: cell(b, 3), cpu_s_per_gib_a: perGiB(a), cpu_s_per_gib_b: perGiB(b) };
}

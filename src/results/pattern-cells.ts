/**
 * runs.csv columns of the access patterns (`--write-pattern`, `--read-pattern`) and of the
 * working set the writes had during the migration (docs/results.md).
 */
import { distinctBlocks, hotBlocks } from '../measure/working-set.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RepetitionResult } from './repetition-result.js';

/** The patterns of a row's scenario (failed rows too). */
export function patternParameters(s: Scenario): { write_pattern: string; read_pattern: string } {
  return { write_pattern: s.writePattern, read_pattern: s.readPattern };
}

/**
 * Distinct blocks written from the migration start to its end (the source's release, else
 * the end of the repetition — the window of `write_rate_achieved_bps_migration`), and the
 * fewest blocks that took 90 % of those writes. Blank for an application workload (its
 * acks are requests, not blocks).
 */
export function workingSetColumns(r: RepetitionResult): { distinct_blocks_written_migration: number | string; hot_blocks_90pct_migration: number | string } {
  const t = r.timeline;
  const start = t.get('start');
  const end = t.get('source_released') ?? t.get('end');
  if (r.app || start === undefined || end === undefined) return { distinct_blocks_written_migration: '', hot_blocks_90pct_migration: '' };
  return { distinct_blocks_written_migration: distinctBlocks(r.acks, start, end), hot_blocks_90pct_migration: hotBlocks(r.acks, start, end, 0.9) };
}

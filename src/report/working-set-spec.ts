/**
 * The writable working set over time (timeline.csv `working_set_blocks`,
 * `distinct_blocks_written`), every strategy × sweep point × repetition on one time axis:
 * the plot that shows why pre-copy converged for one write pattern and not for another.
 * Pure.
 */
import type { TopLevelSpec } from 'vega-lite';
import { num, type Row } from '../results/read-results.js';
import { CONFIG, SCHEMA } from './plot-style.js';
import { windowMsOf } from './timeline-specs.js';

/** True when the timeline records a working set (results written before patterns existed do not). */
export function hasWorkingSet(timeline: readonly Row[]): boolean {
  return timeline.some((r) => num(r, 'working_set_blocks') !== undefined);
}

/**
 * The legend label of a row: strategy and write pattern, then whatever else the sweep point
 * varies (the pattern's own `write-pattern=` is not repeated).
 */
function seriesOf(r: Row, run: Row | undefined): string {
  const rest = (r.sweep_point ?? '').split(' ').filter((x) => x && !x.startsWith('write-pattern='));
  return [r.strategy, run?.write_pattern || 'uniform', ...rest].join(' ');
}

/**
 * Two panels sharing the time axis (s from the migration start): the cumulative working set
 * in MiB (distinct blocks written since the start × block size) and the distinct blocks
 * written per second of each window. Drain volumes other than the first are left out.
 */
export function workingSetSpec(timeline: readonly Row[], runs: readonly Row[]): TopLevelSpec {
  const windowMs = windowMsOf(timeline);
  const cumulative: Record<string, unknown>[] = [];
  const perWindow: Record<string, unknown>[] = [];
  const passes: Record<string, unknown>[] = [];
  const runOf = new Map(runs.map((r) => [`${r.strategy}\u0000${r.sweep_point ?? ''}\u0000${r.rep}\u0000${r.volume ?? ''}`, r]));
  for (const r of timeline) {
    if ((r.volume ?? '') !== '' && r.volume !== '1') continue;
    const run = runOf.get(`${r.strategy}\u0000${r.sweep_point ?? ''}\u0000${r.rep}\u0000${r.volume ?? ''}`);
    const blockSize = (run && num(run, 'block_size_bytes')) || 4096;
    const series = seriesOf(r, run);
    const t_s = (num(r, 't_ms') ?? 0) / 1000;
    const ws = num(r, 'working_set_blocks');
    if (ws !== undefined) cumulative.push({ series, rep: r.rep, t_s: t_s + windowMs / 1000, mib: (ws * blockSize) / 2 ** 20 });
    const dirty = num(r, 'dirty_bytes');
    if (dirty !== undefined) passes.push({ series, rep: r.rep, t_s, mib: dirty / 2 ** 20, pass: r.precopy_round });
    const d = num(r, 'distinct_blocks_written');
    if (d !== undefined) perWindow.push({ series, rep: r.rep, t_s: t_s + windowMs / 2000, per_s: d / (windowMs / 1000) });
  }
  const x = { field: 't_s', type: 'quantitative', title: 'time from migration start (s)' };
  const color = { field: 'series', type: 'nominal', title: 'strategy, write pattern', scale: { scheme: 'category10' } };
  const line = { type: 'line', strokeWidth: 1.3, interpolate: 'step-before' };
  return {
    $schema: SCHEMA,
    title: { text: 'Writable working set', subtitle: ['distinct blocks written since the migration start (top; ◆ the dirty set a pre-copy pass started with)', 'and distinct blocks written per second of each window (bottom); one line per repetition'] },
    vconcat: [
      {
        width: 520,
        height: 130,
        encoding: { x: { ...x, title: null, axis: { labels: false, ticks: false } }, y: { field: 'mib', type: 'quantitative', title: ['working set', '(MiB)'] }, color, detail: { field: 'rep' } },
        layer: [
          { data: { values: cumulative }, mark: line },
          { data: { values: passes }, mark: { type: 'point', shape: 'diamond', filled: true, size: 40 } },
        ],
      },
      { width: 520, height: 90, data: { values: perWindow }, mark: line, encoding: { x, y: { field: 'per_s', type: 'quantitative', title: ['distinct blocks', 'written /s'] }, color, detail: { field: 'rep' } } },
    ],
    spacing: 6,
    resolve: { scale: { color: 'shared' } },
    config: { ...CONFIG, concat: { spacing: 6 }, legend: { ...CONFIG.legend, orient: 'right', labelLimit: 320, titleLimit: 320 } },
  } as unknown as TopLevelSpec;
}

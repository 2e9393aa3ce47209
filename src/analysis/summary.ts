/**
 * The plain-text summary `migbench run` prints at the end: medians per strategy of the
 * rows it has just written. Pure.
 */
import { median } from '../measure/percentiles.js';
import type { RunRow } from '../results/columns.js';


const COLUMNS: [keyof RunRow, string][] = [
  ['interruption_ms', 'interruption ms'],
  ['split_brain_ms', 'split brain ms'],
  ['migration_ms', 'migration ms'],
  ['hydration_ms', 'hydration ms'],
  ['lost_bytes', 'lost B'],
  ['diverged_bytes', 'diverged B'],
  ['corrupt_bytes', 'corrupt B'],
  ['stale_reads', 'stale reads'],
  ['corrupt_reads', 'corrupt reads'],
  ['copy_efficiency', 'copy eff.'],
];

/** Summary-table columns for the HTTP workload and drains, when the rows have them (pure). */
export function appSummaryColumns(rows: readonly RunRow[]): [keyof RunRow, string][] {
  const has = (c: keyof RunRow): boolean => rows.some((r) => r[c] !== '' && r[c] !== undefined);
  return [
    ...(has('client_gap_ms')
      ? ([
          ['client_gap_ms', 'client gap ms'],
          ['errors', 'errors'],
          ['timeouts', 'timeouts'],
          ['lost_requests', 'lost req.'],
        ] as [keyof RunRow, string][])
      : []),
    ...(has('drain_ms') ? ([['drain_ms', 'drain ms']] as [keyof RunRow, string][]) : []),
  ];
}

/**
 * A plain-text table of medians per strategy over successful repetitions (pure). A
 * strategy with a row that carries `warnings` (the workload fell short of the asked rate)
 * is marked `!`, and a footnote under the table lists the warnings by repetition.
 */
export function summaryTable(rows: readonly RunRow[]): string {
  const strategies = [...new Set(rows.map((r) => String(r.strategy)))];
  const columns = [...COLUMNS, ...appSummaryColumns(rows)];
  const header = ['strategy', 'ok/reps', ...columns.map(([, h]) => h)];
  const warned = rows.filter((r) => r.warnings !== '' && r.warnings !== undefined);
  const body = strategies.map((name) => {
    const mine = rows.filter((r) => r.strategy === name);
    const ok = mine.filter((r) => r.status === 'ok');
    const cells = columns.map(([c]) => {
      const m = median(ok.map((r) => r[c]).filter((v) => v !== '' && v !== undefined).map(Number));
      return Number.isNaN(m) ? '-' : String(Number(m.toFixed(m >= 100 ? 0 : 3)));
    });
    const mark = mine.some((r) => warned.includes(r)) ? ' !' : '';
    return [`${name}${mark}`, `${ok.length}/${mine.length}`, ...cells];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const table = [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  if (warned.length) {
    table.push('', '! the workload fell short of the scenario (runs.csv `warnings`):');
    for (const r of warned) table.push(`  ${r.strategy} rep ${r.rep}${r.volume !== '' && r.volume !== undefined ? ` volume ${r.volume}` : ''}: ${r.warnings}`);
  }
  return table.join('\n');
}

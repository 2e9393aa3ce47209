/**
 * The plain-text summary `migbench run` prints at the end, per strategy of the rows it
 * has just written: `median (min–max)` over the successful repetitions, in ms and MiB,
 * with each strategy's verdict (did it lose data or run split-brain, and did theory
 * predict that). Two tables — times, then data — and a verdict list, so it fits 120
 * columns. Pure.
 */
import type { RunRow } from '../results/columns.js';
import type { Row } from '../results/read-results.js';
import { formatCount, formatMiB, formatMs, formatRatio, medianRange } from './summary-format.js';
import { verdicts, type FailureMode, type StrategyVerdict } from './verdict.js';

/** A summary column: the runs.csv column, its heading and how one value is written. */
type Column = [keyof RunRow, string, (x: number) => string];

const TIME_COLUMNS: Column[] = [
  ['interruption_ms', 'interruption ms', formatMs],
  ['split_brain_ms', 'split brain ms', formatMs],
  ['migration_ms', 'migration ms', formatMs],
  ['hydration_ms', 'hydration ms', formatMs],
  ['copy_efficiency', 'copy eff.', formatRatio],
];

const DATA_COLUMNS: Column[] = [
  ['lost_bytes', 'lost MiB', formatMiB],
  ['diverged_bytes', 'diverged MiB', formatMiB],
  ['corrupt_bytes', 'corrupt MiB', formatMiB],
  ['stale_reads', 'stale reads', formatCount],
  ['corrupt_reads', 'corrupt reads', formatCount],
];

const has = (rows: readonly RunRow[], c: keyof RunRow): boolean => rows.some((r) => r[c] !== '' && r[c] !== undefined);

/** Summary columns for the application workloads (HTTP, PostgreSQL) and drains, when the rows have them (pure). */
export function appSummaryColumns(rows: readonly RunRow[]): Column[] {
  return [
    ...(has(rows, 'client_gap_ms')
      ? ([
          ['client_gap_ms', 'client gap ms', formatMs],
          ['errors', 'errors', formatCount],
          ['timeouts', 'timeouts', formatCount],
          ['lost_requests', 'lost req.', formatCount],
        ] as Column[])
      : []),
    // The PostgreSQL workload counts its loss in commits.
    ...(has(rows, 'lost_commits')
      ? ([
          ['lost_commits', 'lost commits', formatCount],
          ['recovery_ms', 'recovery ms', formatMs],
        ] as Column[])
      : []),
    ...(has(rows, 'drain_ms') ? ([['drain_ms', 'drain ms', formatMs]] as Column[]) : []),
  ];
}

/** Failure modes in the verdict column's words; diverged and stale reads only when unexpected (they come with loss). */
const MODE_MARKS: Record<FailureMode, { word: string; always: boolean }> = {
  failed: { word: 'FAILED', always: true },
  lost: { word: 'LOST DATA', always: true },
  corrupt: { word: 'CORRUPT DATA', always: true },
  diverged: { word: 'DIVERGED', always: false },
  stale_reads: { word: 'STALE READS', always: false },
  split_brain: { word: 'SPLIT BRAIN', always: true },
};

/**
 * A strategy's verdict in a few words: `LOST DATA, SPLIT BRAIN (as predicted)`,
 * `LOST DATA — NOT EXPECTED`, `1/3 FAILED — NOT EXPECTED`, `no loss (as predicted)`.
 */
export function verdictWords(v: StrategyVerdict): string {
  const shown = v.marks.filter((m) => MODE_MARKS[m].always || v.unexpected.includes(m));
  const word = (m: FailureMode): string => (m === 'failed' ? `${v.reps - v.ok}/${v.reps} ${MODE_MARKS[m].word}` : MODE_MARKS[m].word);
  const expected = shown.filter((m) => !v.unexpected.includes(m));
  const unexpected = shown.filter((m) => v.unexpected.includes(m));
  const parts = [
    ...(expected.length ? [`${expected.map(word).join(', ')} (as predicted)`] : []),
    ...(unexpected.length ? [`${unexpected.map(word).join(', ')} — NOT EXPECTED`] : []),
  ];
  if (v.judgement === 'milder than predicted') parts.push('milder than predicted');
  if (parts.length) return parts.join('; ');
  return v.known ? 'no loss (as predicted)' : 'no loss';
}

/** A left-aligned first column, right-aligned others, two spaces apart. */
function render(header: readonly string[], body: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cs: readonly string[]): string => cs.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

/** The `median (min–max)` cells of `columns` over the successful rows. */
function cells(ok: readonly RunRow[], columns: readonly Column[]): string[] {
  return columns.map(([c, , format]) => medianRange(ok.map((r) => r[c]).filter((v) => v !== '' && v !== undefined).map(Number), format));
}

/** The runs.csv row as the readers see it (every cell text), for the verdicts. */
const asRow = (r: RunRow): Row => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === undefined ? '' : String(v)]));

/** The line above the tables: what the cells are. */
function caption(rows: readonly RunRow[], strategies: readonly string[]): string {
  const reps = new Set(strategies.map((s) => rows.filter((r) => r.strategy === s).length));
  const n = reps.size === 1 ? [...reps][0]! : undefined;
  // A drain writes a row per volume: the cells are over volumes × repetitions.
  const drain = rows.some((r) => r.volume !== '' && r.volume !== undefined);
  const what = drain ? `migrated volume${n === 1 ? '' : 's'} (drain volumes × repetitions)` : `repetition${n === 1 ? '' : 's'}`;
  const over = n === undefined ? `the ${drain ? 'migrated volumes' : 'repetitions'}` : `${n} ${what}`;
  const failed = rows.some((r) => r.status !== 'ok') ? ', failed ones left out' : '';
  return `median (min–max) over ${over} of each strategy${failed}; times in ms, data in MiB`;
}

/**
 * The summary of a run's rows (pure): a caption, a table of times, a table of data, the
 * verdict per strategy, the HTTP / drain figures when the rows have them, and the
 * workload's shortfalls: a strategy with a row that carries `warnings` (the workload fell
 * short of the asked rate) is marked `!`, and a footnote lists the warnings by repetition.
 */
export function summaryTable(rows: readonly RunRow[]): string {
  const strategies = [...new Set(rows.map((r) => String(r.strategy)))];
  const warned = rows.filter((r) => r.warnings !== '' && r.warnings !== undefined);
  const judged = new Map(verdicts(rows.map(asRow)).map((v) => [v.strategy, v]));
  const groups = strategies.map((name) => {
    const mine = rows.filter((r) => r.strategy === name);
    const mark = mine.some((r) => warned.includes(r)) ? ' !' : '';
    return { label: `${name}${mark}`, mine, ok: mine.filter((r) => r.status === 'ok'), verdict: judged.get(name) };
  });
  const out = [caption(rows, strategies), ''];
  out.push(
    ...render(
      ['strategy', 'ok/reps', ...TIME_COLUMNS.map(([, h]) => h)],
      groups.map((g) => [g.label, `${g.ok.length}/${g.mine.length}`, ...cells(g.ok, TIME_COLUMNS)]),
    ),
    '',
    ...render(['strategy', ...DATA_COLUMNS.map(([, h]) => h)], groups.map((g) => [g.label, ...cells(g.ok, DATA_COLUMNS)])),
    '',
    'verdict: lost data or split brain, against what theory predicts for the strategy',
    ...groups.map((g) => `  ${g.label.padEnd(Math.max(...groups.map((x) => x.label.length)))}  ${g.verdict ? verdictWords(g.verdict) : ''}`.trimEnd()),
  );
  const app = appSummaryColumns(rows);
  if (app.length) out.push('', ...render(['strategy', ...app.map(([, h]) => h)], groups.map((g) => [g.label, ...cells(g.ok, app)])));
  if (warned.length) {
    out.push('', '! the workload fell short of the scenario (runs.csv `warnings`):');
    for (const r of warned) out.push(`  ${r.strategy} rep ${r.rep}${r.volume !== '' && r.volume !== undefined ? ` volume ${r.volume}` : ''}: ${r.warnings}`);
  }
  return out.join('\n');
}

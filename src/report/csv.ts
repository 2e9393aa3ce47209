/**
 * CSV text of rows, for runs.csv and timeline.csv: a header of `columns`, then one line
 * per row, `\n` line ends. A cell is quoted only when it holds a comma, a quote or a line
 * break, exactly as csv-stringify writes it, at about ten times its speed (both files are
 * rewritten after every repetition; `npm run bench:micro` holds the budget). Pure.
 */

type Cell = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

function cell(v: Cell): string {
  if (v === undefined || v === null || v === false) return '';
  if (v === true) return '1';
  const s = typeof v === 'number' ? String(v) : v;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `rows` as CSV text with a header line, columns in the given order (missing cells empty). */
export function toCsv<C extends string>(rows: readonly Readonly<Partial<Record<C, Cell>>>[], columns: readonly C[]): string {
  const lines = [columns.map((c) => cell(c)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}

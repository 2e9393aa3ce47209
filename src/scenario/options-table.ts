/**
 * The Markdown table of every `run` option, rendered from the declarations, and the
 * splice that keeps docs/options.md's copy of it current (`npm run docs`).
 */
import { RUN_OPTIONS, type OptionDecl } from './options.js';

export const TABLE_BEGIN = '<!-- options:begin -->';
export const TABLE_END = '<!-- options:end -->';

/** Text for a table cell: pipes escaped, `<run-id>` not read as HTML. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');
}

function code(text: string): string {
  return text === '' ? '' : `\`${text}\``;
}

function flagCell(o: OptionDecl): string {
  return code(o.kind === 'flag' ? `--${o.flag}` : `--${o.flag} <${o.arg ?? 'value'}>`);
}

function helpCell(o: OptionDecl): string {
  const choices = o.choices && !o.choices.every((c) => o.help.includes(c)) ? ` One of ${o.choices.map(code).join(', ')}.` : '';
  const file = o.inFile === false ? ' Command line only.' : '';
  return `${cell(o.help)}.${choices}${file}`;
}

/** The table: option, default, sweepable, group, description, example; in declaration order. */
export function renderOptionsTable(): string {
  const rows = RUN_OPTIONS.map((o: OptionDecl) =>
    `| ${flagCell(o)} | ${o.default === undefined ? '—' : code(o.default)} | ${o.sweepable ? 'yes' : ''} | ${o.group} | ${helpCell(o)} | ${code(o.example)} |`,
  );
  return ['| Option | Default | Sweepable | Group | Description | Example |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** `doc` with the text between the option-table markers replaced by the current table. */
export function spliceOptionsTable(doc: string): string {
  const begin = doc.indexOf(TABLE_BEGIN);
  const end = doc.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`no ${TABLE_BEGIN} … ${TABLE_END} markers`);
  return `${doc.slice(0, begin + TABLE_BEGIN.length)}\n${renderOptionsTable()}\n${doc.slice(end)}`;
}

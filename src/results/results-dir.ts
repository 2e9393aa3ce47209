/**
 * The results directory of one run: runs.csv, timeline.csv, meta.json. Each repetition's
 * row and windows are appended as they come (csv-stringify, the header written once when
 * the directory is opened), so an interrupted run keeps what it measured and a long run
 * never rewrites what it already wrote. meta.json is written at the start and completed
 * (links, `finished_at`) as the run goes.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { RUN_COLUMNS, TIMELINE_COLUMNS, type RunRow, type TimelineRow } from './columns.js';
import type { LinkRecord, RunMeta } from './meta.js';

/** CSV lines of `rows`, cells in `columns` order, `\n` line ends; the header line alone when asked. */
function csvLines(rows: readonly object[], columns: readonly string[], header = false): string {
  return stringify(rows as Record<string, unknown>[], { columns: [...columns], header });
}

/** One run's results directory, written as the run goes. */
export class ResultsDir {
  /** The rows written so far (the end-of-run summary reads them). */
  readonly runs: RunRow[] = [];
  private readonly runsPath: string;
  private readonly timelinePath: string;

  private readonly metaFile: string;

  /**
   * Creates `dir` and starts its files: both CSV headers and meta.json (any earlier
   * content is replaced). With `appendAs` (a run id) the CSV files already there are
   * added to instead, and this run's meta goes to `meta-<appendAs>.json` beside the first
   * run's (the caller has checked the columns match: see {@link headersMatch}).
   */
  constructor(readonly dir: string, private meta: RunMeta, { appendAs }: { appendAs?: string | undefined } = {}) {
    mkdirSync(dir, { recursive: true });
    this.runsPath = join(dir, 'runs.csv');
    this.timelinePath = join(dir, 'timeline.csv');
    this.metaFile = appendAs ? `meta-${appendAs}.json` : 'meta.json';
    if (!appendAs) {
      writeFileSync(this.runsPath, csvLines([], RUN_COLUMNS, true));
      writeFileSync(this.timelinePath, csvLines([], TIMELINE_COLUMNS, true));
    }
    this.writeMeta();
  }

  /** Appends one repetition's runs.csv row and its timeline.csv windows. */
  add(row: RunRow, windows: readonly TimelineRow[] = []): void {
    this.runs.push(row);
    appendFileSync(this.runsPath, csvLines([row], RUN_COLUMNS));
    if (windows.length) appendFileSync(this.timelinePath, csvLines(windows, TIMELINE_COLUMNS));
  }

  /** Records the link of one more lab (a sweep over links opens one lab per link setting). */
  addLink(link: LinkRecord): void {
    this.meta = { ...this.meta, links: [...(this.meta.links ?? []), link] };
    this.writeMeta();
  }

  /** Records the real hosts of the run and their clocks (meta.json `remote`). */
  setRemote(remote: NonNullable<RunMeta['remote']>): void {
    this.meta = { ...this.meta, remote };
    this.writeMeta();
  }

  /** Completes meta.json with the time the run finished. */
  finish(): void {
    this.meta = { ...this.meta, finished_at: new Date().toISOString() };
    this.writeMeta();
  }

  private writeMeta(): void {
    writeFileSync(join(this.dir, this.metaFile), `${JSON.stringify(this.meta, null, 2)}\n`);
  }
}

/** The header lines runs.csv and timeline.csv of this version start with (`--append` checks them). */
export function resultHeaders(): { runs: string; timeline: string } {
  return { runs: csvLines([], RUN_COLUMNS, true).trimEnd(), timeline: csvLines([], TIMELINE_COLUMNS, true).trimEnd() };
}

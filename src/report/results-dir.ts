import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from './csv.js';
import type { LinkRecord, RunMeta } from './meta.js';
import { RUN_COLUMNS, type RunRow } from './rows.js';
import { TIMELINE_COLUMNS, type TimelineRow } from './timeline-rows.js';

/**
 * The results directory of one run: runs.csv, timeline.csv, meta.json. Files are
 * rewritten after every repetition so an interrupted run keeps what it measured.
 */
export class ResultsDir {
  readonly runs: RunRow[] = [];
  readonly timeline: TimelineRow[] = [];

  constructor(readonly dir: string, private meta: RunMeta) {
    mkdirSync(dir, { recursive: true });
    this.flush();
  }

  add(row: RunRow, windows: TimelineRow[] = []): void {
    this.runs.push(row);
    this.timeline.push(...windows);
    this.flush();
  }

  /** Records the link of one more lab (a sweep over links opens one lab per link setting). */
  addLink(link: LinkRecord): void {
    this.meta = { ...this.meta, links: [...(this.meta.links ?? []), link] };
    this.flush();
  }

  finish(): void {
    this.meta = { ...this.meta, finished_at: new Date().toISOString() };
    this.flush();
  }

  private flush(): void {
    writeFileSync(join(this.dir, 'runs.csv'), toCsv(this.runs, RUN_COLUMNS));
    writeFileSync(join(this.dir, 'timeline.csv'), toCsv(this.timeline, TIMELINE_COLUMNS));
    writeFileSync(join(this.dir, 'meta.json'), `${JSON.stringify(this.meta, null, 2)}\n`);
  }
}

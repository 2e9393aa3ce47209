/**
 * `--out DIR` when DIR already holds results: refused unless `--overwrite` or `--append`
 * says what to do with them. The decision is pure ({@link decideOut}); {@link inspectOut}
 * reads the directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultHeaders } from '../results/results-dir.js';

/** What is in the results directory already. */
export interface OutState {
  /** runs.csv or meta.json exists. */
  hasResults: boolean;
  /** runs.csv and timeline.csv exist and start with this version's headers. */
  headersMatch: boolean;
}

export type OutDecision = { action: 'create' | 'overwrite' | 'append' } | { action: 'refuse'; why: string };

/** Decides what a run does with `--out` (pure). */
export function decideOut(dir: string, state: OutState, o: { overwrite?: boolean | undefined; append?: boolean | undefined }): OutDecision {
  if (o.overwrite && o.append) return { action: 'refuse', why: '--overwrite and --append exclude each other' };
  if (!state.hasResults) return { action: 'create' };
  if (o.overwrite) return { action: 'overwrite' };
  if (o.append) {
    return state.headersMatch
      ? { action: 'append' }
      : { action: 'refuse', why: `--append: the results in ${dir} have other columns (or no runs.csv / timeline.csv); use another --out, or --overwrite` };
  }
  return { action: 'refuse', why: `--out ${dir} already holds results (runs.csv / meta.json); add --overwrite to replace them or --append to add to them` };
}

/** Reads what `dir` holds (missing directory: nothing). */
export function inspectOut(dir: string): OutState {
  const runs = join(dir, 'runs.csv');
  const timeline = join(dir, 'timeline.csv');
  const hasResults = existsSync(runs) || existsSync(join(dir, 'meta.json'));
  const firstLine = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, 'utf8').split('\n')[0] : undefined);
  const h = resultHeaders();
  return { hasResults, headersMatch: firstLine(runs) === h.runs && firstLine(timeline) === h.timeline };
}

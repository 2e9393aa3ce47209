import { readResults, ResultsError } from '../results/read-results.js';
import { CompareFileError, readCompareSummary } from '../report/compare-summary.js';
import { FontMissingError } from '../report/render.js';
import { writeReport } from '../report/report.js';
import { CLIError, usageError } from './errors.js';

export interface ReportOptions {
  out?: string;
  /** `migbench compare --json` output to show on the page. */
  compare?: string;
}

/** `migbench report DIR`: plots (SVG, PNG), report.json and report.html from a results directory. */
export async function reportCommand(dir: string, opts: ReportOptions): Promise<number> {
  let results;
  let compare;
  try {
    results = readResults(dir);
    compare = opts.compare ? readCompareSummary(opts.compare) : undefined;
  } catch (err) {
    if (err instanceof ResultsError || err instanceof CompareFileError) throw usageError(err.message, err);
    throw err;
  }
  try {
    const files = await writeReport(results, opts.out ?? dir, compare);
    process.stdout.write(`${files.join('\n')}\n`);
  } catch (err) {
    if (err instanceof FontMissingError) throw new CLIError(err.message, 1, { cause: err });
    throw err;
  }
  return 0;
}

import { readResults, ResultsError } from '../results/read-results.js';
import { FontMissingError } from '../report/render.js';
import { writeReport } from '../report/report.js';
import { STRATEGIES } from '../strategy/registry.js';
import { CLIError, usageError } from './errors.js';

export interface ReportOptions {
  out?: string;
}

/** `migbench report DIR`: plots (SVG, PNG) and report.html from a results directory. */
export async function reportCommand(dir: string, opts: ReportOptions): Promise<number> {
  let results;
  try {
    results = readResults(dir);
  } catch (err) {
    if (err instanceof ResultsError) throw usageError(err.message, err);
    throw err;
  }
  try {
    const files = await writeReport(results, opts.out ?? dir, (s) => STRATEGIES.get(s));
    process.stdout.write(`${files.join('\n')}\n`);
  } catch (err) {
    if (err instanceof FontMissingError) throw new CLIError(err.message, 1, { cause: err });
    throw err;
  }
  return 0;
}

import { plan, planTable } from '../analysis/plan.js';
import { readResults, ResultsError } from '../results/read-results.js';
import { formatBitRate, formatBytes, parseCount, parseRate, parseSize } from '../scenario/units.js';
import { usageError } from './errors.js';

export interface PlanOptions {
  size?: string;
  link?: string;
  volumes?: string;
  concurrency: string;
  writeRate?: string;
}

function field<T>(name: string, value: string | undefined, parse: (v: string) => T): T {
  if (value === undefined) throw usageError(`--${name} is required`);
  try {
    return parse(value);
  } catch (err) {
    throw usageError(`--${name}: ${(err as Error).message}`);
  }
}

/** `migbench plan DIR --size S --link R --volumes N`: predictions per strategy with fit quality. */
export async function planCommand(dir: string, opts: PlanOptions): Promise<number> {
  const sizeBytes = field('size', opts.size, parseSize);
  const linkBps = field('link', opts.link, parseRate);
  const volumes = field('volumes', opts.volumes, (v) => parseCount(v, 'volumes'));
  const concurrency = field('concurrency', opts.concurrency, (v) => parseCount(v, 'concurrency'));
  const writeRateBps = opts.writeRate === undefined ? undefined : field('write-rate', opts.writeRate, parseRate);
  if (sizeBytes <= 0) throw usageError('--size must be greater than 0');
  if (linkBps <= 0) throw usageError('--link must be greater than 0');
  let rows;
  try {
    rows = readResults(dir).runs;
  } catch (err) {
    if (err instanceof ResultsError) throw usageError(err.message);
    throw err;
  }
  const p = plan(rows, { sizeBytes, linkBps, volumes, concurrency: Math.min(concurrency, volumes), writeRateBps });
  if (p.strategies.length === 0) throw usageError(`${dir}: no successful repetition to fit`);
  const x = p.strategies[0]!.x;
  process.stdout.write(
    `fleet: ${volumes} × ${formatBytes(sizeBytes)} over ${formatBitRate(linkBps)} (the run measured ${(p.linkEfficiency * 100).toFixed(0)} % of the asked rate), ` +
      `${Math.min(concurrency, volumes)} at a time: ${x.toFixed(2)} s of transfer per volume\n` +
      `models: interruption_ms and migration_ms = a + b × transfer_s, least squares per strategy over ${dir}/runs.csv; range = ± 2 standard errors of a new observation (wider away from the measured sizes)\n\n` +
      `${planTable(p)}\n`,
  );
  return 0;
}

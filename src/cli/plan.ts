import { writeFileSync } from 'node:fs';
import { plan, PlanError, type Plan } from '../analysis/plan.js';
import { planText } from '../analysis/plan-text.js';
import { readResults, ResultsError } from '../results/read-results.js';
import { parseCount, parseRate, parseSize } from '../scenario/units.js';
import { STRATEGIES } from '../strategy/registry.js';
import { usageError } from './errors.js';

export interface PlanOptions {
  size?: string;
  link?: string;
  volumes?: string;
  concurrency: string;
  writeRate?: string;
  strategy?: string;
  /** `--json` alone: JSON on stdout instead of text; `--json FILE`: text on stdout, JSON to FILE. */
  json?: string | boolean;
}

/** The `--json` document: the plan, what it was computed from, and the schema's version. */
export interface PlanJson extends Plan {
  kind: 'migbench-plan';
  version: 1;
  /** Units of every field: times in ms (`…Ms`), sizes in bytes, rates in bit/s (`…Bps`). */
  units: { time: 'ms'; size: 'bytes'; rate: 'bit/s' };
  source: { dir: string; runId: string | null };
}

function field<T>(name: string, value: string | undefined, parse: (v: string) => T): T {
  if (value === undefined) throw usageError(`--${name} is required`);
  try {
    return parse(value);
  } catch (err) {
    throw usageError(`--${name}: ${(err as Error).message}`, err);
  }
}

/**
 * `migbench plan DIR --size S --link R --volumes N`: per strategy, a physics model calibrated
 * on DIR's repetitions. Exit 0 with a plan; 2 when the input or the data cannot answer.
 */
export async function planCommand(dir: string, opts: PlanOptions): Promise<number> {
  const sizeBytes = field('size', opts.size, parseSize);
  const linkBps = field('link', opts.link, parseRate);
  const volumes = field('volumes', opts.volumes, (v) => parseCount(v, 'volumes'));
  const concurrency = field('concurrency', opts.concurrency, (v) => parseCount(v, 'concurrency'));
  const writeRateBps = opts.writeRate === undefined ? undefined : field('write-rate', opts.writeRate, parseRate);
  const strategies = opts.strategy === undefined ? undefined : opts.strategy.split(',').map((s) => s.trim()).filter(Boolean);
  if (sizeBytes <= 0) throw usageError('--size must be greater than 0');
  if (linkBps <= 0) throw usageError('--link must be greater than 0');
  if (strategies !== undefined && strategies.length === 0) throw usageError('--strategy: name at least one strategy');
  let results;
  try {
    results = readResults(dir);
  } catch (err) {
    if (err instanceof ResultsError) throw usageError(err.message, err);
    throw err;
  }
  let p: Plan;
  try {
    p = plan(results.runs, { sizeBytes, linkBps, volumes, concurrency, writeRateBps, strategies }, { expectsNoLoss: (s) => STRATEGIES.get(s)?.expectsNoLoss });
  } catch (err) {
    if (err instanceof PlanError) throw usageError(`the data in ${dir} cannot answer this: ${err.message}`, err);
    throw err;
  }
  const doc: PlanJson = { kind: 'migbench-plan', version: 1, units: { time: 'ms', size: 'bytes', rate: 'bit/s' }, source: { dir, runId: results.meta.run_id ?? null }, ...p };
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  if (opts.json === true || opts.json === '-') {
    process.stdout.write(json);
    return 0;
  }
  if (typeof opts.json === 'string') writeFileSync(opts.json, json);
  process.stdout.write(`${planText(p, dir)}\n`);
  return 0;
}

import { appendFileSync, writeFileSync } from 'node:fs';
import { toBmf } from '../analysis/bmf.js';
import { compareResults, DEFAULT_GATED } from '../analysis/compare.js';
import { compareMarkdown } from '../analysis/compare-markdown.js';
import { expectsNoLoss } from '../results/expectations.js';
import { readResults, ResultsError, type Results } from '../results/read-results.js';
import { usageError } from './errors.js';

export interface CompareCliOptions {
  threshold: string;
  metrics: string;
  markdown?: string;
  bmf?: string;
  json?: string;
  strictEnv?: boolean;
}

/** `10%`, `0.1` → 0.1; bad input otherwise. */
export function parseThreshold(input: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(input);
  if (!m) throw usageError(`--threshold "${input}" is not a percentage (examples: 10%, 0.1)`);
  const v = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  if (v <= 0 || v >= 10) throw usageError(`--threshold ${input} must be above 0 and below 1000%`);
  return v;
}

function load(dir: string): Results {
  try {
    return readResults(dir);
  } catch (err) {
    if (err instanceof ResultsError) throw usageError(err.message, err);
    throw err;
  }
}

/**
 * `migbench compare BASE CANDIDATE`: exit 0 no regression, 1 regression (a gated metric,
 * a strategy or sweep point the candidate lacks, a failed repetition, loss where none is
 * allowed), 2 bad input — or, with `--strict-env`, a different environment.
 * Prints Markdown; `--markdown FILE` appends it (e.g. $GITHUB_STEP_SUMMARY), `--bmf FILE`
 * writes the candidate in Bencher's format, `--json FILE` the whole comparison.
 */
export async function compareCommand(baseDir: string, candDir: string, opts: CompareCliOptions): Promise<number> {
  const threshold = parseThreshold(opts.threshold);
  const base = load(baseDir);
  const cand = load(candDir);
  const gated = opts.metrics.split(',').map((s) => s.trim()).filter(Boolean);
  const c = compareResults(base, cand, { threshold, gated, expectsNoLoss });
  const known = new Set(c.metrics.map((m) => m.metric));
  const unknown = known.size ? gated.filter((m) => !known.has(m)) : [];
  if (unknown.length) throw usageError(`--metrics: no such metric column ${unknown.join(', ')} (columns: ${[...known].join(', ')})`);
  const md = compareMarkdown(c, { strictEnv: opts.strictEnv });
  process.stdout.write(md);
  if (opts.markdown) appendFileSync(opts.markdown, md);
  if (opts.bmf) writeFileSync(opts.bmf, `${JSON.stringify(toBmf(cand.runs), null, 2)}\n`);
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify({ ...c, strict_env: opts.strictEnv ?? false }, null, 2)}\n`);
  if (opts.strictEnv && c.environment.length) {
    process.stderr.write(`migbench compare: the environment differs (${c.environment.map((d) => d.what).join('; ')}); not judged under --strict-env\n`);
    return 2;
  }
  return c.regressions.length ? 1 : 0;
}

export const COMPARE_DEFAULTS = { threshold: '10%', metrics: DEFAULT_GATED.join(',') };

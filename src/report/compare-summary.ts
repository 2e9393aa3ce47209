/**
 * The verdict of `migbench compare --json FILE`, read back for the report page. Read
 * leniently (only the fields the page shows), so fields compare adds later pass through.
 */
import { readFileSync } from 'node:fs';

/** What the page shows of a comparison. */
export interface CompareSummary {
  file: string;
  verdict: 'regression' | 'no regression';
  regressions: string[];
  /** Metric verdicts counted, e.g. { unchanged: 40, improvement: 2 }. */
  counts: Record<string, number>;
  onlyInBase: string[];
  onlyInCandidate: string[];
  /** Environment differences, when compare reports them. */
  environment: string[];
}

/** A compare JSON that cannot be read. */
export class CompareFileError extends Error {
  override readonly name = 'CompareFileError';
}

/** Lines of a list: strings as they are; compare's environment records as `what: base → candidate`. */
const strings = (x: unknown): string[] =>
  Array.isArray(x)
    ? x.map((v) => {
        if (typeof v === 'string') return v;
        const d = v as { what?: unknown; base?: unknown; candidate?: unknown };
        return typeof d?.what === 'string' ? `${d.what}: ${String(d.base)} → ${String(d.candidate)}` : JSON.stringify(v);
      })
    : [];

/** The summary of a parsed compare JSON (pure). */
export function compareSummary(json: unknown, file = ''): CompareSummary {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { regressions?: unknown }).regressions)) {
    throw new CompareFileError(`${file}: not the JSON of \`migbench compare --json\` (no "regressions" list)`);
  }
  const j = json as Record<string, unknown>;
  const counts: Record<string, number> = {};
  for (const m of Array.isArray(j.metrics) ? j.metrics : []) {
    const v = String((m as { verdict?: unknown }).verdict ?? '?');
    counts[v] = (counts[v] ?? 0) + 1;
  }
  const regressions = strings(j.regressions);
  const env = j.environment;
  return {
    file,
    verdict: regressions.length ? 'regression' : 'no regression',
    regressions,
    counts,
    onlyInBase: strings(j.onlyInBase),
    onlyInCandidate: strings(j.onlyInCandidate),
    environment: strings(env),
  };
}

/** Reads and summarises a compare JSON file. */
export function readCompareSummary(path: string): CompareSummary {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CompareFileError(`${path}: ${(err as Error).message}`, { cause: err });
  }
  return compareSummary(json, path);
}

/**
 * The first lines `migbench run` prints: what was asked, in the units the user typed
 * (`8MB/s writes`, `1Gbit/s link`), how many repetitions that makes and the dry-run
 * estimate of how long they take. Pure.
 */
import { estimateLab, estimateRepetition, formatWallTime } from '../scenario/estimate.js';
import type { RawScenario } from '../scenario/options.js';
import { groupByLink, type SweepPoint } from '../scenario/sweep.js';

/** Repetitions of a run: every point × strategy × rep (a drain of N volumes counts once). */
export function totalRepetitions(points: readonly SweepPoint[]): number {
  return points.reduce((n, p) => n + p.scenario.strategies.length * p.scenario.reps, 0);
}

/** The dry-run estimate of a whole run (ms): every lab, every repetition. */
export function estimateRunMs(points: readonly SweepPoint[]): number {
  const labs = groupByLink(points).reduce((t, lab) => t + estimateLab(lab[0]!.scenario), 0);
  return points.reduce((t, p) => t + estimateRepetition(p.scenario).totalMs * p.scenario.strategies.length * p.scenario.reps, labs);
}

/** The values an option takes over the sweep, as typed: `64MiB` or `64MiB,256MiB`. */
function asTyped(points: readonly SweepPoint[], key: keyof RawScenario): string {
  return [...new Set(points.map((p) => p.raw[key]).filter((v): v is string => v !== undefined && v !== ''))].join(',');
}

/** `items` joined by `, ` on lines of at most `width` characters, each indented by two spaces. */
function wrapList(items: readonly string[], width = 118): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [i, item] of items.entries()) {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${piece}` : `  ${piece}`;
  }
  if (line) lines.push(line);
  return lines;
}

export interface HeaderInput {
  runId: string;
  points: readonly SweepPoint[];
  /** The clone backend the run uses, when a strategy clones. */
  cloneBackend?: string | undefined;
  /** The dirty tracking the run uses, when a strategy tracks writes. */
  tracking?: string | undefined;
}

/**
 * `migbench run <id>: 3 strategies × 2 repetitions = 6, about 1 min`, the strategies, and
 * the scenario as asked: `32MiB volume, 8MB/s writes, 200/s reads, 1Gbit/s link, 0ms
 * added latency; clone backend dm-clone`.
 */
/** ` (zipf:1)` after a rate, nothing for the default uniform pattern. */
const pattern = (typed: string): string => (typed === 'uniform' ? '' : ` (${typed})`);

export function runHeader(h: HeaderInput): string {
  const first = h.points[0]!.scenario;
  const n = first.strategies.length;
  const swept = h.points.length > 1 ? `${h.points.length} sweep points × ` : '';
  const count = `${swept}${n} strateg${n === 1 ? 'y' : 'ies'} × ${first.reps} repetition${first.reps === 1 ? '' : 's'} = ${totalRepetitions(h.points)}`;
  const v = (key: keyof RawScenario): string => asTyped(h.points, key);
  const workload =
    first.workload === 'stamped' ? [`${v('writeRate')} writes${pattern(v('writePattern'))}`, `${v('readRate')} reads${pattern(v('readPattern'))}`] : [`${first.workload} workload`];
  const asked = [
    `${v('size')} volume${first.volumes > 1 ? `s, a drain of ${first.volumes}` : ''}`,
    ...workload,
    `${v('link')} link`,
    `${v('latency')} added latency`,
  ].join(', ');
  const tools = [h.cloneBackend ? `clone backend ${h.cloneBackend}` : '', h.tracking ? `dirty tracking ${h.tracking}` : ''].filter(Boolean);
  return [
    `migbench run ${h.runId}: ${count}, about ${formatWallTime(estimateRunMs(h.points))}`,
    ...wrapList(first.strategies),
    ...wrapList([asked, ...tools].join('; ').split(', ')),
  ].join('\n');
}

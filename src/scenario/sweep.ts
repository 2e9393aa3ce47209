/**
 * Sweeps: any option declared sweepable (options.ts) may hold a comma list (`--size 64MiB,256MiB`), and a run
 * covers the cartesian product of the lists. Pure: expansion and validation only.
 */
import { SWEEPABLE, type RawScenario, type SweepKey } from './options.js';
import { ScenarioError, validateScenario, type Scenario } from './scenario.js';

export { SWEEPABLE, type SweepKey } from './options.js';

/** One point of a sweep: its options, its validated scenario and a label naming what varies. */
export interface SweepPoint {
  index: number;
  raw: RawScenario;
  scenario: Scenario;
  /** The swept options' values at this point, e.g. `{ size: '64MiB' }` (empty without a sweep). */
  params: Partial<Record<SweepKey, string>>;
  /** `size=64MiB write-rate=8MB/s`; '' when nothing is swept. Goes into runs.csv `sweep_point`. */
  label: string;
}

function listOf(value: string): string[] {
  return value.split(',').map((v) => v.trim());
}

/** The swept options (those holding more than one value), in SWEEPABLE order. */
export function sweptKeys(raw: RawScenario): SweepKey[] {
  return (Object.keys(SWEEPABLE) as SweepKey[]).filter((k) => {
    const v = raw[k];
    return v !== undefined && listOf(v).length > 1;
  });
}

/**
 * Expands the lists into points (the last swept option varies fastest) and validates
 * every point, so a bad value anywhere is refused before anything is provisioned.
 * Errors name the option and, for a sweep, the point.
 */
export function expandSweep(raw: RawScenario, resolveStrategies: (list: string) => string[], maxPoints = 256): SweepPoint[] {
  const keys = sweptKeys(raw);
  for (const k of keys) {
    const values = listOf(raw[k]!);
    if (values.some((v) => v === '')) throw new ScenarioError(`--${SWEEPABLE[k]}: empty value in list "${raw[k]}"`);
    if (new Set(values).size !== values.length) throw new ScenarioError(`--${SWEEPABLE[k]}: repeated value in list "${raw[k]}"`);
  }
  const total = keys.reduce((n, k) => n * listOf(raw[k]!).length, 1);
  if (total > maxPoints) throw new ScenarioError(`the sweep has ${total} points, more than ${maxPoints}`);
  let combos: Partial<Record<SweepKey, string>>[] = [{}];
  for (const k of keys) combos = combos.flatMap((c) => listOf(raw[k]!).map((v) => ({ ...c, [k]: v })));
  return combos.map((params, index) => {
    const pointRaw: RawScenario = { ...raw, ...params };
    const label = keys.map((k) => `${SWEEPABLE[k]}=${params[k]}`).join(' ');
    let scenario: Scenario;
    try {
      scenario = validateScenario(pointRaw, resolveStrategies);
    } catch (err) {
      if (err instanceof ScenarioError && label) throw new ScenarioError(`${err.message} (sweep point ${label})`);
      throw err;
    }
    return { index, raw: pointRaw, scenario, params, label };
  });
}

/**
 * Groups points that share a lab (the link is shaped once per lab and measured once),
 * keeping the points' order within each group.
 */
export function groupByLink(points: readonly SweepPoint[]): SweepPoint[][] {
  const groups = new Map<string, SweepPoint[]>();
  for (const p of points) {
    const key = `${p.scenario.linkBps}|${p.scenario.latencyMs}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  return [...groups.values()];
}

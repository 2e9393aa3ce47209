import type { Strategy } from './context.js';
import { ASYNC_CLONE } from './async-clone.js';
import { ORDERINGS } from './orderings.js';
import { PRECOPY } from './precopy.js';
import { BACKUP_RESTORE } from './backup-restore.js';
import { MIRROR } from './mirror.js';
import { expectationOf, expectsNoLoss } from '../results/expectations.js';
import { strategyPhases } from '../fault/phases.js';

/**
 * Every strategy migbench can run, by name. What each is predicted to show, and whether it
 * must lose nothing, come from the record's table (results/expectations.ts), which compare
 * and the report's verdicts read too.
 */
export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map(
  [...ORDERINGS, ASYNC_CLONE, PRECOPY, BACKUP_RESTORE, MIRROR].map((s) => [s.name, { ...s, expectsNoLoss: expectsNoLoss(s.name), predicted: expectationOf(s.name).predicted, phases: strategyPhases(s.name) }]),
);

/** Named groups a user can ask for instead of a list. */
export const GROUPS: Record<string, () => string[]> = {
  all: () => [...STRATEGIES.keys()],
  'all-orderings': () => ORDERINGS.map((s) => s.name),
};

/**
 * Expands `kill-copy-boot,all-orderings` into distinct strategy names, in order.
 * Throws with the list of valid names on an unknown one.
 */
export function resolveStrategies(list: string): string[] {
  const out: string[] = [];
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const names = GROUPS[raw]?.() ?? (STRATEGIES.has(raw) ? [raw] : undefined);
    if (!names) {
      throw new Error(`unknown strategy "${raw}" (known: ${[...Object.keys(GROUPS), ...STRATEGIES.keys()].join(', ')})`);
    }
    for (const n of names) if (!out.includes(n)) out.push(n);
  }
  if (out.length === 0) throw new Error('no strategy given');
  return out;
}

export function getStrategy(name: string): Strategy {
  const s = STRATEGIES.get(name);
  if (!s) throw new Error(`unknown strategy ${name}`);
  return s;
}

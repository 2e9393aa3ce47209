/**
 * Which phases each strategy emits, and the refusal of a fault whose phase never comes in
 * a chosen strategy (checked before anything is provisioned). The registry attaches these
 * to every strategy (`Strategy.phases`).
 */
import { requiredPhase, type FaultSpec, type PhaseName } from './spec.js';

/** Every strategy starts the migration, kills A and boots B. */
const COMMON: readonly PhaseName[] = ['start', 'kill', 'boot'];

/** The phases of the strategies that have more than the common ones. */
const EXTRA: Readonly<Record<string, readonly PhaseName[]>> = {
  'async-clone': ['hydration'],
  precopy: ['round'],
  mirror: ['mirror-ready'],
};

/** The phases strategy `name` emits (an unknown name: the common ones). */
export function strategyPhases(name: string): readonly PhaseName[] {
  return [...COMMON, ...(EXTRA[name] ?? [])];
}

/** What the refusal needs to know of a strategy. */
export interface FaultableStrategy {
  name: string;
  phases?: readonly PhaseName[] | undefined;
  /** Strategies that serve the source through qemu-storage-daemon on A (precopy, mirror, backup-restore). */
  prepareSource?: unknown;
}

/** Faults that act on the plain nbdkit export of the source, which strategies with a prepared source do not read. */
const EXPORT_FAULTS: readonly FaultSpec['kind'][] = ['source-eio', 'source-restart'];

/**
 * Why `fault` cannot run with the strategies `strategies` (each with its declared phases),
 * or undefined when every one of them reaches the fault's phase and can take the fault.
 */
export function faultPhaseProblem(fault: FaultSpec, strategies: readonly FaultableStrategy[]): string | undefined {
  if (fault.kind === 'dest-crash') {
    // Only a clone has a destination to crash mid-migration and reassemble.
    const other = strategies.filter((s) => s.name !== 'async-clone').map((s) => s.name);
    if (other.length) return `--fault ${fault.text}: dest-crash needs a clone to reassemble after the crash (async-clone), not ${other.join(', ')}`;
  }
  if (EXPORT_FAULTS.includes(fault.kind) || (fault.kind === 'slow-source' && fault.rateBps !== undefined)) {
    const prepared = strategies.filter((s) => s.prepareSource).map((s) => s.name);
    if (prepared.length) return `--fault ${fault.text}: ${fault.kind} acts on the source's nbdkit export, which ${prepared.join(', ')} do not read (they serve A through qemu-storage-daemon)`;
  }
  const need = requiredPhase(fault.phase);
  const never = strategies.filter((s) => !(s.phases ?? strategyPhases(s.name)).includes(need)).map((s) => s.name);
  if (never.length === 0) return undefined;
  return `--fault ${fault.text}: phase ${need} never comes in ${never.join(', ')} (it has ${(strategies.find((s) => s.name === never[0])?.phases ?? strategyPhases(never[0]!)).join(', ')})`;
}

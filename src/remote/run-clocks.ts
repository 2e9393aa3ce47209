import type { ResourceScope } from '../lab/scope.js';
import { measureClock } from './clock-probe.js';
import { clockProblem, hostClock, type ClockEstimate, type HostClock } from './clock.js';
import type { RemoteSide } from './remote-side.js';

/** A host's clock as meta.json records it (ms). */
export interface ClockRecord {
  offset_ms: number;
  uncertainty_ms: number;
  drift_ms: number;
  before: { offset_ms: number; uncertainty_ms: number; rtt_ms: number };
  after?: { offset_ms: number; uncertainty_ms: number; rtt_ms: number };
}

const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;
const estimate = (e: ClockEstimate): ClockRecord['before'] => ({ offset_ms: ms(e.offsetNs), uncertainty_ms: ms(e.uncertaintyNs), rtt_ms: ms(e.rttNs) });

/** meta.json's record of one host's clock (pure). */
export function clockRecord(c: HostClock): ClockRecord {
  return { offset_ms: ms(c.offsetNs), uncertainty_ms: ms(c.uncertaintyNs), drift_ms: ms(c.driftNs), before: estimate(c.before), ...(c.after ? { after: estimate(c.after) } : {}) };
}

/** Thrown when a host's clock is known less well than `--max-clock-uncertainty` (exit 2 in the CLI). */
export class ClockUncertaintyError extends Error {
  override readonly name = 'ClockUncertaintyError';
}

/**
 * The clocks of a run's real hosts: measured before it (and the correction set on each
 * side, so every timestamp its processes report is mapped onto the controller's clock),
 * measured again after it for the drift.
 */
export class RunClocks {
  private readonly clocks = new Map<RemoteSide, HostClock>();

  private constructor(private readonly sides: readonly RemoteSide[]) {}

  /**
   * Measures each side's offset and sets its correction; throws ClockUncertaintyError when
   * one is known less well than `maxUncertaintyNs`.
   */
  static async before(scope: ResourceScope, sides: readonly RemoteSide[], maxUncertaintyNs: number): Promise<RunClocks> {
    const c = new RunClocks(sides);
    for (const side of sides) {
      const clock = hostClock(await measureClock(scope, side));
      c.clocks.set(side, clock);
      side.clockOffsetNs = clock.before.offsetNs;
    }
    const problem = clockProblem(Object.fromEntries(sides.map((s) => [s.label, c.clocks.get(s)!])), maxUncertaintyNs);
    if (problem) throw new ClockUncertaintyError(problem);
    return c;
  }

  /** Measures each side again: meta.json then has the drift over the run. */
  async after(scope: ResourceScope): Promise<void> {
    for (const side of this.sides) this.clocks.set(side, hostClock(this.clocks.get(side)!.before, await measureClock(scope, side)));
  }

  /** Per row: the offsets the timestamps were corrected by, and the worse uncertainty before the run (ms). */
  rowCells(): { clock_offset_a_ms: number; clock_offset_b_ms: number; clock_uncertainty_ms: number } {
    const [a, b] = this.sides.map((s) => this.clocks.get(s)!.before);
    return { clock_offset_a_ms: ms(a!.offsetNs), clock_offset_b_ms: ms(b!.offsetNs), clock_uncertainty_ms: ms(Math.max(a!.uncertaintyNs, b!.uncertaintyNs)) };
  }

  /** meta.json's `remote.clocks`, by role. */
  record(): Record<string, ClockRecord> {
    return Object.fromEntries(this.sides.map((s) => [s.label.toLowerCase(), clockRecord(this.clocks.get(s)!)]));
  }
}

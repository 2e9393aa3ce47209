/**
 * The repetition's side of a fault: builds the injector's target from the migration
 * context, so that run-repetition.ts only starts and finishes it.
 */
import type { NbdExport } from '../lab/nbd-export.js';
import type { ResourceScope } from '../lab/scope.js';
import type { MigrationContext } from '../strategy/context.js';
import { stuckInIo } from './d-state.js';
import { FaultInjector } from './injector.js';
import type { FaultRecord } from './record.js';

/** A started fault: the probe strategies see, and how to end it. */
export interface AttachedFault {
  injector: FaultInjector;
  /** Ends the fault (undone if still on) and returns its record, with any process stuck in I/O. */
  finish(): Promise<FaultRecord>;
}

/**
 * Starts the injector of `ctx.scenario.fault` (undefined without one). `restartSource`
 * starts the source export again and returns it (source-restart).
 */
export function attachFault(
  scope: ResourceScope,
  ctx: MigrationContext,
  hydrated: () => number,
  restartSource: () => Promise<NbdExport>,
): AttachedFault | undefined {
  const spec = ctx.scenario.fault;
  if (!spec) return undefined;
  let exp = ctx.source.export;
  const injector = FaultInjector.start(
    scope,
    spec,
    {
      hosts: ctx.hosts,
      timeline: ctx.timeline,
      progress: hydrated,
      sourceDaemons: () => [exp.daemon, ...(ctx.source.tracked ? [ctx.source.tracked.tcp.daemon] : [])],
      restartSource: async () => {
        exp = await restartSource();
      },
      workDir: ctx.workDir,
    },
    ctx.signal,
  );
  return {
    injector,
    finish: async () => {
      const record = await injector.finish();
      const stuck = await stuckInIo();
      if (stuck.length) record.warnings.push(`stuck in I/O (state D): ${stuck.join(', ')}`);
      return record;
    },
  };
}

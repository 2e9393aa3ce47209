import type { BootedDestination, MigrationContext, StrategyDefinition, StrategyOutcome } from './context.js';
import { boot, copy, kill, type CopyStep } from './primitives.js';

export type Primitive = 'kill' | 'copy' | 'boot';

/** What the steps of an ordering returned, so far. */
interface Steps {
  copy?: CopyStep;
  dest?: BootedDestination;
}

const STEPS: Record<Primitive, (ctx: MigrationContext, done: Steps) => Promise<void>> = {
  kill: (ctx) => kill(ctx),
  copy: async (ctx, done) => {
    done.copy = await copy(ctx);
  },
  boot: async (ctx, done) => {
    done.dest = await boot(ctx);
  },
};

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** A strategy that runs the three primitives in the given order. */
export function ordering(steps: readonly Primitive[]): StrategyDefinition {
  const name = steps.join('-');
  return {
    name,
    async run(ctx): Promise<StrategyOutcome> {
      const done: Steps = {};
      for (const step of steps) await STEPS[step](ctx, done);
      if (!done.dest || !done.copy) throw new Error(`ordering ${name} must copy and boot`);
      // The data has fully arrived when both the copy and the boot are behind us.
      ctx.timeline.mark('hydration_done', Math.max(ctx.timeline.get('copy_done')!, done.dest.firstAckNs));
      ctx.timeline.mark('source_released', Math.max(ctx.timeline.get('copy_done')!, ctx.timeline.get('kill_done')!));
      return { dest: done.dest, copySeconds: done.copy.seconds };
    },
  };
}

/** All six orderings of kill, copy and boot. */
export const ORDERINGS: StrategyDefinition[] = permutations<Primitive>(['kill', 'copy', 'boot']).map(ordering);

import type { MigrationContext, Strategy } from './context.js';
import { boot, copy, kill } from './primitives.js';

export type Primitive = 'kill' | 'copy' | 'boot';

const STEPS: Record<Primitive, (ctx: MigrationContext) => Promise<void>> = { kill, copy, boot };

/** What each ordering is predicted to show (DESIGN.md's table). */
const PREDICTED: Record<string, string> = {
  'kill-copy-boot': 'no loss; downtime = kill + size/bandwidth + boot',
  'kill-boot-copy': 'loss: the copy overwrites what B wrote; B reads stale data until the copy lands',
  'copy-kill-boot': 'loss: writes acknowledged on A during the copy are missing',
  'copy-boot-kill': 'loss and split brain: A keeps acknowledging after B is up',
  'boot-kill-copy': 'loss and split brain: B runs on an empty volume, then the copy overwrites it',
  'boot-copy-kill': 'loss and split brain: both run during the copy',
};

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** A strategy that runs the three primitives in the given order. */
export function ordering(steps: readonly Primitive[]): Strategy {
  const name = steps.join('-');
  return {
    name,
    predicted: PREDICTED[name] ?? '',
    expectsNoLoss: name === 'kill-copy-boot',
    async run(ctx) {
      for (const step of steps) await STEPS[step](ctx);
      // The data has fully arrived when both the copy and the boot are behind us.
      ctx.timeline.mark('hydration_done', Math.max(ctx.timeline.get('copy_done')!, ctx.timeline.get('first_ack_dest')!));
      ctx.timeline.mark('source_released', Math.max(ctx.timeline.get('copy_done')!, ctx.timeline.get('kill_done')!));
    },
  };
}

/** All six orderings of kill, copy and boot. */
export const ORDERINGS: Strategy[] = permutations<Primitive>(['kill', 'copy', 'boot']).map(ordering);

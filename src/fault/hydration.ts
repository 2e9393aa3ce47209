/**
 * Hydration through a fault: a transient fault (the link down, the source slow, failing or
 * restarting) may end the hydration reader or job with an error; once the fault is over,
 * hydration starts again from where the clone is (what is on B stays). A source lost for
 * good ends the migration: what is not on B yet is unavailable, which is a result.
 */
import type { Clone } from '../transfer/clone/backend.js';
import type { MigrationContext, StrategyOutcome } from '../strategy/context.js';

/** Restarts after transient faults at most this many times (a fault that recurs is a failure). */
const MAX_RESUMES = 3;

/**
 * Waits until `clone` is hydrated, reporting progress; returns what was lost when the
 * source died for good first, undefined once everything is on B. Without a fault, the
 * clone's own error propagates unchanged.
 */
export async function hydrateThroughFault(ctx: MigrationContext, clone: Clone, regionBytes: number, sizeBytes: number): Promise<StrategyOutcome['unrecovered']> {
  for (let resumes = 0; ; resumes++) {
    // dm-clone retries the regions whose hydration failed, silently: a source lost for good
    // must end the wait, or it would last until --timeout.
    const lost = new AbortController();
    const watch = setInterval(() => {
      if (ctx.fault?.sourceLost()) lost.abort(new Error('the source is gone for good (hydration cannot complete)'));
    }, ctx.scenario.windowMs);
    try {
      await clone.waitHydrated((p) => ctx.progress(p.hydrated / p.total), ctx.scenario.windowMs, lost.signal);
      return undefined;
    } catch (err) {
      const fault = ctx.fault;
      if (!fault?.started() || ctx.signal.aborted) throw err;
      if (fault.sourceLost()) {
        // The clone's map of what is on B: the rest can never be read.
        const p = await clone.progress().catch(() => undefined);
        const unavailableBytes = p && Math.min(sizeBytes, Math.max(0, p.total - p.hydrated) * regionBytes);
        return { unavailableBytes, why: (err as Error).message };
      }
      if (resumes >= MAX_RESUMES) throw err;
      await fault.ended(ctx.signal);
      await clone.startHydration();
    } finally {
      clearInterval(watch);
    }
  }
}

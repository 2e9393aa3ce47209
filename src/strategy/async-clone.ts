import type { MigrationContext, Strategy } from './context.js';
import { boot, kill } from './primitives.js';

/**
 * kill → clone → boot: the clone is usable at once, the destination boots on it, and the
 * data moves in the background (and on first read). The run lasts until hydration is
 * complete and the source is released.
 */
export const ASYNC_CLONE: Strategy = {
  name: 'async-clone',
  predicted: 'no loss; downtime = kill + clone + boot, nearly independent of size; slower reads while hydrating',
  expectsNoLoss: true,
  usesClone: true,
  async run(ctx: MigrationContext) {
    const s = ctx.scenario;
    await kill(ctx);
    const b = ctx.cloneBackend;
    if (!b) throw new Error('async-clone needs a clone backend');
    ctx.backend = b.name;
    const clone = await b.create(ctx.scope, {
      sourceUri: ctx.source.export.uri,
      sourceHost: ctx.source.export.host,
      sourcePort: ctx.source.export.port,
      sizeBytes: s.sizeBytes,
      destDevice: ctx.dest.device,
      regionSizeBytes: s.regionSizeBytes,
      hydrationRateBps: s.hydrationRateBps,
      hydrationThreshold: s.hydrationThreshold,
      hydrationBatch: s.hydrationBatch,
      workDir: ctx.workDir,
      host: ctx.hosts.b,
      signal: ctx.signal,
    });
    ctx.timeline.mark('clone_ready');
    ctx.afterStop.push(() => clone.finalize());
    await clone.startHydration();
    await boot(ctx, clone.device);
    await clone.waitHydrated((p) => (ctx.hydrated = p.hydrated / p.total), s.windowMs);
    ctx.hydrated = 1;
    ctx.timeline.mark('hydration_done');
    await clone.detachSource();
    ctx.timeline.mark('source_released');
  },
};

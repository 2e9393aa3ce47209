import { yieldPolicy } from '../transfer/clone/hydration-yield.js';
import type { LinkMeasurement } from '../lab/link-probe.js';
import type { MigrationContext, StrategyDefinition, StrategyOutcome } from './context.js';
import { boot, kill } from './primitives.js';
import { hydrateThroughFault } from '../fault/hydration.js';
import type { Clone } from '../transfer/clone/backend.js';

/**
 * Hydration in flight for `--hydration-inflight auto`: one measured bandwidth-delay
 * product, at least 512 KiB. With the budget split into small requests (`readerShape`)
 * that keeps the link busy (200 Mbit/s, 20 ms: 0.94 of the link with 512 KiB); each byte
 * more only queues on the link, where the destination's on-demand fetches wait behind it
 * (read p50 32 → 98 ms, p99 297 → 420 ms with 512 KiB → 1 MiB in flight).
 */
export function autoInflight(link: LinkMeasurement): number {
  const bdp = (link.measuredBps / 8) * (link.requestRttMs / 1000);
  return Math.max(512 * 1024, Math.ceil(bdp / 65536) * 65536);
}

/**
 * kill → clone → boot: the clone is prepared before the kill and usable at once after it, the destination boots on it, and the
 * data moves in the background (and on first read). The run lasts until hydration is
 * complete and the source is released.
 */
export const ASYNC_CLONE: StrategyDefinition = {
  name: 'async-clone',
  usesClone: true,
  async run(ctx: MigrationContext): Promise<StrategyOutcome> {
    const s = ctx.scenario;
    const b = ctx.cloneBackend;
    if (!b) throw new Error('async-clone needs a clone backend');
    // Everything that reads nothing from A is built while A still runs; the kill leaves
    // only the switch (`activate`) between A's last write and B's boot.
    const prepared = await b.prepare(ctx.scope, {
      sourceUri: ctx.source.export.uri,
      sourceHost: ctx.source.export.host,
      sourcePort: ctx.source.export.port,
      sizeBytes: s.sizeBytes,
      destDevice: ctx.dest.device,
      regionSizeBytes: s.regionSizeBytes,
      hydrationRateBps: s.hydrationRateBps,
      hydrationThreshold: s.hydrationThreshold,
      hydrationBatch: s.hydrationBatch,
      hydrationInflightBytes: s.hydrationInflightBytes === 'auto' ? autoInflight(ctx.link) : s.hydrationInflightBytes,
      hydrationYield: s.hydrationYieldAt === undefined ? undefined : yieldPolicy(s.hydrationYieldAt),
      workDir: ctx.workDir,
      host: ctx.hosts.b,
      signal: ctx.signal,
    });
    await kill(ctx);
    const clone = await prepared.activate();
    ctx.timeline.mark('clone_ready');
    // Background hydration starts once the destination is up: before that it would only
    // compete with the boot's own first reads and writes for the link.
    const dest = await boot(ctx, clone.device, () => clone.startHydration());
    ctx.fault?.onDestCrash(() => crashAndReboot(ctx, clone));
    // Under a fault (issue 12) hydration resumes after it, or ends when the source is gone for good.
    const unrecovered = await hydrateThroughFault(ctx, clone, s.regionSizeBytes, s.sizeBytes);
    if (unrecovered) return { dest, backend: b.name, afterStop: [() => clone.finalize()], unrecovered };
    ctx.progress(1);
    ctx.timeline.mark('hydration_done');
    await clone.detachSource();
    ctx.timeline.mark('source_released');
    return { dest, backend: b.name, afterStop: [() => clone.finalize()], hydrationPausedMs: clone.hydrationPausedMs?.() };
  },
};

/**
 * `--fault dest-crash`: B's workload and clone stack killed, the clone reassembled from what
 * persisted, the workload booted again on it; hydration resumes through hydrateThroughFault.
 */
async function crashAndReboot(ctx: MigrationContext, clone: Clone): Promise<void> {
  const w = ctx.workload;
  if (!w.crashDest || !w.rebootDest) throw new Error('dest-crash: this workload cannot be crashed and booted again (use the stamped workload)');
  if (!clone.crash || !clone.reassemble) throw new Error(`dest-crash: the ${ctx.cloneBackend?.name} clone cannot be reassembled after a crash`);
  await w.crashDest();
  await clone.crash();
  await w.rebootDest(await clone.reassemble());
}

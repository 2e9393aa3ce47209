import { Timeline } from '../measure/timeline.js';
import { copyVolume } from '../transfer/copy.js';
import { extentBytes, type Extent } from '../transfer/dirty/extents.js';
import { DeltaServer } from '../transfer/dirty/delta-server.js';
import { RoundCopier, warmUpBatches } from '../transfer/dirty/round-copier.js';
import { exportPort } from '../lab/ports.js';
import type { MigrationContext, PrecopyRound, StrategyDefinition, StrategyOutcome } from './context.js';
import { nextStep } from './precopy-policy.js';
import { boot, kill } from './primitives.js';
import { dirtyTrackedSourceSetup } from './source-setup.js';

/**
 * Round copier shape when it reads A's NBD export: 4 connections × 16 requests of up to
 * 256 KiB. Dirty extents of one 4 KiB block are common, so many small requests must be in
 * flight to fill the link. Pre-copy itself streams its deltas from A's delta server.
 */
export const COPIER_SHAPE = { connections: 4, requestsPerConnection: 16, requestBytes: 256 * 1024 } as const;

/**
 * pre-copy → kill → final delta → boot. The source runs from the start on a device whose
 * writes are tracked at the workload's block size (QEMU dirty bitmaps, or the kernel's
 * dm-era with `--tracking dm-era`). The whole volume
 * is copied while A runs, then, round after round, exactly the extents dirtied during the
 * previous round, until the dirty set is small (`--converge-bytes`), a round no longer
 * shrinks it, or `--max-rounds` passes are done. Then A is killed, the last delta copied
 * and B booted. Every byte crosses the shaped link from B's namespace.
 *
 * The deltas are streamed: B's round copier sends each pass's extent list to a delta
 * server on A in one request, which reads them from A's device and sends their bytes back
 * to back. Per-block NBD reads through nbdkit and qemu-storage-daemon topped out at
 * ~4–13k requests/s on 2 cores — a quarter of what a 1 Gbit/s link carries in 4 KiB blocks
 * (docs/performance-precopy.md).
 */
export const PRECOPY: StrategyDefinition = {
  name: 'precopy',
  tracksWrites: true,
  prepareSource: dirtyTrackedSourceSetup,
  async run(ctx: MigrationContext): Promise<StrategyOutcome> {
    const s = ctx.scenario;
    const tracked = ctx.source.dirty;
    if (!tracked) throw new Error('precopy needs the tracked source (prepareSource)');
    const server = await DeltaServer.start(
      ctx.scope,
      ctx.hosts.a,
      { address: ctx.hosts.a.address, port: exportPort('delta', ctx.volume), device: tracked.dataDevice, latencyMs: s.latencyMs },
      ctx.signal,
    );
    const delta = { host: server.address, port: server.port };
    const copier = RoundCopier.start(ctx.scope, ctx.hosts.b, { host: tracked.tcp.host, port: tracked.tcp.port, exportName: '', device: ctx.dest.device, ...COPIER_SHAPE, delta });
    const passes: PrecopyRound[] = [];
    /** One delta pass: close the dirty set and list its extents, then copy exactly those. */
    const pass = async (round: PrecopyRound['round']): Promise<PrecopyRound> => {
      const startNs = Timeline.now();
      ctx.fault?.reached(`round:${round}`);
      // After the kill A's writer has exited, so no write can still be landing.
      const extents: readonly Extent[] = await tracked.rotate({ quiesced: round === 'final' });
      const listedNs = Timeline.now();
      const r = await copier.copy(extents, ctx.signal);
      const p = { round, startNs, listedNs, doneNs: Timeline.now(), dirtyBytes: extentBytes(extents), copiedBytes: r.bytes, copyMs: r.copyMs, flushMs: r.flushMs };
      passes.push(p);
      return p;
    };

    // Tracking starts before the first byte is read: whatever the full copy misses is dirty.
    await tracked.startTracking();
    // The full copy is one sequential sweep: nbdcopy (in B's namespace, over the link)
    // moves it with less CPU than the extent copier, which is kept for the deltas.
    const t0 = ctx.timeline.mark('copy_start');
    // Meanwhile, warm the delta server and the copier (fetches written nowhere): with
    // `rounds` 1 the final pass is otherwise their first request, run cold.
    const warmUp = (async () => {
      for (const extents of warmUpBatches(s.sizeBytes, s.blockSize)) await copier.warm(extents, ctx.signal);
    })();
    warmUp.catch(() => undefined);
    const r0 = await copyVolume(ctx.scope, tracked.tcp.uri, ctx.dest.device, ctx.hosts.b);
    await warmUp;
    const full: PrecopyRound = { round: 0, startNs: t0, listedNs: t0, doneNs: ctx.timeline.mark('copy_done'), dirtyBytes: s.sizeBytes, copiedBytes: s.sizeBytes };
    passes.push(full);
    let last = full;
    let converged = false;
    for (;;) {
      const dirty = await tracked.dirtyBytes();
      ctx.progress(1 - dirty / s.sizeBytes);
      const step = nextStep({ dirty, lastCopied: last.dirtyBytes, rounds: passes.length, maxRounds: s.maxRounds, convergeBytes: s.convergeBytes });
      if (step !== 'continue') {
        converged = step === 'converged';
        break;
      }
      last = await pass(passes.length);
    }
    const rounds = passes.length;

    await kill(ctx);
    // A is gone: the bitmap now holds exactly what B still lacks.
    const final = await pass('final');
    ctx.progress(1);
    const precopy = { rounds, converged, tracking: tracked.tracking, finalDeltaBytes: final.dirtyBytes, passes };
    const dest = await boot(ctx);
    await copier.stop();
    await server.stop();
    ctx.timeline.mark('hydration_done', Math.max(final.doneNs, dest.firstAckNs));
    ctx.timeline.mark('source_released', final.doneNs);
    return { dest, copySeconds: r0.seconds, precopy };
  },
};

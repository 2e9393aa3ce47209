import { copyVolume } from '../transfer/copy.js';
import type { BootedDestination, MigrationContext } from './context.js';

/** What *copy* reports. */
export interface CopyStep {
  /** Wall time of the copy. */
  seconds: number;
}

/** *kill*: stop the workload on A; when this returns, A does no more I/O. */
export async function kill(ctx: MigrationContext): Promise<void> {
  ctx.timeline.mark('kill_start');
  await ctx.workload.kill();
  ctx.timeline.mark('kill_done');
}

/** *copy*: move the whole volume A→B over the shaped link while whatever runs keeps running. */
export async function copy(ctx: MigrationContext): Promise<CopyStep> {
  return copyFrom(ctx, ctx.source.export.uri);
}

/** The copy primitive reading `uri` (the source volume, or a backup of it) into B's device. */
export async function copyFrom(ctx: MigrationContext, uri: string): Promise<CopyStep> {
  ctx.timeline.mark('copy_start');
  const r = await copyVolume(ctx.scope, uri, ctx.dest.device, ctx.hosts.b, (f) => ctx.progress(f));
  ctx.progress(1);
  ctx.timeline.mark('copy_done');
  return { seconds: r.seconds };
}

/**
 * *boot*: run the user's boot command (if any) on B, then start the workload on the
 * destination device. It is up at its first acknowledged write (`first_ack_dest`) and
 * booted once healthy for `--health`. `onUp` runs as soon as it is up.
 */
export async function boot(ctx: MigrationContext, device: string = ctx.dest.device, onUp?: () => Promise<void>): Promise<BootedDestination> {
  ctx.timeline.mark('boot_start');
  if (ctx.scenario.bootCmd) {
    await ctx.hosts.b.run('sh', ['-c', ctx.scenario.bootCmd], { signal: ctx.signal });
  }
  const up = ctx.timeline.mark('first_ack_dest', await ctx.workload.boot(device));
  await onUp?.();
  // No operator cuts over the instant a new instance answers once: boot completes when it
  // has kept acknowledging writes for the health window.
  const healthMs = ctx.scenario.healthMs;
  if (healthMs > 0) await ctx.workload.waitDestAck(up + healthMs * 1e6);
  ctx.timeline.mark('boot_done');
  return { device, firstAckNs: up };
}

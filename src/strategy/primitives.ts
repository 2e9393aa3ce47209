import { run } from '../lab/exec.js';
import { copyVolume } from '../transfer/copy.js';
import { Instance } from '../workload/instance.js';
import { startReadProbe, stampedReadRate } from './read-probe.js';
import type { MigrationContext } from './context.js';

/** The epoch of the instance booted on B (A runs epoch 1; the fill is epoch 0). */
export const DEST_EPOCH = 2;

/** *kill*: stop the instance on A; when this returns, A does no more I/O. */
export async function kill(ctx: MigrationContext): Promise<void> {
  ctx.timeline.mark('kill_start');
  await (ctx.app ? ctx.app.kill() : ctx.source.instance.kill());
  ctx.timeline.mark('kill_done');
}

/** *copy*: move the whole volume A→B over the shaped link while whatever runs keeps running. */
export async function copy(ctx: MigrationContext): Promise<void> {
  ctx.timeline.mark('copy_start');
  const r = await copyVolume(ctx.scope, ctx.source.export.uri, ctx.dest.device, ctx.hosts.b, (f) => {
    ctx.hydrated = f;
  });
  ctx.hydrated = 1;
  ctx.copySeconds = r.seconds;
  ctx.timeline.mark('copy_done');
}

/**
 * *boot*: run the user's boot command (if any) on B, then start the workload instance on
 * the destination device. It is up at its first acknowledged write (`first_ack_dest`)
 * and booted once healthy for `--health`. `onUp` runs as soon as it is up.
 */
export async function boot(ctx: MigrationContext, device: string = ctx.dest.device, onUp?: () => Promise<void>): Promise<void> {
  ctx.timeline.mark('boot_start');
  if (ctx.scenario.bootCmd) {
    await run('sh', ['-c', ctx.scenario.bootCmd], { netns: ctx.hosts.b.netns, signal: ctx.signal });
  }
  const s = ctx.scenario;
  if (ctx.app) {
    const up = ctx.timeline.mark('first_ack_dest', await ctx.app.boot(device, ctx.signal));
    await onUp?.();
    if (s.healthMs > 0) await ctx.app.waitDestAck(up + s.healthMs * 1e6, ctx.signal);
    ctx.timeline.mark('boot_done');
    return;
  }
  const instance = Instance.start(
    ctx.scope,
    {
      device,
      epoch: DEST_EPOCH,
      blockSize: s.blockSize,
      blocks: s.sizeBytes / s.blockSize,
      writeRateBps: s.writeRateBps,
      readRate: stampedReadRate(s),
      seed: 0x0b00 + DEST_EPOCH,
    },
    ctx.hosts.b.netns,
  );
  ctx.dest.instance = instance;
  const up = ctx.timeline.mark('first_ack_dest', await instance.waitFirstAck(ctx.signal));
  ctx.dest.probe = startReadProbe(ctx.scope, s, device, ctx.hosts.b.netns, ctx.workDir, 'dest');
  await onUp?.();
  // No operator cuts over the instant a new instance answers once: boot completes when it
  // has kept acknowledging writes for the health window.
  if (s.healthMs > 0) await instance.waitAckAtOrAfter(up + s.healthMs * 1e6, ctx.signal);
  ctx.timeline.mark('boot_done');
}

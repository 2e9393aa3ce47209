import { startNbdExport } from '../lab/nbd-export.js';
import { exportPort } from '../lab/ports.js';
import { SOURCE_NODE } from '../transfer/dirty/tracked-source.js';
import type { MigrationContext, StrategyDefinition, StrategyOutcome } from './context.js';
import { boot, kill } from './primitives.js';
import { trackedSourceSetup } from './source-setup.js';

const JOB = 'mirror';

interface BlockJobInfo {
  device: string;
  len: number;
  offset: number;
}

/**
 * Active mirroring → kill → boot on B, as VMware's IO mirroring and libvirt's
 * synchronous-writes mode do: QEMU `blockdev-mirror` with `copy-mode=write-blocking` from
 * the source's qemu-storage-daemon node (in A's namespace) to an NBD export of B's device
 * (nbdkit in B's namespace), tracking at the workload's block size. Once the job is ready
 * every write on A completes only after it is on B too, so the kill leaves B in sync; the
 * job is then completed without pivoting (`block-job-cancel` of a ready mirror) and B boots.
 */
export const MIRROR: StrategyDefinition = {
  name: 'mirror',
  prepareSource: trackedSourceSetup,
  async run(ctx: MigrationContext): Promise<StrategyOutcome> {
    const s = ctx.scenario;
    const tracked = ctx.source.tracked;
    if (!tracked) throw new Error('mirror needs the source behind qemu-storage-daemon (prepareSource)');
    const target = await startNbdExport(ctx.scope, ctx.hosts.b, {
      plugin: ['file', `file=${ctx.dest.device}`],
      latencyMs: s.latencyMs,
      port: exportPort('mirror-target', ctx.volume),
      workDir: ctx.workDir,
      name: 'mirror-target',
    });
    const qmp = tracked.qmp;
    await qmp.execute('blockdev-add', { driver: 'nbd', 'node-name': 'mirror-target', server: { type: 'inet', host: target.host, port: String(target.port) } });
    const since = qmp.mark();
    ctx.timeline.mark('copy_start');
    await qmp.execute('blockdev-mirror', {
      'job-id': JOB,
      device: SOURCE_NODE,
      target: 'mirror-target',
      sync: 'full',
      'copy-mode': 'write-blocking',
      granularity: s.blockSize,
    });
    const poll = setInterval(() => {
      qmp.execute<BlockJobInfo[]>('query-block-jobs').then((jobs) => {
        const j = jobs.find((x) => x.device === JOB);
        if (j && j.len > 0) ctx.progress(j.offset / j.len);
      }, () => undefined);
    }, s.windowMs);
    try {
      // Ready (in sync), or the job ended first: a failed mirror must not wait for the timeout.
      const ended = qmp
        .waitForEvent<{ device: string; error?: string }>('BLOCK_JOB_COMPLETED', (e) => e.data?.device === JOB, { since, signal: ctx.signal })
        .then((e) => {
          throw new Error(`mirror ended before it was in sync: ${e.data?.error ?? 'no error reported'}`);
        });
      await Promise.race([qmp.waitForEvent<{ device: string }>('BLOCK_JOB_READY', (e) => e.data?.device === JOB, { since, signal: ctx.signal }), ended]);
      ended.catch(() => undefined);
    } finally {
      clearInterval(poll);
    }
    const ready = ctx.timeline.mark('mirror_ready');
    ctx.timeline.mark('copy_done', ready);
    const copySeconds = (ready - ctx.timeline.get('copy_start')!) / 1e9;
    ctx.progress(1);

    await kill(ctx);
    // A is gone and every write it acknowledged is on B: finish without pivoting.
    const stopping = qmp.mark();
    await qmp.execute('block-job-cancel', { device: JOB });
    await qmp.waitForEvent<{ id: string; status: string }>('JOB_STATUS_CHANGE', (e) => e.data?.id === JOB && e.data.status === 'concluded', { since: stopping, signal: ctx.signal });
    const jobs = await qmp.execute<{ id: string; error?: string }[]>('query-jobs');
    const failed = jobs.find((j) => j.id === JOB)?.error;
    if (failed) throw new Error(`mirror failed: ${failed}`);
    await qmp.execute('job-dismiss', { id: JOB }).catch(() => undefined);
    await qmp.execute('blockdev-del', { 'node-name': 'mirror-target' });
    await target.daemon.stop();
    ctx.timeline.mark('source_released');
    const dest = await boot(ctx);
    ctx.timeline.mark('hydration_done', dest.firstAckNs);
    return { dest, copySeconds };
  },
};

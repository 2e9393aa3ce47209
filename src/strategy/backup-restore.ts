import { basename, join } from 'node:path';
import { ledgerHost } from '../host/ledger-host.js';
import { startNbdExport } from '../lab/nbd-export.js';
import { exportPort } from '../lab/ports.js';
import { Timeline } from '../measure/timeline.js';
import { SOURCE_NODE } from '../transfer/dirty/tracked-source.js';
import type { MigrationContext, StrategyDefinition, StrategyOutcome } from './context.js';
import { boot, copyFrom, kill } from './primitives.js';
import { trackedSourceSetup } from './source-setup.js';
import { sleep } from '../lab/wait.js';

/**
 * backup → (`--backup-age` of normal running) → kill → restore the backup to B → boot.
 * The backup is a real point-in-time copy taken while the workload runs: QEMU's
 * `blockdev-backup sync=full` (copy-before-write) from the source's qemu-storage-daemon
 * node into a file next to the volumes, so it holds the volume as it was when the job
 * started (`backup_start`). Restore is nbdcopy of that file, exported from A, over the
 * link into B's device. Every write acknowledged after `backup_start` is lost.
 */
export const BACKUP_RESTORE: StrategyDefinition = {
  name: 'backup-restore',
  prepareSource: trackedSourceSetup,
  async run(ctx: MigrationContext): Promise<StrategyOutcome> {
    const s = ctx.scenario;
    const tracked = ctx.source.tracked;
    if (!tracked) throw new Error('backup-restore needs the source behind qemu-storage-daemon (prepareSource)');
    // On A, next to its volume (a real host's data directory), made and removed there.
    const a = ctx.hosts.a;
    const file = join(a.dataDir ?? s.backingDir, `migbench-backup-${basename(ctx.workDir)}-${process.pid}.img`);
    await ctx.scope.acquire(
      { kind: 'file', path: file, ...ledgerHost(a) },
      // `set -C`: refuses an existing file, as `wx` did.
      () => a.run('sh', ['-c', 'set -C && : > "$1" && truncate -s "$2" "$1"', 'sh', file, String(s.sizeBytes)]),
      async () => {
        await a.run('rm', ['-f', file]);
      },
    );
    const qmp = tracked.qmp;
    await qmp.execute('blockdev-add', { driver: 'file', 'node-name': 'backup', filename: file, cache: { direct: false } });
    const since = qmp.mark();
    const t0 = ctx.timeline.mark('backup_start');
    await qmp.execute('blockdev-backup', { 'job-id': 'backup', device: SOURCE_NODE, target: 'backup', sync: 'full' });
    const done = await qmp.waitForEvent<{ device: string; error?: string }>('BLOCK_JOB_COMPLETED', (e) => e.data?.device === 'backup', { since, signal: ctx.signal });
    if (done.data?.error) throw new Error(`blockdev-backup failed: ${done.data.error}`);
    ctx.timeline.mark('backup_done');
    await qmp.execute('blockdev-del', { 'node-name': 'backup' });

    // The workload keeps running: the backup ages until the migration.
    // (Timers may fire a fraction of a ms early: wait until the age has really passed.)
    for (let left = s.backupAgeMs - (Timeline.now() - t0) / 1e6; left > 0; left = s.backupAgeMs - (Timeline.now() - t0) / 1e6) {
      await sleep(Math.ceil(left), ctx.signal);
    }

    await kill(ctx);
    const exp = await startNbdExport(ctx.scope, ctx.hosts.a, { plugin: ['file', `file=${file}`], latencyMs: s.latencyMs, port: exportPort('backup', ctx.volume), readonly: true, workDir: ctx.workDir, name: 'backup' });
    // The restore is the copy primitive, reading the backup instead of the volume.
    const restore = await copyFrom(ctx, exp.uri);
    const dest = await boot(ctx);
    ctx.timeline.mark('hydration_done', Math.max(ctx.timeline.get('copy_done')!, dest.firstAckNs));
    ctx.timeline.mark('source_released', ctx.timeline.get('copy_done')!);
    return { dest, copySeconds: restore.seconds };
  },
};

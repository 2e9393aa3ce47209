import { EraTrackedSource } from '../transfer/dirty/era-source.js';
import { exportPort } from '../lab/ports.js';
import { TrackedSource } from '../transfer/dirty/tracked-source.js';
import { resolveTracking } from '../transfer/dirty/tracking.js';
import type { PreparedSource, SourceSetup } from './context.js';

/**
 * `prepareSource` for strategies that act on A's writes through QEMU (mirror,
 * backup-restore, and precopy with `--tracking qemu`): the source workload runs from the
 * start on the qemu-storage-daemon device, with dirty tracking at the workload's block size.
 */
export async function trackedSourceSetup(setup: SourceSetup): Promise<PreparedSource> {
  const tracked = await TrackedSource.create(setup.scope, {
    sourceDevice: setup.sourceDevice,
    granularityBytes: setup.scenario.blockSize,
    workDir: setup.workDir,
    host: setup.hosts.a,
    latencyMs: setup.scenario.latencyMs,
    signal: setup.signal,
    ...(setup.volume !== undefined ? { volume: setup.volume } : {}),
  });
  return { device: tracked.device, tracked, dirty: tracked };
}

/** `prepareSource` of precopy: the source behind the dirty tracking `--tracking` names. */
export async function dirtyTrackedSourceSetup(setup: SourceSetup): Promise<PreparedSource> {
  if ((await resolveTracking(setup.scenario.tracking)) === 'qemu') return trackedSourceSetup(setup);
  const dirty = await EraTrackedSource.create(setup.scope, {
    sourceDevice: setup.sourceDevice,
    sizeBytes: setup.scenario.sizeBytes,
    granularityBytes: setup.scenario.blockSize,
    workDir: setup.workDir,
    host: setup.hosts.a,
    port: exportPort('tracked', setup.volume),
    latencyMs: setup.scenario.latencyMs,
  });
  return { device: dirty.device, dirty };
}

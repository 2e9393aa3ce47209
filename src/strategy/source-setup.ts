import { TrackedSource } from '../transfer/dirty/tracked-source.js';
import type { PreparedSource, SourceSetup } from './context.js';

/**
 * `prepareSource` for strategies that act on A's writes (precopy, mirror, backup-restore):
 * the source workload runs from the start on the qemu-storage-daemon device, with
 * dirty tracking at the workload's block size.
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
  return { device: tracked.device, tracked };
}

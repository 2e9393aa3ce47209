import { ProcessExitedError } from '../host/errors.js';
import type { Host } from '../host/host.js';
import type { ResourceScope } from '../lab/scope.js';
import { followNbdcopyProgress } from './nbdcopy-progress.js';

/** How a copy went. */
export interface CopyResult {
  seconds: number;
}

/**
 * The primitive *copy*: moves the whole volume from an NBD export on A to a block device
 * on B with nbdcopy running in B's namespace, so every byte crosses the shaped link.
 * Parallel connections and requests keep the link full even with added latency;
 * `--flush` makes the copy durable on B before it counts as done.
 */
export async function copyVolume(
  scope: ResourceScope,
  sourceUri: string,
  dest: string,
  on: Host,
  onProgress?: (fraction: number) => void,
): Promise<CopyResult> {
  const t0 = process.hrtime.bigint();
  const d = on.start(scope, 'nbdcopy', ['--flush', '--no-extents', '--connections=4', '--requests=16', '--progress=1', sourceUri, dest], { stdout: 'pipe' });
  if (onProgress) followNbdcopyProgress(d, onProgress);
  const r = await d.exited;
  if (r.exitCode !== 0) throw new ProcessExitedError(`nbdcopy ${sourceUri} → ${dest}`, r);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

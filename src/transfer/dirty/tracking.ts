import { deviceMapperProblem, hasDmTarget } from '../../lab/device-mapper.js';
import { missingTool } from '../../lab/exec.js';
import type { TrackingName } from './dirty-tracker.js';

export const TRACKINGS: readonly TrackingName[] = ['qemu', 'dm-era'];

/** Why pre-copy cannot track writes with `name` here, or undefined. */
export async function trackingProblem(name: TrackingName): Promise<string | undefined> {
  if (name === 'qemu') return missingTool(['qemu-storage-daemon', 'nbdfuse', 'fusermount3']);
  const problem = (await missingTool(['dmsetup', 'era_invalidate'])) ?? deviceMapperProblem();
  if (problem) return problem;
  if (!(await hasDmTarget('era', 'dm-era'))) return 'the kernel has no dm-era target (CONFIG_DM_ERA)';
  return undefined;
}

/** `auto` picks the kernel's dm-era where it can run, else QEMU dirty bitmaps. */
export async function resolveTracking(requested: 'auto' | TrackingName): Promise<TrackingName> {
  if (requested !== 'auto') return requested;
  return (await trackingProblem('dm-era')) === undefined ? 'dm-era' : 'qemu';
}

import { formatBytes } from './units.js';

/**
 * What a run needs of its backing directory, and whether the machine has it (pure).
 * The adapter that reads statfs and /proc/meminfo is src/cli/capacity-probe.ts.
 */

/** Metadata allowance per volume: qcow2 L1/refcount tables, dm-clone or dm-era metadata devices. */
export const METADATA_FLOOR_BYTES = 4 * 1024 * 1024;
/** Metadata per hydration region (qcow2 L2 entry + refcount; dm-clone / dm-era bitmaps are smaller). */
export const METADATA_BYTES_PER_REGION = 16;
/**
 * Memory kept free on a tmpfs backing: the run's own processes (node, nbdkit, qemu, the
 * workload instances) and the kernel's page cache for the loop devices need it — a fill
 * that takes the last of it is what invites the OOM killer. 1 GiB, or 10 % of what is
 * available, whichever is larger.
 */
export const TMPFS_MEMORY_MARGIN_BYTES = 1024 * 1024 * 1024;
export const TMPFS_MEMORY_MARGIN_FRACTION = 0.1;

/** One sweep point's demand. */
export interface CapacityPoint {
  sizeBytes: number;
  regionSizeBytes: number;
  volumes: number;
  strategies: readonly string[];
}

/** Bytes one point needs at its peak: a repetition's devices are released before the next one starts. */
export function neededBytes(p: CapacityPoint): number {
  const metadata = METADATA_FLOOR_BYTES + Math.ceil(p.sizeBytes / p.regionSizeBytes) * METADATA_BYTES_PER_REGION;
  // Source and destination images; backup-restore's backup file lives beside them.
  const images = p.sizeBytes * (p.strategies.includes('backup-restore') ? 3 : 2);
  return p.volumes * (images + metadata);
}

/** What the backing directory offers: free bytes there, and, for tmpfs, the memory available. */
export interface BackingSpace {
  dir: string;
  freeBytes: number;
  tmpfs: boolean;
  /** MemAvailable from /proc/meminfo (tmpfs pages are memory). */
  memAvailableBytes?: number;
}

export interface CapacityVerdict {
  neededBytes: number;
  /** What the run may use: free bytes, for tmpfs also memory available less the margin. */
  availableBytes: number;
  fits: boolean;
  /** One line for `--dry-run` and for the refusal. */
  text: string;
}

/** Memory a tmpfs run must leave free ({@link TMPFS_MEMORY_MARGIN_BYTES}). */
export function memoryMargin(memAvailableBytes: number): number {
  return Math.max(TMPFS_MEMORY_MARGIN_BYTES, Math.round(memAvailableBytes * TMPFS_MEMORY_MARGIN_FRACTION));
}

/** Checks the largest demand of `points` against `space`. */
export function checkCapacity(points: readonly CapacityPoint[], space: BackingSpace): CapacityVerdict {
  const needed = Math.max(...points.map(neededBytes));
  const memory = space.tmpfs && space.memAvailableBytes !== undefined ? space.memAvailableBytes - memoryMargin(space.memAvailableBytes) : Infinity;
  const available = Math.max(0, Math.min(space.freeBytes, memory));
  const limitedBy =
    memory < space.freeBytes
      ? `memory available ${formatBytes(space.memAvailableBytes!)} less a ${formatBytes(memoryMargin(space.memAvailableBytes!))} margin, as ${space.dir} is tmpfs`
      : `${formatBytes(space.freeBytes)} free in ${space.dir}`;
  return {
    neededBytes: needed,
    availableBytes: available,
    fits: needed <= available,
    text: `needs ${formatBytes(needed)} in ${space.dir}; ${formatBytes(available)} available (${limitedBy})`,
  };
}

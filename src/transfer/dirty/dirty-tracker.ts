import type { NbdExport } from '../../lab/nbd-export.js';
import type { Extent } from './extents.js';

/** How A's writes are tracked: QEMU dirty bitmaps (userspace) or dm-era (kernel). */
export type TrackingName = 'qemu' | 'dm-era';

/** A source volume whose writes are tracked, served to B over the link. */
export interface DirtyTracker {
  readonly tracking: TrackingName;
  /** The device the source workload runs on. */
  readonly device: string;
  /**
   * The device on A that holds the volume's current bytes, under the tracking (every
   * tracked write has reached it once it completes): what A's delta server reads.
   */
  readonly dataDevice: string;
  /** Export of the volume in A's namespace, for B to pull from. */
  readonly tcp: NbdExport;
  /** Starts a fresh dirty set: what was written before is not listed. */
  startTracking(): Promise<void>;
  /** Bytes written since the last rotation (the pre-copy policy's input). */
  dirtyBytes(): Promise<number>;
  /**
   * Closes the current dirty set and starts the next; returns the extents of every block
   * written since the previous rotation. Every write submitted before the call has
   * completed when it returns, so reading those extents now yields that write or a later
   * one, and every write after it lands in the next set. `quiesced`: the caller knows no
   * write is in flight (every writer has exited), so a tracker may skip waiting for them.
   */
  rotate(o?: { quiesced?: boolean }): Promise<Extent[]>;
}

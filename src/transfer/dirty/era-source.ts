import { join } from 'node:path';
import { createDmDevice, dmDeviceName, type DmDevice } from '../../lab/device-mapper.js';
import { eraInvalidate } from '../../lab/era-invalidate.js';
import type { Host } from '../../lab/hosts.js';
import { createLoopDevice } from '../../lab/loop-device.js';
import { startNbdExport, type NbdExport } from '../../lab/nbd-export.js';
import type { ResourceScope } from '../../lab/scope.js';
import type { DirtyTracker } from './dirty-tracker.js';
import { eraBlockBytes, eraMetadataBytes, eraTable, parseEraInvalidate, parseEraStatus } from './era-table.js';
import { extentBytes, type Extent } from './extents.js';

export interface EraSourceOptions {
  /** A's raw source device (already filled). */
  sourceDevice: string;
  sizeBytes: number;
  /** The workload's block size: dm-era tracks at it (at least 4 KiB). */
  granularityBytes: number;
  /** Scratch directory (the metadata file). */
  workDir: string;
  /** Host A: the TCP export lives in its namespace. */
  host: Host;
  /** Port of the TCP export. */
  port: number;
  /** Added per-request latency on the TCP export (the link's latency), ms. */
  latencyMs: number;
}

/**
 * A's volume behind the kernel's dm-era target: every write is recorded, per block, in
 * the era it was made in. The source workload runs on the era device; B pulls from an
 * nbdkit export of the same device in A's namespace.
 *
 * A rotation is a metadata snapshot (`take_metadata_snap`, which also starts a new era),
 * a drain of the writes in flight (dm-era marks a block *before* the write reaches the
 * origin, so a write submitted before the snapshot may still be landing: a suspend waits
 * for it), then `era_invalidate --written-since` on the snapshot, which lists every
 * block written since the previous rotation's era, then the snapshot is dropped.
 */
export class EraTrackedSource implements DirtyTracker {
  readonly tracking = 'dm-era';
  /** The era dm-era is in now; only migbench's own messages and suspends move it. */
  private era: number;
  /** The first era whose writes have not been listed yet. */
  private since: number;

  private constructor(
    private readonly dm: DmDevice,
    private readonly metaDevice: string,
    readonly tcp: NbdExport,
    private readonly blockBytes: number,
    private readonly sizeBytes: number,
    era: number,
  ) {
    this.era = era;
    this.since = era;
  }

  get device(): string {
    return this.dm.path;
  }

  /** The era device itself: reads of it are the origin's bytes. */
  get dataDevice(): string {
    return this.dm.path;
  }

  static async create(scope: ResourceScope, o: EraSourceOptions): Promise<EraTrackedSource> {
    const blockBytes = eraBlockBytes(o.granularityBytes);
    const meta = await createLoopDevice(scope, join(o.workDir, 'era-meta.img'), eraMetadataBytes(o.sizeBytes, blockBytes), { host: o.host });
    const dm = await createDmDevice(
      scope,
      dmDeviceName(o.host, o.workDir, 'era'),
      eraTable({ sizeBytes: o.sizeBytes, metaDevice: meta, originDevice: o.sourceDevice, blockBytes }),
      o.host,
    );
    // Buffered reads of a block device the workload writes with O_DIRECT (or a filesystem
    // writes behind its page cache): cache=none drops each page after it is served, so no
    // stale page outlives the write that replaced it.
    const tcp = await startNbdExport(scope, o.host, {
      plugin: ['file', `file=${dm.path}`, 'cache=none'],
      latencyMs: o.latencyMs,
      port: o.port,
      readonly: true,
      workDir: o.workDir,
      name: 'era',
    });
    const era = parseEraStatus(await dm.status()).currentEra;
    return new EraTrackedSource(dm, meta, tcp, blockBytes, o.sizeBytes, era);
  }

  /** The era the kernel reports (tests check it against the tracked one). */
  async kernelEra(): Promise<number> {
    return parseEraStatus(await this.dm.status()).currentEra;
  }

  /** The era migbench expects dm-era to be in. */
  get currentEra(): number {
    return this.era;
  }

  /** A new dirty set: what was written before is drained and never listed. */
  async startTracking(): Promise<void> {
    await this.snapshot({ drain: true, list: false, advance: true });
  }

  /** Lists without rotating: a snapshot (which starts a new era, harmlessly) and its list. */
  async dirtyBytes(): Promise<number> {
    return extentBytes(await this.snapshot({ drain: false, list: true, advance: false }));
  }

  /** `quiesced` skips the drain: with no writer left nothing is in flight (the final pass, after the kill). */
  async rotate(o: { quiesced?: boolean } = {}): Promise<Extent[]> {
    return this.snapshot({ drain: !o.quiesced, list: true, advance: true });
  }

  /**
   * Takes a metadata snapshot (a new era starts), then (`drain`) waits for the writes in
   * flight, then (`list`) lists the eras since `since` from the snapshot, then drops it.
   * `advance` moves `since` to the era the snapshot started: every earlier write is listed
   * and has landed, every later one is in the next list.
   */
  private async snapshot(o: { drain: boolean; list: boolean; advance: boolean }): Promise<Extent[]> {
    await this.dm.message('take_metadata_snap');
    this.era++;
    const next = this.era;
    try {
      if (o.drain) await this.drain();
      const extents = o.list ? parseEraInvalidate(await eraInvalidate(this.metaDevice, this.since, this.dm.host), this.blockBytes, this.sizeBytes) : [];
      if (o.advance) this.since = next;
      return extents;
    } finally {
      await this.dm.message('drop_metadata_snap');
    }
  }

  /** Waits for in-flight writes; the suspend archives the era and the resume starts a new one. */
  private async drain(): Promise<void> {
    await this.dm.drainInFlight();
    this.era++;
  }
}

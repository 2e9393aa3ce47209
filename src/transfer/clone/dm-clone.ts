import { join } from 'node:path';
import { missingTool } from '../../lab/exec.js';
import { createDmDevice, deviceMapperProblem, dmDeviceName, hasDmTarget, type DmDevice } from '../../lab/device-mapper.js';
import { createLoopDevice } from '../../lab/loop-device.js';
import { attachNbd, nbdClientProblem } from '../../lab/nbd-client.js';
import { ResourceScope } from '../../lab/scope.js';
import { sleep } from '../../lab/wait.js';
import { cutMetadata, dropBuffers } from './dm-clone-crash.js';
import type { Clone, CloneBackend, CloneOptions, CloneProgress, CloneTuning, PreparedClone } from './backend.js';
import { cloneTable, linearTable, parseCloneStatus, regionSizeProblem, tuningMessages } from './dm-clone-table.js';

/**
 * dm-clone keeps one bit per region in a persistent-data bitset plus a superblock and
 * space maps; 8 MiB of (sparse) metadata device holds millions of regions.
 */
const META_BYTES = 8 * 2 ** 20;

/**
 * Async clone in the kernel, as Fly.io runs it:
 *
 *   /dev/nbdN (kernel NBD client, connected from B's namespace to A's export, read-only)
 *   + metadata loop device + B's raw device → `dmsetup create … clone …` → /dev/mapper/NAME,
 *   the device B's workload runs on.
 *
 * It is created with `no_hydration`, so only first reads and partial writes fetch regions
 * until `enable_hydration`; progress comes from the status line; once every region is on
 * B the table is swapped to `linear` on B's device (suspend/load/resume, the workload
 * keeps its open device) and the NBD connection is dropped.
 */
export class DmCloneBackend implements CloneBackend {
  readonly name = 'dm-clone' as const;

  async unavailable(): Promise<string | undefined> {
    const problem = (await missingTool(['dmsetup', 'nbd-client'])) ?? deviceMapperProblem() ?? nbdClientProblem();
    if (problem) return problem;
    if (!(await hasDmTarget('clone', 'dm-clone'))) return 'the kernel has no dm-clone target (CONFIG_DM_CLONE)';
    return undefined;
  }

  tuningProblem(t: CloneTuning): string | undefined {
    if (t.hydrationRateBps > 0) return 'dm-clone has no hydration rate limit (use --hydration-threshold / --hydration-batch to bound it)';
    return regionSizeProblem(t.regionSizeBytes);
  }

  async create(parent: ResourceScope, o: CloneOptions): Promise<Clone> {
    return (await this.prepare(parent, o)).activate();
  }

  /**
   * Before the kill: the NBD connection to A (whose reads go to the kernel client, not
   * into any clone) and the metadata device. After it: `dmsetup create` — once the clone
   * target exists, a read of B's device fetches and keeps the region.
   */
  async prepare(parent: ResourceScope, o: CloneOptions): Promise<PreparedClone> {
    // Its own scope so that `finalize` can take the stack down before the repetition ends.
    const scope = new ResourceScope(parent.ledger);
    parent.defer('dm-clone stack', () => scope.close());
    // The NBD connection has a scope of its own: `detachSource` drops it early.
    const sourceScope = new ResourceScope(parent.ledger);
    scope.defer('dm-clone source', () => sourceScope.close());
    const source = await attachSource(sourceScope, o);
    const metaLoop = await createLoopDevice(scope, join(o.workDir, 'dm-clone-meta.img'), META_BYTES, { host: o.host });
    const name = dmDeviceName(o.host, o.workDir, 'clone');
    // The metadata behind a linear mapping, the one seam a dest-crash needs (dm-clone-crash.ts).
    const metaDm = await createDmDevice(scope, `${name}-meta`, linearTable(META_BYTES, metaLoop), o.host);
    return {
      activate: async () => {
        const stack: DmStack = { scope, metaLoop, metaDm, name, source, sourceScope, cloneScope: new ResourceScope(parent.ledger) };
        scope.defer('dm-clone target', () => stack.cloneScope.close());
        const dm = await createDmDevice(stack.cloneScope, name, cloneTable({ sizeBytes: o.sizeBytes, metaDevice: metaDm.path, destDevice: o.destDevice, sourceDevice: source, regionSizeBytes: o.regionSizeBytes, noHydration: true }), o.host);
        return new DmClone(dm, o, stack);
      },
    };
  }
}

/** The kernel NBD connection from B to A's export, read-only. */
function attachSource(scope: ResourceScope, o: CloneOptions): Promise<string> {
  return attachNbd(scope, {
    host: o.sourceHost,
    port: o.sourcePort,
    exportName: new URL(o.sourceUri).pathname.slice(1) || 'source',
    sizeBytes: o.sizeBytes,
    from: o.host,
    readonly: true,
  });
}

/** A clone's parts: what `finalize` tears down, and what a dest-crash kills and rebuilds. */
interface DmStack {
  scope: ResourceScope;
  metaLoop: string;
  metaDm: DmDevice;
  name: string;
  source: string;
  /** The NBD connection (dropped by `detachSource` and by a crash). */
  sourceScope: ResourceScope;
  /** The clone target itself (removed by a crash, created again by `reassemble`). */
  cloneScope: ResourceScope;
}

class DmClone implements Clone {
  private hydrated = false;
  private detached = false;
  /** Aborted by `crash`: ends a `dmsetup wait` that would keep the removed device alive in the kernel. */
  private crashed = new AbortController();

  constructor(
    private dm: DmDevice,
    private readonly o: CloneOptions,
    private readonly stack: DmStack,
  ) {}

  get device(): string {
    return this.dm.path;
  }

  async startHydration(): Promise<void> {
    for (const m of tuningMessages(this.o)) await this.dm.message(...m);
    await this.dm.message('enable_hydration');
  }

  async progress(): Promise<CloneProgress> {
    if (this.hydrated) {
      const total = Math.ceil(this.o.sizeBytes / this.o.regionSizeBytes);
      return { hydrated: total, total };
    }
    const s = parseCloneStatus(await this.dm.status());
    return { hydrated: s.hydrated, total: s.total };
  }

  /**
   * Completion is awaited, not polled: dm-clone raises a device-mapper event when a
   * metadata commit finds every region hydrated, and `dmsetup wait` blocks in the kernel
   * until then. Progress for the timeline is read every `pollMs` meanwhile, so the status
   * is not spawned 50 times a second on the CPUs the benchmark measures.
   */
  async waitHydrated(onProgress: (p: CloneProgress) => void, pollMs: number, stopped?: AbortSignal): Promise<void> {
    const stop = new AbortController();
    const ends = [this.o.signal, this.crashed.signal, ...(stopped ? [stopped] : [])];
    const signal = AbortSignal.any([...ends, stop.signal]);
    const complete = (p: CloneProgress): boolean => p.hydrated === p.total;
    const completion = (async (): Promise<CloneProgress> => {
      for (;;) {
        // The count is read before the status, so an event in between ends the wait at once.
        const seen = await this.dm.eventCount();
        const p = await this.progress();
        if (complete(p)) return p;
        await this.dm.waitForEvent(seen, signal);
      }
    })();
    try {
      for (;;) {
        for (const e of ends) e.throwIfAborted();
        // The tick's own abort (at the end) settles it quietly; the run's abort is thrown above.
        const tick = sleep(pollMs, signal).then(
          () => undefined,
          () => undefined,
        );
        const done = await Promise.race([completion, tick]);
        if (done) {
          onProgress(done);
          break;
        }
        onProgress(await this.progress());
      }
      this.hydrated = true;
    } finally {
      stop.abort();
      await completion.catch(() => undefined);
    }
  }

  async detachSource(): Promise<void> {
    if (!this.hydrated) throw new Error('the clone still depends on its source: hydration has not completed');
    // The clone target maps every hydrated region to the destination, so `linear` on the
    // destination is the same device without the source (or the metadata).
    await this.dm.swapTable(linearTable(this.o.sizeBytes, this.o.destDevice));
    const table = await this.dm.table();
    if (!/ linear /.test(table)) throw new Error(`table swap to linear did not take: ${table}`);
    // Disconnecting the NBD device is what frees the source; the metadata goes at finalize.
    this.detached = true;
    await this.stack.sourceScope.close();
  }

  /**
   * dest-crash: the metadata cut off first (nothing after this moment persists), then the
   * clone target removed and the NBD connection dropped, B's buffers of its devices dropped.
   */
  async crash(): Promise<void> {
    const s = this.stack;
    this.crashed.abort(new Error('the destination crashed (dest-crash)'));
    await cutMetadata(s.metaDm, META_BYTES);
    await s.cloneScope.close();
    await s.sourceScope.close();
    await dropBuffers([this.o.destDevice, s.metaLoop], this.o.host);
  }

  /**
   * After `crash`: the metadata device back (B rebooted), the NBD connection made again and
   * the clone target created over the metadata that persisted, without background hydration
   * (`startHydration` enables it, as at the first boot). Returns the device B boots on.
   */
  async reassemble(): Promise<string> {
    const s = this.stack;
    await s.metaDm.swapTable(linearTable(META_BYTES, s.metaLoop));
    s.cloneScope = new ResourceScope(s.scope.ledger);
    s.scope.defer('dm-clone target (after dest-crash)', () => s.cloneScope.close());
    if (this.detached) {
      // Hydrated and released before the crash: B's device alone is the volume.
      this.dm = await createDmDevice(s.cloneScope, s.name, linearTable(this.o.sizeBytes, this.o.destDevice), this.o.host);
    } else {
      s.sourceScope = new ResourceScope(s.scope.ledger);
      s.scope.defer('dm-clone source (after dest-crash)', () => s.sourceScope.close());
      s.source = await attachSource(s.sourceScope, this.o);
      const table = cloneTable({ sizeBytes: this.o.sizeBytes, metaDevice: s.metaDm.path, destDevice: this.o.destDevice, sourceDevice: s.source, regionSizeBytes: this.o.regionSizeBytes, noHydration: true });
      this.dm = await createDmDevice(s.cloneScope, s.name, table, this.o.host);
    }
    this.crashed = new AbortController();
    return this.dm.path;
  }

  async finalize(): Promise<void> {
    // dm devices, metadata loop device, NBD connection: after this B's device stands alone.
    await this.stack.scope.close();
  }
}

import { basename, join } from 'node:path';
import { missingTool } from '../../lab/exec.js';
import { createDmDevice, deviceMapperProblem, hasDmTarget, type DmDevice } from '../../lab/device-mapper.js';
import { createLoopDevice } from '../../lab/loop-device.js';
import { attachNbd, nbdClientProblem } from '../../lab/nbd-client.js';
import { ResourceScope } from '../../lab/scope.js';
import { sleep } from '../../lab/wait.js';
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
    const source = await attachNbd(sourceScope, {
      host: o.sourceHost,
      port: o.sourcePort,
      exportName: new URL(o.sourceUri).pathname.slice(1) || 'source',
      sizeBytes: o.sizeBytes,
      from: o.host,
      readonly: true,
    });
    const meta = await createLoopDevice(scope, join(o.workDir, 'dm-clone-meta.img'), META_BYTES, { host: o.host });
    return {
      activate: async () => {
        // The lab prefix (B's name: its namespace) makes the name migbench's and unique per run.
        const dm = await createDmDevice(
          scope,
          `${o.host.name}-${basename(o.workDir).replace(/[^A-Za-z0-9_-]/g, '')}-clone`,
          cloneTable({
            sizeBytes: o.sizeBytes,
            metaDevice: meta,
            destDevice: o.destDevice,
            sourceDevice: source,
            regionSizeBytes: o.regionSizeBytes,
            noHydration: true,
          }),
          o.host,
        );
        return new DmClone(dm, o, scope, sourceScope);
      },
    };
  }
}

class DmClone implements Clone {
  private hydrated = false;

  constructor(
    private readonly dm: DmDevice,
    private readonly o: CloneOptions,
    private readonly scope: ResourceScope,
    private readonly sourceScope: ResourceScope,
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
  async waitHydrated(onProgress: (p: CloneProgress) => void, pollMs: number): Promise<void> {
    const stop = new AbortController();
    const signal = AbortSignal.any([this.o.signal, stop.signal]);
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
        this.o.signal.throwIfAborted();
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
    await this.sourceScope.close();
  }

  async finalize(): Promise<void> {
    // dm device, metadata loop device, NBD connection: after this B's device stands alone.
    await this.scope.close();
  }
}

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HostProcess } from '../../host/host.js';
import { localHost } from '../../host/local-host.js';
import { onHost, socketOn } from '../../host/host.js';
import { ledgerHost } from '../../host/ledger-host.js';
import { ProcessExitedError } from '../../host/errors.js';
import { missingTool } from '../../lab/exec.js';
import { ResourceScope } from '../../lab/scope.js';
import type { QmpClient } from '../qemu/qmp-client.js';
import { attachNbdAsLoop, startQsd } from '../qemu/qsd.js';
import type { Clone, CloneBackend, CloneOptions, CloneProgress, CloneTuning, PreparedClone } from './backend.js';
import { zeroExtentsToFill, type QemuMapExtent } from './qemu-map.js';
import { allocatedBytes, crashStack, reopenStack } from './qemu-clone-crash.js';
import { onLines } from '../../host/lines.js';
import { drained } from '../../workload/node-entry.js';
import { startYieldingReader, yieldSummaryOf } from './hydration-yield-process.js';
import type { YieldSummary } from './hydration-yield.js';
import { addBaseNodes, addOverlayAndExport, NODE, PRESENT_BITMAP } from './qemu-clone-chain.js';

const JOB = 'hydrate';

interface NamedNode {
  'node-name': string;
  'dirty-bitmaps'?: { name: string; count: number }[];
}

/**
 * Async clone in userspace on qemu-storage-daemon, running in B's namespace:
 *
 *   nbd (source on A, read-only) ← qcow2 overlay (data-file = B's raw device, so guest
 *   offset = device offset) ← copy-on-read ← NBD export on a UNIX socket ← nbdfuse file
 *   ← loop device (--direct-io=on): the device B's workload runs on.
 *
 * Hydration: with no rate limit, parallel reads of the whole device through the
 * copy-on-read node (nbdcopy with `--hydration-inflight` bytes in flight: block-stream
 * alone copies serially and is latency-bound), then `block-stream`, which finds
 * everything present and drops the backing; with a rate limit, `block-stream` at that
 * `speed`.
 */
export class QemuCloneBackend implements CloneBackend {
  readonly name = 'qemu' as const;

  async unavailable(): Promise<string | undefined> {
    const missing = await missingTool(['qemu-storage-daemon', 'qemu-img', 'nbdfuse', 'fusermount3']);
    if (missing) return missing;
    if (!existsSync('/dev/fuse')) return 'no /dev/fuse';
    return undefined;
  }

  tuningProblem(t: CloneTuning): string | undefined {
    if (t.hydrationThreshold !== undefined || t.hydrationBatch !== undefined) {
      return '--hydration-threshold and --hydration-batch are dm-clone settings (qemu hydrates with --hydration-inflight and --hydration-rate)';
    }
    return undefined;
  }

  async create(parent: ResourceScope, o: CloneOptions): Promise<Clone> {
    return (await this.prepare(parent, o)).activate();
  }

  /**
   * The whole stack, down to the loop device. None of it reads guest data: opening the
   * NBD node is a handshake, and nothing opens the loop device until B boots on it — the
   * first read is what fetches a region, so everything can be built while A still writes
   * and the kill leaves nothing to do.
   */
  async prepare(parent: ResourceScope, o: CloneOptions): Promise<PreparedClone> {
    // Everything lives on B (`o.host`): a real host keeps it under its data directory.
    const dir = onHost(o.host, join(o.workDir, 'qemu-clone'));
    if (o.host.workPath) {
      await parent.acquire({ kind: 'dir', path: dir, ...ledgerHost(o.host) }, () => o.host.run('mkdir', ['-p', dir]), async () => {
        await o.host.run('rm', ['-rf', dir]);
      });
    } else {
      await parent.acquire({ kind: 'dir', path: dir }, () => mkdir(dir, { recursive: true }), () => rm(dir, { recursive: true, force: true }));
    }
    const meta = join(dir, 'meta.qcow2');
    const nbdSock = socketOn(o.host, join(dir, 'nbd.sock'));
    const fuseFile = join(dir, 'clone.raw');

    // The daemon stack lives in its own scope so `finalize` can take it down before the
    // repetition ends; the metadata directory stays with the parent for the zero-fill.
    const scope = new ResourceScope(parent.ledger);
    parent.defer('qemu clone stack', () => scope.close());

    await (o.host.workPath ? o.host.writeFile(meta, '') : writeFile(meta, ''));

    // On release a clean `quit` flushes the qcow2 metadata the zero-fill reads afterwards.
    const qsd = await startQsd(scope, dir, { on: o.host, signal: o.signal });
    const { qmp } = qsd;

    await addBaseNodes(qmp, o, meta);
    // blockdev-create rather than `qemu-img create`, which zeroes sector 0 of the data file.
    const created = qmp.mark();
    await qmp.execute('blockdev-create', {
      'job-id': 'create',
      options: { driver: 'qcow2', file: NODE.meta, 'data-file': NODE.data, size: o.sizeBytes, 'cluster-size': o.regionSizeBytes },
    });
    await qmp.waitForEvent<{ id: string; status: string }>('JOB_STATUS_CHANGE', (e) => e.data?.id === 'create' && e.data.status === 'concluded', {
      since: created,
      signal: o.signal,
      timeoutMs: 30_000,
    });
    const jobs = await qmp.execute<{ id: string; error?: string }[]>('query-jobs');
    const failed = jobs.find((j) => j.id === 'create')?.error;
    if (failed) throw new Error(`creating the qcow2 metadata failed: ${failed}`);
    await qmp.execute('job-dismiss', { id: 'create' });
    const uri = await addOverlayAndExport(qmp, o, nbdSock);
    // On a real host, nbdfuse and the loop device are B's; in the lab, the root host's.
    const device = await attachNbdAsLoop(scope, uri, fuseFile, o.host.workPath ? o.host : undefined);
    const clone = new QemuClone(device, qmp, o, uri, meta, fuseFile, scope);
    clone.crashable = { parent, daemon: qsd.daemon, dir, nbdSock, fuseFile };
    return {
      activate: async () => {
        // The one thing left for after the kill: proof that nothing reached B before it (a
        // device probe reading through the copy-on-read node would have kept a stale region).
        const early = await clone.presentBytes();
        if (early > 0) throw new StaleCloneError(early);
        return clone;
      },
    };
  }
}

/** Something read the source through the clone before the kill: B may hold a stale region. */
export class StaleCloneError extends Error {
  override readonly name = 'StaleCloneError';
  constructor(readonly bytes: number) {
    super(`${bytes} bytes reached the clone before the source stopped writing: they may be stale`);
  }
}

/** nbdcopy 1.14 hands its connections the copy in ranges of this size (`THREAD_WORK_SIZE`). */
export const NBDCOPY_WORK_RANGE = 128 * 1024 * 1024;
/** Requests one nbdcopy connection keeps in flight before the budget is spread over more. */
const REQUESTS_PER_CONNECTION = 16;
/** Requests the in-flight budget is split into at least (when it holds that many regions). */
const MIN_REQUESTS = 8;

/**
 * Splits the in-flight budget into nbdcopy connections × requests × request size; their
 * product never exceeds the budget. Requests are whole regions, at most 256 KiB, and small
 * enough that the budget is at least 8 of them: under latency the budget is about two
 * bandwidth-delay products, and many small requests keep the link busy with less queued
 * on it than a few large ones, each of which an on-demand fetch may wait behind
 * (200 Mbit/s, 20 ms: 16 × 64 KiB hydrated at 1.0 of the link, 3 × 256 KiB at 0.6–0.75).
 * One connection carries up to 16 requests; more connections (up to 4) only for a larger
 * budget, and never more than the volume has 128 MiB ranges: nbdcopy
 * deals each connection whole ranges, so on a 256 MiB volume a third connection would
 * sit idle and its share of the budget would never be in flight.
 */
export function readerShape(inflightBytes: number, regionBytes: number, sizeBytes: number): { connections: number; requests: number; requestSize: number } {
  const perRequest = Math.min(256 * 1024, Math.floor(inflightBytes / MIN_REQUESTS / regionBytes) * regionBytes);
  const requestSize = Math.max(regionBytes, perRequest);
  const slots = Math.max(1, Math.floor(inflightBytes / requestSize));
  const ranges = Math.max(1, Math.ceil(sizeBytes / NBDCOPY_WORK_RANGE));
  const connections = Math.max(1, Math.min(4, ranges, Math.ceil(slots / REQUESTS_PER_CONNECTION)));
  return { connections, requests: Math.max(1, Math.floor(slots / connections)), requestSize };
}

class QemuClone implements Clone {
  private reader: HostProcess | undefined;
  /** What the yield controller reported when the reader ended. */
  private yieldSummary: YieldSummary | undefined;
  private streamed = false;
  /** What `crash`/`reassemble` (dest-crash) need: the stack's daemon, paths, the scope that owns it. */
  crashable: { parent: ResourceScope; daemon: HostProcess; dir: string; nbdSock: string; fuseFile: string } | undefined;
  /** Bytes the overlay held when it was reassembled after a crash (the new bitmap starts empty). */
  private reassembledBytes = 0;

  constructor(
    public device: string,
    private qmp: QmpClient,
    private readonly o: CloneOptions,
    private readonly uri: string,
    private readonly meta: string,
    private readonly fuseFile: string,
    private scope: ResourceScope,
  ) {}

  /** dest-crash: the whole stack killed without a clean shutdown (qemu-clone-crash.ts). */
  async crash(): Promise<void> {
    const c = this.crashable!;
    const reader = this.reader;
    this.reader = undefined;
    // On a real host the stack is B's; in the lab, the root host's (as attachNbdAsLoop).
    await crashStack(this.scope, () => c.daemon.stop('SIGKILL'), reader ? [() => reader.stop('SIGKILL')] : [], c.fuseFile, this.meta, this.o.destDevice, this.o.host.workPath ? this.o.host : undefined);
  }

  /** After `crash`: the stack rebuilt from the metadata and data file; returns B's new device. */
  async reassemble(): Promise<string> {
    const c = this.crashable!;
    // Progress after the reboot: what the overlay held, plus what the new bitmap counts
    // (an upper bound: a write to an already present cluster counts twice, clamped to the total).
    this.reassembledBytes = await allocatedBytes(this.meta, this.o.host.workPath ? this.o.host : undefined);
    const stack = await reopenStack(c.parent, this.o, { dir: c.dir, meta: this.meta, nbdSock: c.nbdSock, fuseFile: c.fuseFile });
    this.scope = stack.scope;
    this.qmp = stack.qmp;
    this.device = stack.device;
    c.daemon = stack.daemon;
    return stack.device;
  }

  private get totalRegions(): number {
    return Math.ceil(this.o.sizeBytes / this.o.regionSizeBytes);
  }

  async startHydration(): Promise<void> {
    if (this.o.hydrationRateBps > 0) {
      await this.startStream(this.o.hydrationRateBps / 8);
      return;
    }
    const { connections, requests, requestSize } = readerShape(this.o.hydrationInflightBytes, this.o.regionSizeBytes, this.o.sizeBytes);
    const argv = ['nbdcopy', '--no-extents', `--connections=${connections}`, `--requests=${requests}`, `--request-size=${requestSize}`, '--progress=1', this.uri, 'null:'];
    const policy = this.o.hydrationYield;
    if (!policy) {
      this.reader = this.o.host.start(this.scope, argv[0]!, argv.slice(1), { stdout: 'pipe' });
      return;
    }
    // The controller runs where the FUSE mount is: B (its netns in the lab, which shares this machine's mounts).
    const reader = startYieldingReader(this.scope, this.o.host, this.fuseFile, argv, policy);
    this.reader = reader;
    onLines(reader.stdout!, (line) => {
      const summary = yieldSummaryOf(line);
      if (summary) this.yieldSummary = summary;
    });
  }

  private async startStream(speedBytes?: number): Promise<void> {
    await this.qmp.execute('block-stream', {
      'job-id': JOB,
      device: NODE.overlay,
      ...(speedBytes ? { speed: Math.round(speedBytes) } : {}),
    });
  }

  async progress(): Promise<CloneProgress> {
    const total = this.totalRegions;
    if (this.streamed) return { hydrated: total, total };
    // The overlay's bitmap of written clusters (block-stream's own offset restarts at 0
    // after the parallel reader, and nbdcopy's progress moves in 128 MiB work items).
    return { hydrated: Math.min(total, Math.ceil((await this.presentBytes()) / this.o.regionSizeBytes)), total };
  }

  /** Bytes written to B's device so far (copy-on-read, block-stream, the workload). */
  async presentBytes(): Promise<number> {
    const nodes = await this.qmp.execute<NamedNode[]>('query-named-block-nodes', { flat: true });
    const bitmap = nodes.find((n) => n['node-name'] === NODE.data)?.['dirty-bitmaps']?.find((b) => b.name === PRESENT_BITMAP);
    if (!bitmap) throw new Error(`B's device node has no ${PRESENT_BITMAP} bitmap`);
    return bitmap.count + this.reassembledBytes;
  }

  async waitHydrated(onProgress: (p: CloneProgress) => void, pollMs: number): Promise<void> {
    const mark = this.qmp.mark();
    const poll = setInterval(() => {
      this.progress().then(onProgress, () => undefined);
    }, pollMs);
    try {
      if (this.reader) {
        const r = await this.reader.exited;
        if (r.exitCode !== 0) throw new ProcessExitedError('hydration reader (nbdcopy)', r);
        // The controller's summary is its last line, which may still be in the pipe.
        if (this.o.hydrationYield && this.reader.stdout) await drained(this.reader.stdout);
        await this.startStream();
      }
      const done = await this.qmp.waitForEvent<{ device: string; error?: string; len: number; offset: number }>(
        'BLOCK_JOB_COMPLETED',
        (e) => e.data?.device === JOB,
        { since: mark, signal: this.o.signal },
      );
      if (done.data?.error) throw new Error(`block-stream failed: ${done.data.error}`);
      this.streamed = true;
      onProgress(await this.progress());
    } finally {
      clearInterval(poll);
    }
  }

  hydrationPausedMs(): number | undefined {
    return this.yieldSummary?.pausedMs;
  }

  async detachSource(): Promise<void> {
    if (!this.streamed) throw new Error('the clone still depends on its source: hydration has not completed');
    // block-stream removed the backing link; dropping the node closes the NBD connection to A.
    await this.qmp.execute('blockdev-del', { 'node-name': NODE.source });
  }

  async finalize(): Promise<void> {
    // Loop device, FUSE file, QMP quit, daemon: after this the raw device stands alone.
    await this.scope.close();
    if (!this.streamed) return;
    // Zero writes under a non-raw data file live only in qcow2 metadata: apply them.
    // On B, whose metadata file and device these are (the root host in the lab).
    const on = this.o.host.workPath ? this.o.host : localHost;
    const map = JSON.parse(await on.run('qemu-img', ['map', '--output=json', this.meta])) as QemuMapExtent[];
    for (const e of zeroExtentsToFill(map)) {
      await on.run('blkdiscard', ['--zeroout', '--offset', String(e.start), '--length', String(e.length), this.o.destDevice]);
    }
  }
}

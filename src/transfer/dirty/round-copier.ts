import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Host, HostProcess } from '../../host/host.js';
import { encodeRecord, onRecords } from '../../host/lines.js';
import { exitsWithin, untilExit } from '../../host/race.js';
import type { ResourceScope } from '../../lab/scope.js';
import { packageRoot } from '../../package-root.js';
import type { Extent } from './extents.js';
import { copierImplementation, nativeCopierCommand } from './native-copier.js';
import { decodeRoundCopierReply, ROUND_COPIER_ENTRY, type RoundCopierBatch, type RoundCopierConfig, type RoundCopierReply } from './round-copier-config.js';

/** How one batch went. */
export interface BatchResult {
  bytes: number;
  /** The whole batch, as the copier timed it. */
  ms: number;
  /** Its reads from A and writes to B. */
  copyMs: number;
  /** The flush that made them durable on B. */
  flushMs: number;
}

/** The round copier answered a batch with a failure. */
export class RoundCopyError extends Error {
  override readonly name = 'RoundCopyError';
}

/**
 * Warm-up batches: `count` lists of `blocks` scattered `blockBytes` extents over a volume of
 * `sizeBytes` (a different spread each, like a real pass's), for {@link RoundCopier.warm}.
 */
export function warmUpBatches(sizeBytes: number, blockBytes: number, count = 6, blocks = 256): Extent[][] {
  const total = Math.floor(sizeBytes / blockBytes);
  const stride = Math.max(2, Math.floor(total / blocks));
  return Array.from({ length: count }, (_, k) => {
    const out: Extent[] = [];
    for (let b = k % stride; b < total && out.length < blocks; b += stride) out.push({ offset: b * blockBytes, length: blockBytes });
    return out;
  });
}

/** Time the copier gets to exit by itself after EOF on stdin before it is stopped. */
const EXIT_AFTER_EOF_MS = 10_000;

/**
 * The orchestrator's handle on a round copier process running on B: every byte it
 * copies crosses the shaped link (A → B). Batches run one at a time; both directions
 * are NDJSON records.
 */
export class RoundCopier {
  private readonly replies: RoundCopierReply[] = [];
  private waiter: ((r: RoundCopierReply) => void) | undefined;
  private badRecord: Error | undefined;

  private constructor(private readonly process: HostProcess) {
    onRecords(process.stdout!, decodeRoundCopierReply, (r) => this.deliver(r), (err) => {
      // Fails the batch waiting now (or the next one): a garbled answer is a broken copier.
      this.badRecord ??= err;
      this.deliver({ ok: false, error: err.message });
    });
  }

  private deliver(r: RoundCopierReply): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(r);
    } else this.replies.push(r);
  }

  /** The copier's process id (for CPU accounting in benchmarks). */
  get pid(): number {
    return this.process.pid;
  }

  /**
   * Starts the copier on `on` (B); it connects to the delta server (or NBD export) at once.
   * With a delta server the native copier runs unless MIGBENCH_COPIER=node (native-copier.ts).
   */
  static start(scope: ResourceScope, on: Host, config: RoundCopierConfig): RoundCopier {
    if (config.delta && copierImplementation() === 'native') {
      const { command, args } = nativeCopierCommand(config);
      return new RoundCopier(on.start(scope, command, args, { stdin: 'pipe', stdout: 'pipe' }));
    }
    const entry = join(packageRoot(), ROUND_COPIER_ENTRY);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\``);
    return new RoundCopier(on.start(scope, process.execPath, [entry, JSON.stringify(config)], { stdin: 'pipe', stdout: 'pipe' }));
  }

  /** Copies `extents` A → B; resolves once they are durable on B. */
  copy(extents: readonly Extent[], signal?: AbortSignal): Promise<BatchResult> {
    return this.batch(extents, false, signal);
  }

  /**
   * Warm-up (delta server only): fetches `extents` from A and writes them nowhere, so that
   * the pass that counts does not run cold code, buffers and connection (the first
   * requests took 69–135 ms, later ones 19–30 ms). Never writes B's device.
   */
  warm(extents: readonly Extent[], signal?: AbortSignal): Promise<BatchResult> {
    return this.batch(extents, true, signal);
  }

  private async batch(extents: readonly Extent[], warm: boolean, signal?: AbortSignal): Promise<BatchResult> {
    const answer = new Promise<RoundCopierReply>((resolve) => {
      const queued = this.replies.shift();
      if (queued) resolve(queued);
      else this.waiter = resolve;
    });
    const batch: RoundCopierBatch = { extents: extents.map((e) => [e.offset, e.length]), ...(warm ? { warm } : {}) };
    this.process.stdin!.write(encodeRecord(batch));
    const r = await untilExit(this.process, answer, 'round copier', signal);
    if (!r.ok) throw new RoundCopyError(`round copy failed: ${r.error}`, this.badRecord ? { cause: this.badRecord } : {});
    return { bytes: r.bytes, ms: r.ms, copyMs: r.copyMs, flushMs: r.flushMs };
  }

  /** Ends the copier (EOF on stdin) and waits for it; stopped if it has not exited in time. */
  async stop(): Promise<void> {
    this.process.stdin?.end();
    if (!(await exitsWithin(this.process, EXIT_AFTER_EOF_MS))) await this.process.stop();
  }
}

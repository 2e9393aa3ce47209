import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startDaemon, type Daemon } from '../../lab/daemon.js';
import type { Host } from '../../lab/hosts.js';
import type { ResourceScope } from '../../lab/scope.js';
import { packageRoot } from '../../package-root.js';
import type { Extent } from './extents.js';
import { ROUND_COPIER_ENTRY, type RoundCopierConfig, type RoundCopierReply } from './round-copier-config.js';

/** How one batch went. */
export interface BatchResult {
  bytes: number;
  ms: number;
}

/**
 * The orchestrator's handle on a round copier process running in B's namespace: every
 * byte it copies crosses the shaped link (A → B). Batches run one at a time.
 */
export class RoundCopier {
  private readonly replies: RoundCopierReply[] = [];
  private waiter: ((r: RoundCopierReply) => void) | undefined;

  private constructor(private readonly daemon: Daemon) {
    const out = createInterface({ input: daemon.child.stdout! });
    out.on('line', (line) => {
      const r = JSON.parse(line) as RoundCopierReply;
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(r);
      } else this.replies.push(r);
    });
  }

  /** Starts the copier on `on` (B); it connects to the NBD export at once. */
  static start(scope: ResourceScope, on: Host, config: RoundCopierConfig): RoundCopier {
    const entry = join(packageRoot(), ROUND_COPIER_ENTRY);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\``);
    const d = startDaemon(scope, process.execPath, [entry, JSON.stringify(config)], { netns: on.netns, stdin: 'pipe', stdout: 'pipe' });
    return new RoundCopier(d);
  }

  /** Copies `extents` A → B; resolves once they are durable on B. */
  async copy(extents: readonly Extent[], signal?: AbortSignal): Promise<BatchResult> {
    const answer = new Promise<RoundCopierReply>((resolve) => {
      const queued = this.replies.shift();
      if (queued) resolve(queued);
      else this.waiter = resolve;
    });
    this.daemon.child.stdin!.write(`${JSON.stringify({ extents: extents.map((e) => [e.offset, e.length]) })}\n`);
    const exited = this.daemon.exited.then((r) => {
      throw new Error(`round copier exited (${r.exitCode ?? r.signal}): ${r.stderr.trim()}`);
    });
    const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
    const r = await Promise.race([answer, exited, aborted]);
    if (!r.ok) throw new Error(`round copy failed: ${r.error}`);
    return { bytes: r.bytes, ms: r.ms };
  }

  /** Ends the copier (EOF on stdin) and waits for it. */
  async stop(): Promise<void> {
    this.daemon.child.stdin?.end();
    const timer = setTimeout(() => void this.daemon.stop(), 10_000);
    await this.daemon.exited;
    clearTimeout(timer);
  }
}

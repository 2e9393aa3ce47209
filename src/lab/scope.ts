import type { Ledger, LedgerEntry } from './ledger.js';

type Release = () => Promise<void>;

/**
 * A disposal stack tied to the ledger: `acquire` writes the ledger entry, creates the
 * resource and pushes its release; `close` releases everything in reverse order, keeps
 * going past failures and reports them all. Scopes nest: a run owns the lab scope, each
 * repetition a child scope for its devices and daemons.
 */
export class ResourceScope {
  private readonly stack: { id: number | undefined; what: string; release: Release }[] = [];
  private closed = false;

  constructor(readonly ledger: Ledger) {}

  /**
   * Records `entry`, runs `create`, and registers `release(value)`. If `create` throws,
   * the release still runs (a half-made resource is still a resource), then the error
   * propagates.
   */
  async acquire<T>(entry: LedgerEntry, create: () => Promise<T>, release: (value: T | undefined) => Promise<void>): Promise<T> {
    if (this.closed) throw new Error('resource scope already closed');
    const id = this.ledger.intend(entry);
    let value: T | undefined;
    const frame = { id, what: describe(entry), release: () => release(value) };
    this.stack.push(frame);
    // A resource on a real host is in that host's ledger before it exists.
    await this.ledger.synced();
    value = await create();
    return value;
  }

  /** Registers a release for something the ledger already covers (or that is not a host resource). */
  defer(what: string, release: Release): void {
    this.stack.push({ id: undefined, what, release });
  }

  /** Records a resource whose identity is only known once it exists (a spawned PID). */
  record(entry: LedgerEntry, release: Release): void {
    const id = this.ledger.intend(entry);
    this.stack.push({ id, what: describe(entry), release });
  }

  /** Releases everything, newest first. Throws an AggregateError if any release failed. */
  async close(): Promise<void> {
    this.closed = true;
    const errors: Error[] = [];
    while (this.stack.length) {
      const frame = this.stack.pop()!;
      try {
        await frame.release();
        if (frame.id !== undefined) this.ledger.released(frame.id);
      } catch (err) {
        errors.push(new Error(`releasing ${frame.what}: ${(err as Error).message}`, { cause: err }));
      }
    }
    if (errors.length) throw new AggregateError(errors, errors.map((e) => e.message).join('; '));
  }
}

function describe(e: LedgerEntry): string {
  switch (e.kind) {
    case 'netns': return `network namespace ${e.name}`;
    case 'loop': return `loop device ${e.device ? `${e.device} ` : ''}over ${e.backingFile}`;
    case 'file': return `file ${e.path}`;
    case 'dir': return `directory ${e.path}`;
    case 'mount': return `mount ${e.path}`;
    case 'process': return `${e.comm} (pid ${e.pid})`;
    case 'nbd': return `NBD connection ${e.device}`;
    case 'dm': return `device-mapper device ${e.name}`;
    case 'cgroup': return `cgroup ${e.path}`;
    case 'qdisc': return `qdisc on ${e.dev}`;
  }
}

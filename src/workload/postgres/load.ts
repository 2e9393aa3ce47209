import type { Host } from '../../host/host.js';
import { encodeRecord } from '../../host/lines.js';
import { exitsWithin, untilExit } from '../../host/race.js';
import type { ResourceScope } from '../../lab/scope.js';
import type { AppAck } from '../../measure/app-metrics.js';
import { drained, onChildRecords, startNodeEntry, type NodeEntryProcess } from '../node-entry.js';
import type { Target } from '../http/front-door.js';
import { DB_LOAD_ENTRY, decodeDbLoadEvent, type DbLoadCommand, type DbLoadConfig, type DbLoadEvent } from './load-config.js';

/** How long a graceful stop may take before the process is killed (a transaction may wait for its timeout). */
const STOP_GRACE_MS = 15_000;

/**
 * The controller's handle on the database load process: the journal of every commit the
 * clients saw succeed (transaction id, answering server epoch, arrival), the failed and
 * timed-out transactions, the ids whose fate the clients could not know (indeterminate),
 * and waits for a commit from a given server epoch. Like the HTTP workload's HttpLoad.
 */
export class DbLoad {
  readonly acks: AppAck[] = [];
  /** Transactions whose COMMIT may have been applied though no answer came (connection lost, timeout). */
  readonly indeterminate = new Set<number>();
  errors = 0;
  timeouts = 0;
  private readonly waiters: { epoch: number; ns: number; resolve: (ns: number) => void }[] = [];
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((r) => (this.readyResolve = r));
  private readonly broken: Promise<never>;

  private constructor(private readonly process: NodeEntryProcess) {
    this.broken = onChildRecords(process, decodeDbLoadEvent, (e) => this.onEvent(e));
  }

  /** Starts the clients and their front door on `host`, aimed at `config.target`. */
  static async start(scope: ResourceScope, host: Host, config: DbLoadConfig, signal?: AbortSignal): Promise<DbLoad> {
    const load = new DbLoad(startNodeEntry(scope, host, DB_LOAD_ENTRY, config, STOP_GRACE_MS));
    await load.until(load.ready, signal);
    return load;
  }

  private until<T>(wait: Promise<T>, signal?: AbortSignal): Promise<T> {
    return untilExit(this.process, Promise.race([wait, this.broken]), 'database load', signal);
  }

  private send(command: DbLoadCommand): void {
    this.process.stdin.write(encodeRecord(command));
  }

  private onEvent(e: DbLoadEvent): void {
    switch (e.kind) {
      case 'ready':
        return this.readyResolve();
      case 'commit':
        this.acks.push({ id: e.id, epoch: e.epoch, tNs: e.tNs });
        for (let i = this.waiters.length - 1; i >= 0; i--) {
          const w = this.waiters[i]!;
          if (w.epoch === e.epoch && e.tNs >= w.ns) {
            this.waiters.splice(i, 1);
            w.resolve(e.tNs);
          }
        }
        return;
      case 'fail':
        this.errors++;
        if (e.indeterminate) this.indeterminate.add(e.id);
        return;
      case 'timeout':
        this.timeouts++;
        this.indeterminate.add(e.id);
        return;
      case 'done':
        return;
    }
  }

  /** Sends new client connections to `t` from now on. */
  switchTo(t: Target): void {
    this.send({ kind: 'target', target: t });
  }

  /** Waits for a commit answered by server `epoch` at or after `ns`. */
  waitAck(epoch: number, ns: number, signal?: AbortSignal): Promise<number> {
    const hit = this.acks.find((a) => a.epoch === epoch && a.tNs >= ns);
    if (hit) return Promise.resolve(hit.tNs);
    return this.until(new Promise<number>((resolve) => this.waiters.push({ epoch, ns, resolve })), signal);
  }

  /** Stops the clients (each finishes its transaction) and waits for their last events. */
  async stop(): Promise<void> {
    this.send({ kind: 'stop' });
    if (!(await exitsWithin(this.process, STOP_GRACE_MS))) await this.process.stop('SIGKILL');
    await drained(this.process.stdout);
  }
}

import { controllerNs, type Host } from '../../host/host.js';
import type { ResourceScope } from '../../lab/scope.js';
import { AppLoadProcess } from '../app-load.js';
import { startNodeEntry, type NodeEntryProcess } from '../node-entry.js';
import { DB_LOAD_ENTRY, decodeDbLoadEvent, type DbLoadConfig, type DbLoadEvent } from './load-config.js';

/** How long a graceful stop may take before the process is killed (a transaction may wait for its timeout). */
const STOP_GRACE_MS = 15_000;

/**
 * The controller's handle on the database load process: the journal of every commit the
 * clients saw succeed (see {@link AppLoadProcess}), the failed and timed-out transactions,
 * and the ids whose fate the clients could not know (indeterminate).
 */
export class DbLoad extends AppLoadProcess<DbLoadEvent> {
  /** Transactions whose COMMIT may have been applied though no answer came (connection lost, timeout). */
  readonly indeterminate = new Set<number>();
  errors = 0;
  timeouts = 0;

  private constructor(process: NodeEntryProcess, private readonly host: Host) {
    super(process, decodeDbLoadEvent, 'database load');
  }

  /**
   * Starts the clients and their front door on `host`, aimed at `config.target`. Their
   * commit times are put on the controller's clock as they arrive (a real host's offset).
   */
  static async start(scope: ResourceScope, host: Host, config: DbLoadConfig, signal?: AbortSignal): Promise<DbLoad> {
    const load = new DbLoad(startNodeEntry(scope, host, DB_LOAD_ENTRY, config, STOP_GRACE_MS), host);
    await load.whenReady(signal);
    return load;
  }

  protected onEvent(e: DbLoadEvent): void {
    switch (e.kind) {
      case 'ready':
        return this.markReady();
      case 'commit':
        return this.acked({ id: e.id, epoch: e.epoch, tNs: controllerNs(this.host, e.tNs) });
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

  /** Stops the clients (each finishes its transaction) and waits for their last events. */
  stop(): Promise<void> {
    return this.stopProcess(STOP_GRACE_MS);
  }
}

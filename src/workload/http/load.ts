import { controllerNs, type Host } from '../../host/host.js';
import type { ResourceScope } from '../../lab/scope.js';
import { AppLoadProcess } from '../app-load.js';
import { startNodeEntry, type NodeEntryProcess } from '../node-entry.js';
import { decodeLoadEvent, LOAD_ENTRY, type LoadConfig, type LoadEvent } from './load-config.js';

/** How long a graceful stop may take before the process is killed. */
const STOP_GRACE_MS = 15_000;

/** What the clients saw, besides the successful responses. */
export interface LoadTotals {
  /** Connection errors and non-2xx responses (timeouts excluded). */
  errors: number;
  timeouts: number;
}

/**
 * The orchestrator's handle on the HTTP load process (front door + autocannon): every
 * successful response (see {@link AppLoadProcess}), errors, non-2xx answers and timeouts.
 */
export class HttpLoad extends AppLoadProcess<LoadEvent> {
  private errors = 0;
  private timeouts = 0;
  private non2xx = 0;
  private finalTotals: { errors: number; timeouts: number; non2xx: number } | undefined;

  private constructor(process: NodeEntryProcess, private readonly host: Host) {
    super(process, decodeLoadEvent, 'http load');
  }

  /**
   * Starts the load (front door + autocannon) on `host`, aimed at `config.target`. Response
   * times are put on the controller's clock as they arrive (a real host's offset).
   */
  static async start(scope: ResourceScope, host: Host, config: LoadConfig, signal?: AbortSignal): Promise<HttpLoad> {
    const load = new HttpLoad(startNodeEntry(scope, host, LOAD_ENTRY, config, 10_000), host);
    await load.whenReady(signal);
    return load;
  }

  protected onEvent(e: LoadEvent): void {
    switch (e.kind) {
      case 'ready':
        return this.markReady();
      case 'ack':
        return this.acked({ id: e.id, epoch: e.epoch, tNs: controllerNs(this.host, e.tNs) });
      case 'err':
        this.errors++;
        return;
      case 'timeout':
        this.timeouts++;
        return;
      case 'status':
        this.non2xx++;
        return;
      case 'done':
        this.finalTotals = e;
        return;
    }
  }

  /** Stops the load and waits for its last events; returns what the clients counted. */
  async stop(): Promise<LoadTotals> {
    await this.stopProcess(STOP_GRACE_MS);
    // autocannon's totals and ours count the same events; keep the larger if a line was cut.
    const t = this.finalTotals;
    return {
      errors: Math.max(this.errors, t?.errors ?? 0) + Math.max(this.non2xx, t?.non2xx ?? 0),
      timeouts: Math.max(this.timeouts, t?.timeouts ?? 0),
    };
  }
}

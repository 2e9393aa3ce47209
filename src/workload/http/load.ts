import type { Host } from '../../host/host.js';
import { encodeRecord } from '../../host/lines.js';
import { untilExit, exitsWithin } from '../../host/race.js';
import type { ResourceScope } from '../../lab/scope.js';
import type { AppAck } from '../../measure/app-metrics.js';
import { drained, onChildRecords, startNodeEntry, type NodeEntryProcess } from '../node-entry.js';
import type { Target } from './front-door.js';
import { decodeLoadEvent, LOAD_ENTRY, type LoadCommand, type LoadConfig, type LoadEvent } from './load-config.js';

/** How long a graceful stop may take before the process is killed. */
const STOP_GRACE_MS = 15_000;

/** What the clients saw, besides the successful responses. */
export interface LoadTotals {
  /** Connection errors and non-2xx responses (timeouts excluded). */
  errors: number;
  timeouts: number;
}

/**
 * The orchestrator's handle on the load process: it keeps every successful response
 * (request id, answering epoch, arrival time), counts errors and timeouts, switches the
 * front door, and lets a caller wait for a response from a given service epoch.
 */
export class HttpLoad {
  readonly acks: AppAck[] = [];
  private errors = 0;
  private timeouts = 0;
  private non2xx = 0;
  private finalTotals: { errors: number; timeouts: number; non2xx: number } | undefined;
  private readonly waiters: { epoch: number; ns: number; resolve: (ns: number) => void }[] = [];
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((r) => (this.readyResolve = r));
  /** Rejects once the process printed something that is not an event (see onChildRecords). */
  private readonly broken: Promise<never>;

  private constructor(private readonly process: NodeEntryProcess) {
    this.broken = onChildRecords(process, decodeLoadEvent, (e) => this.onEvent(e));
  }

  /** Starts the load (front door + autocannon) on `host`, aimed at `config.target`. */
  static async start(scope: ResourceScope, host: Host, config: LoadConfig, signal?: AbortSignal): Promise<HttpLoad> {
    const load = new HttpLoad(startNodeEntry(scope, host, LOAD_ENTRY, config, 10_000));
    await load.until(load.ready, signal);
    return load;
  }

  /** `wait`, unless the process exits, garbles its output or `signal` aborts first. */
  private until<T>(wait: Promise<T>, signal?: AbortSignal): Promise<T> {
    return untilExit(this.process, Promise.race([wait, this.broken]), 'http load', signal);
  }

  private send(command: LoadCommand): void {
    this.process.stdin.write(encodeRecord(command));
  }

  private onEvent(e: LoadEvent): void {
    switch (e.kind) {
      case 'ready':
        return this.readyResolve();
      case 'ack':
        this.acks.push({ id: e.id, epoch: e.epoch, tNs: e.tNs });
        for (let i = this.waiters.length - 1; i >= 0; i--) {
          const w = this.waiters[i]!;
          if (w.epoch === e.epoch && e.tNs >= w.ns) {
            this.waiters.splice(i, 1);
            w.resolve(e.tNs);
          }
        }
        return;
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

  /** Sends new client connections to `t` from now on. */
  switchTo(t: Target): void {
    this.send({ kind: 'target', target: t });
  }

  /** Waits for a successful response from service `epoch` that arrived at or after `ns`. */
  waitAck(epoch: number, ns: number, signal?: AbortSignal): Promise<number> {
    const hit = this.acks.find((a) => a.epoch === epoch && a.tNs >= ns);
    if (hit) return Promise.resolve(hit.tNs);
    return this.until(new Promise<number>((resolve) => this.waiters.push({ epoch, ns, resolve })), signal);
  }

  /** Stops the load and waits for its last events; returns what the clients counted. */
  async stop(): Promise<LoadTotals> {
    this.send({ kind: 'stop' });
    // Asked to stop over its pipe; one that does not finish within the grace is killed.
    if (!(await exitsWithin(this.process, STOP_GRACE_MS))) await this.process.stop('SIGKILL');
    await drained(this.process.stdout);
    // autocannon's totals and ours count the same events; keep the larger if a line was cut.
    const t = this.finalTotals;
    return {
      errors: Math.max(this.errors, t?.errors ?? 0) + Math.max(this.non2xx, t?.non2xx ?? 0),
      timeouts: Math.max(this.timeouts, t?.timeouts ?? 0),
    };
  }
}

import type { Daemon } from '../../lab/daemon.js';
import type { ResourceScope } from '../../lab/scope.js';
import type { AppAck } from '../../measure/app-metrics.js';
import type { Target } from './front-door.js';
import { LOAD_ENTRY, parseLoadLine, type LoadConfig } from './load-config.js';
import { onLines, startNodeInNetns, untilOrExit } from './netns-node.js';

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

  private constructor(private readonly daemon: Daemon) {
    onLines(daemon, (line) => this.onLine(line));
  }

  /** Starts the load (front door + autocannon) in `netns`, aimed at `config.target`. */
  static async start(scope: ResourceScope, netns: string, config: LoadConfig, signal?: AbortSignal): Promise<HttpLoad> {
    const load = new HttpLoad(startNodeInNetns(scope, netns, LOAD_ENTRY, config, 10_000));
    await untilOrExit(load.daemon, load.ready, 'http load', signal);
    return load;
  }

  private onLine(line: string): void {
    const e = parseLoadLine(line);
    if (!e) return;
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
    this.daemon.child.stdin?.write(`target ${t.host} ${t.port}\n`);
  }

  /** Waits for a successful response from service `epoch` that arrived at or after `ns`. */
  waitAck(epoch: number, ns: number, signal?: AbortSignal): Promise<number> {
    const hit = this.acks.find((a) => a.epoch === epoch && a.tNs >= ns);
    if (hit) return Promise.resolve(hit.tNs);
    return untilOrExit(this.daemon, new Promise<number>((resolve) => this.waiters.push({ epoch, ns, resolve })), 'http load', signal);
  }

  /** Stops the load and waits for its last events; returns what the clients counted. */
  async stop(): Promise<LoadTotals> {
    this.daemon.child.stdin?.write('stop\n');
    const timer = setTimeout(() => void this.daemon.stop('SIGKILL'), 15_000);
    await this.daemon.exited;
    clearTimeout(timer);
    const out = this.daemon.child.stdout;
    if (out && !out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    // autocannon's totals and ours count the same events; keep the larger if a line was cut.
    const t = this.finalTotals;
    return {
      errors: Math.max(this.errors, t?.errors ?? 0) + Math.max(this.non2xx, t?.non2xx ?? 0),
      timeouts: Math.max(this.timeouts, t?.timeouts ?? 0),
    };
  }
}

import type { Daemon } from '../../lab/daemon.js';
import type { ResourceScope } from '../../lab/scope.js';
import { onLines, startNodeInNetns, untilOrExit } from './netns-node.js';
import { SERVICE_ENTRY, type ServiceConfig } from './service-config.js';

/** The orchestrator's handle on one running HTTP service process. */
export class HttpService {
  private constructor(private readonly daemon: Daemon, readonly config: ServiceConfig) {}

  /** Starts the service in `netns` and waits until it listens. */
  static async start(scope: ResourceScope, netns: string, config: ServiceConfig, signal?: AbortSignal): Promise<HttpService> {
    return HttpService.spawn(scope, netns, config, signal).then((open) => open());
  }

  /**
   * Starts the service process and waits until it is running; the returned `open` lets
   * it open its data file and listen. Between the two the caller can finish mounting the
   * filesystem the data file is on: process start-up and mount overlap, as in any boot.
   */
  static async spawn(scope: ResourceScope, netns: string, config: ServiceConfig, signal?: AbortSignal): Promise<() => Promise<HttpService>> {
    const d = startNodeInNetns(scope, netns, SERVICE_ENTRY, config, 10_000);
    const what = `http service epoch ${config.epoch}`;
    let started!: () => void;
    let listening!: () => void;
    const isStarted = new Promise<void>((r) => (started = r));
    const isListening = new Promise<void>((r) => (listening = r));
    onLines(d, (l) => (l === 'started' ? started() : l === 'listening' ? listening() : undefined));
    await untilOrExit(d, isStarted, what, signal);
    return async () => {
      d.child.stdin?.write('open\n');
      await untilOrExit(d, isListening, what, signal);
      return new HttpService(d, config);
    };
  }

  get epoch(): number {
    return this.config.epoch;
  }

  /** The primitive *kill*: SIGKILL and wait until the process is gone (no I/O after). */
  kill(): Promise<void> {
    return this.daemon.stop('SIGKILL');
  }

  /** Graceful stop: in-flight requests finish, then the process exits. */
  stop(): Promise<void> {
    return this.daemon.stop('SIGTERM');
  }
}

import type { Host } from '../../host/host.js';
import { encodeRecord } from '../../host/lines.js';
import { untilExit } from '../../host/race.js';
import type { ResourceScope } from '../../lab/scope.js';
import { onChildRecords, startNodeEntry, type NodeEntryProcess } from '../node-entry.js';
import { decodeServiceEvent, SERVICE_ENTRY, type ServiceCommand, type ServiceConfig } from './service-config.js';

/** The orchestrator's handle on one running HTTP service process. */
export class HttpService {
  private constructor(private readonly process: NodeEntryProcess, readonly config: ServiceConfig) {}

  /** Starts the service on `host` and waits until it listens. */
  static async start(scope: ResourceScope, host: Host, config: ServiceConfig, signal?: AbortSignal): Promise<HttpService> {
    return HttpService.spawn(scope, host, config, signal).then((open) => open());
  }

  /**
   * Starts the service process on `host` and waits until it is running; the returned
   * `open` lets it open its data file and listen. Between the two the caller can finish
   * mounting the filesystem the data file is on: process start-up and mount overlap, as
   * in any boot.
   */
  static async spawn(scope: ResourceScope, host: Host, config: ServiceConfig, signal?: AbortSignal): Promise<() => Promise<HttpService>> {
    const proc = startNodeEntry(scope, host, SERVICE_ENTRY, config, 10_000);
    const what = `http service epoch ${config.epoch}`;
    let started!: () => void;
    let listening!: () => void;
    const isStarted = new Promise<void>((r) => (started = r));
    const isListening = new Promise<void>((r) => (listening = r));
    const broken = onChildRecords(proc, decodeServiceEvent, (e) => (e.kind === 'started' ? started() : listening()));
    await untilExit(proc, Promise.race([isStarted, broken]), what, signal);
    return async () => {
      proc.stdin.write(encodeRecord({ kind: 'open' } satisfies ServiceCommand));
      await untilExit(proc, Promise.race([isListening, broken]), what, signal);
      return new HttpService(proc, config);
    };
  }

  get epoch(): number {
    return this.config.epoch;
  }

  /** The primitive *kill*: SIGKILL and wait until the process is gone (no I/O after). */
  kill(): Promise<void> {
    return this.process.stop('SIGKILL');
  }

  /** Graceful stop: in-flight requests finish, then the process exits. */
  stop(): Promise<void> {
    return this.process.stop('SIGTERM');
  }
}

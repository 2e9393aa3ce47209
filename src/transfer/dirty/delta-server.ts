import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Host, HostProcess } from '../../host/host.js';
import { onRecords } from '../../host/lines.js';
import { exitsWithin, untilExit } from '../../host/race.js';
import type { ResourceScope } from '../../lab/scope.js';
import { packageRoot } from '../../package-root.js';
import { DELTA_SERVER_ENTRY, type DeltaServerConfig } from './delta-server-config.js';
import { DELTA_SERVER_ENV, implementation, nativeDeltaServerCommand } from './native-copier.js';

/** Time the server gets to exit by itself after EOF on stdin before it is stopped. */
const EXIT_AFTER_EOF_MS = 5_000;

/** The orchestrator's handle on A's delta server (delta-server-main.ts). */
export class DeltaServer {
  private constructor(
    private readonly process: HostProcess,
    /** Where B's round copier connects. */
    readonly address: string,
    readonly port: number,
  ) {}

  /** The server's process id (for CPU accounting in benchmarks). */
  get pid(): number {
    return this.process.pid;
  }

  /**
   * Starts the server on `on` (A) and waits until it listens: the native one
   * (native/delta-server.c) unless MIGBENCH_DELTA_SERVER=node (native-copier.ts).
   */
  static async start(scope: ResourceScope, on: Host, config: DeltaServerConfig, signal?: AbortSignal): Promise<DeltaServer> {
    let cmd: { command: string; args: string[] };
    if (implementation(DELTA_SERVER_ENV) === 'native') cmd = nativeDeltaServerCommand(config);
    else {
      const entry = join(packageRoot(), DELTA_SERVER_ENTRY);
      if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\``);
      cmd = { command: process.execPath, args: [entry, JSON.stringify(config)] };
    }
    const proc = on.start(scope, cmd.command, cmd.args, { stdin: 'pipe', stdout: 'pipe' });
    const listening = new Promise<void>((resolve, reject) =>
      onRecords(proc.stdout!, (v) => v, () => resolve(), reject),
    );
    await untilExit(proc, listening, 'delta server', signal);
    return new DeltaServer(proc, config.address, config.port);
  }

  /** Ends the server (EOF on stdin) and waits for it; stopped if it has not exited in time. */
  async stop(): Promise<void> {
    this.process.stdin?.end();
    if (!(await exitsWithin(this.process, EXIT_AFTER_EOF_MS))) await this.process.stop();
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../../lab/daemon.js';
import type { ResourceScope } from '../../lab/scope.js';
import { packageRoot } from '../../package-root.js';

/**
 * Starts a compiled migbench entry point with Node inside network namespace `netns`.
 * `nsenter --net` enters the network namespace only: unlike `ip netns exec` it keeps the
 * host's mount namespace, so filesystems migbench mounts (and unmounts) are the ones the
 * process sees, and no private copy of a mount outlives the process that made it.
 */
export function startNodeInNetns(scope: ResourceScope, netns: string, entry: string, config: unknown, stopGraceMs = 5000): Daemon {
  const file = join(packageRoot(), entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``);
  return startDaemon(scope, 'nsenter', [`--net=/run/netns/${netns}`, process.execPath, file, JSON.stringify(config)], {
    stdin: 'pipe',
    stdout: 'pipe',
    stopGraceMs,
  });
}

/** Calls `onLine` for every line the daemon prints on stdout. */
export function onLines(d: Daemon, onLine: (line: string) => void): void {
  let buf = '';
  d.child.stdout?.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
}

/** Resolves with `wait`; rejects with the daemon's stderr if it exits first, or on abort. */
export function untilOrExit<T>(d: Daemon, wait: Promise<T>, what: string, signal?: AbortSignal): Promise<T> {
  const exited = d.exited.then((r) => {
    throw new Error(`${what}: process exited (${r.exitCode ?? r.signal}): ${r.stderr.trim()}`);
  });
  const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
  return Promise.race([wait, exited, aborted]);
}

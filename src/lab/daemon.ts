import type { StartOptions } from '../host/host.js';
import type { ExecaProcess } from '../host/execa-host.js';
import { ProcessExitedError } from '../host/errors.js';
import { hostFor } from './exec.js';
import type { ResourceScope } from './scope.js';
import { waitFor } from './wait.js';

export interface DaemonOptions extends StartOptions {
  /** Start it inside this lab namespace; on the root host otherwise. */
  netns?: string | undefined;
}

/** A long-running child process owned by a scope (a process a Host started). */
export type Daemon = ExecaProcess;

/**
 * Starts `cmd` (inside `netns` if given) through the Host seam: a thin wrapper over
 * `host.start` kept for callers that name a namespace; new code calls `host.start`.
 */
export function startDaemon(scope: ResourceScope, cmd: string, args: readonly string[], opts: DaemonOptions = {}): Daemon {
  const { netns, ...rest } = opts;
  return hostFor(netns).start(scope, cmd, args, rest);
}

/**
 * Waits until `daemon` has written a non-empty `pidfile` on its host (nbdkit and nbdfuse
 * do so once they serve); fails at once, with its stderr, if the daemon exits first.
 */
export async function waitForPidfile(daemon: Pick<Daemon, 'host' | 'name' | 'hasExited' | 'exited'>, pidfile: string, what: string): Promise<void> {
  await waitFor(what, async () => {
    if (daemon.hasExited()) throw new ProcessExitedError(daemon.name, await daemon.exited);
    const text = await daemon.host.readFile(pidfile).then(String, () => '');
    return text.trim() ? true : undefined;
  });
}

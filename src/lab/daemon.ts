import type { ExecaProcess } from '../host/execa-host.js';
import { ProcessExitedError } from '../host/errors.js';
import { waitFor } from './wait.js';

/** A long-running child process owned by a scope (a process a Host started: `host.start`). */
export type Daemon = ExecaProcess;

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

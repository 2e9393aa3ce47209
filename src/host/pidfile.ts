import { ProcessExitedError } from './errors.js';
import type { ExecaProcess } from './execa-host.js';
import { waitFor } from '../lab/wait.js';

/**
 * Waits until `proc` has written a non-empty `pidfile` on its host (nbdkit and nbdfuse do
 * so once they serve); fails at once, with its stderr, if the process exits first.
 */
export async function waitForPidfile(proc: Pick<ExecaProcess, 'host' | 'name' | 'hasExited' | 'exited'>, pidfile: string, what: string): Promise<void> {
  await waitFor(what, async () => {
    if (proc.hasExited()) throw new ProcessExitedError(proc.name, await proc.exited);
    const text = await proc.host.readFile(pidfile).then(String, () => '');
    return text.trim() ? true : undefined;
  });
}

/**
 * Removes a pidfile a previous instance left (a crashed daemon does not remove its own):
 * called before starting the next one, so {@link waitForPidfile} cannot take the old file
 * for the new daemon's readiness. (A dest-crash reassembly attached its loop device to the
 * FUSE file before the new nbdfuse had mounted it: a loop of size 0, "unable to read
 * superblock".)
 */
export async function removeStalePidfile(host: Pick<ExecaProcess['host'], 'run'>, pidfile: string): Promise<void> {
  await host.run('rm', ['-f', pidfile]);
}

import { ProcessExitedError } from './errors.js';
import type { ExecaProcess } from './execa-host.js';
import { waitFor } from '../lab/wait.js';
import type { ResourceScope } from '../lab/scope.js';
import type { Host, HostProcess } from './host.js';

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
 * Starts a daemon whose `args` make it write `pidfile` once it serves, and waits until it
 * has. A pidfile a previous instance left is removed first: a
 * crashed daemon does not remove its own, and waiting on the old file would take it for the
 * new daemon's readiness (a dest-crash reassembly attached its loop device to the FUSE file
 * before the new nbdfuse had mounted it: a loop of size 0, "unable to read superblock").
 */
export async function startUntilPidfile(scope: ResourceScope, host: Host, cmd: string, args: readonly string[], pidfile: string, what: string): Promise<HostProcess> {
  await host.run('rm', ['-f', pidfile]);
  const proc = host.start(scope, cmd, args);
  await waitForPidfile(proc, pidfile, what);
  return proc;
}

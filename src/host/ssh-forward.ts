import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { waitFor } from '../lab/wait.js';
import type { ResourceScope } from '../lab/scope.js';
import { sshOptions } from './ssh-argv.js';
import type { SshHost } from './ssh-host.js';
import { ToolError } from './errors.js';

/**
 * Makes the UNIX socket `remotePath` on `host` reachable as a local socket in `localDir`
 * (OpenSSH's stream-local forwarding over the shared connection: `ssh -O forward -L
 * local:remote`), so a client that speaks to a socket (QMP) works unchanged across
 * machines. Waits for the remote socket first: a forward to a missing one accepts and
 * then hangs up. The forward is cancelled and the local socket removed on release.
 */
export async function forwardUnixSocket(scope: ResourceScope, host: SshHost, remotePath: string, localDir: string, signal?: AbortSignal): Promise<string> {
  await waitFor(`${remotePath} on ${host.name}`, async () => ((await host.run('test', ['-S', remotePath]).then(() => true, () => false)) ? true : undefined), { signal, timeoutMs: 15_000 });
  const local = join(localDir, `fwd-${randomBytes(6).toString('hex')}.sock`);
  const spec = `${local}:${remotePath}`;
  const ctl = (op: 'forward' | 'cancel'): Promise<unknown> => execa('ssh', [...sshOptions(host.endpoint), '-o', 'StreamLocalBindUnlink=yes', '-O', op, '-L', spec, host.endpoint.target], { stdin: 'ignore' });
  await scope.acquire(
    { kind: 'file', path: local },
    async () => {
      await ctl('forward').catch((err: unknown) => {
        throw new ToolError(`ssh -O forward -L ${spec} (on ${host.name})`, String((err as { stderr?: string }).stderr ?? err), { cause: err });
      });
    },
    async () => {
      await ctl('cancel').catch(() => undefined);
      await rm(local, { force: true });
    },
  );
  return local;
}

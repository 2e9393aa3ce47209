import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../lab/ledger.js';
import { execa } from 'execa';
import { SshHost } from '../host/ssh-host.js';
import { sshOptions } from '../host/ssh-argv.js';
import type { Inventory, RemoteHostSpec } from './inventory.js';

/** A real host of a run: the SSH host and what the inventory says about it. */
export interface RemoteHost {
  host: SshHost;
  spec: RemoteHostSpec;
}

/** Directory of the shared-connection sockets: short, under the state dir (a socket path has ~100 bytes). */
export function sshControlDir(): string {
  return join(stateDir(), 'ssh');
}

/** The known_hosts file migbench keeps when the inventory names none. */
export function defaultKnownHosts(): string {
  return join(stateDir(), 'known_hosts');
}

/** The SSH hosts of an inventory (connects nothing yet; the first command does). */
export function remoteHosts(inv: Inventory): { a: RemoteHost; b: RemoteHost } {
  const controlDir = sshControlDir();
  // The state directory first, with the default mode: a recursive mkdir would give it the
  // control directory's 0700, and the lab's postgres user must search it (workloads-postgres.md).
  mkdirSync(stateDir(), { recursive: true });
  mkdirSync(controlDir, { recursive: true, mode: 0o700 });
  const knownHosts = inv.knownHosts ?? defaultKnownHosts();
  const make = (spec: RemoteHostSpec): RemoteHost => ({
    spec,
    host: new SshHost(`${spec.role}:${spec.target}`, {
      target: spec.target,
      knownHosts,
      controlDir,
      options: spec.sshOptions,
      ...(spec.port !== undefined ? { port: spec.port } : {}),
      ...(spec.identity !== undefined ? { identity: spec.identity } : {}),
    }),
  });
  return { a: make(inv.a), b: make(inv.b) };
}

/** Closes the shared connections of `hosts` (`ssh -O exit`); failures ignored (nothing may be open). */
export async function closeConnections(hosts: readonly RemoteHost[]): Promise<void> {
  await Promise.all(hosts.map((h) => execa('ssh', [...sshOptions(h.host.endpoint), '-O', 'exit', h.host.endpoint.target], { reject: false })));
}

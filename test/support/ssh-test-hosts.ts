import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import { parseInventory } from '../../src/remote/inventory.js';
import { closeConnections, remoteHosts, type RemoteHost } from '../../src/remote/remote-hosts.js';
import { ROOT } from './cli.js';

const SCRIPT = join(ROOT, 'scripts', 'ssh-test-hosts');

/**
 * Starts the two local SSH test hosts in a fresh directory on tmpfs (`/dev/shm/<prefix>XXXXXX`;
 * the hosts' data directories are `data-a` and `data-b` in it); returns it and the inventory's path.
 */
export async function sshTestHostsUp(prefix = 'migbench-ssh-hosts-'): Promise<{ dir: string; inventory: string }> {
  const dir = mkdtempSync(join('/dev/shm', prefix));
  const r = await execa(SCRIPT, ['up', dir]);
  return { dir, inventory: r.stdout.trim() };
}

/** Stops them and removes the directory. */
export async function sshTestHostsDown(dir: string): Promise<void> {
  await execa(SCRIPT, ['down', dir], { reject: false });
  rmSync(dir, { recursive: true, force: true });
}

/** The two test hosts as one test file uses them (filled in by its `beforeAll`). */
export interface SshTestHosts {
  dir: string;
  inventory: string;
  hosts: { a: RemoteHost; b: RemoteHost };
}

/**
 * Brings the SSH test hosts up before the file's tests (with `MIGBENCH_STATE_DIR` set to
 * `state`; their directory named by `o.prefix`, see {@link sshTestHostsUp}) and down after
 * them, connections closed first.
 */
export function useSshTestHosts(state: string, o: { prefix?: string } = {}): SshTestHosts {
  const env = { dir: '', inventory: '' } as SshTestHosts;
  beforeAll(async () => {
    process.env.MIGBENCH_STATE_DIR = state;
    ({ dir: env.dir, inventory: env.inventory } = await sshTestHostsUp(o.prefix));
    env.hosts = remoteHosts(parseInventory(readFileSync(env.inventory, 'utf8'), env.inventory));
  }, 60_000);
  afterAll(async () => {
    if (env.hosts) await closeConnections([env.hosts.a, env.hosts.b]);
    if (env.dir) await sshTestHostsDown(env.dir);
  }, 60_000);
  return env;
}

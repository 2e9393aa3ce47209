import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { ROOT } from './cli.js';

const SCRIPT = join(ROOT, 'scripts', 'ssh-test-hosts');

/** Starts the two local SSH test hosts in a fresh directory on tmpfs; returns it and the inventory's path. */
export async function sshTestHostsUp(): Promise<{ dir: string; inventory: string }> {
  const dir = mkdtempSync('/dev/shm/migbench-ssh-hosts-');
  const r = await execa(SCRIPT, ['up', dir]);
  return { dir, inventory: r.stdout.trim() };
}

/** Stops them and removes the directory. */
export async function sshTestHostsDown(dir: string): Promise<void> {
  await execa(SCRIPT, ['down', dir], { reject: false });
  rmSync(dir, { recursive: true, force: true });
}

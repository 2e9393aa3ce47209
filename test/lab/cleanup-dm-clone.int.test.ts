import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { CLI, freshStateDir, migbench } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

const SUBREAPER = join(import.meta.dirname, '..', 'support', 'subreaper.py');
const DM_ENV = { DM_DISABLE_UDEV: '1' };

/**
 * A run SIGKILLed while dm-clone is hydrating leaves a dm device, a metadata loop device and a
 * kernel NBD connection; `migbench cleanup` must release them in the right order (the dm
 * device holds the other two open) and leave a bystander dm device alone. Kernel lab only.
 */
describe('cleanup after a SIGKILL during dm-clone hydration', async () => {
  const why = await cloneBackend('dm-clone').unavailable();

  it.skipIf(why !== undefined)(`releases the clone stack, and nothing else${why ? ` (skipped: ${why})` : ''}`, async () => {
    const state = freshStateDir();
    const bystander = `bystander${process.pid}`;
    await execa('dmsetup', ['create', bystander, '--table', '0 2048 zero'], { env: DM_ENV });
    try {
      const child = execa(
        'python3',
        [SUBREAPER, process.execPath, CLI, 'run', '--strategy', 'async-clone', '--backend', 'dm-clone', '--size', '32MiB', '--reps', '1', '--hydration-threshold', '1', '--out', join(state, 'out')],
        { reject: false, env: { MIGBENCH_STATE_DIR: state } },
      );
      // Wait until the clone exists and B runs on it (the dm device is open, the NBD connected).
      let err = '';
      await new Promise<void>((resolve, reject) => {
        child.stderr?.on('data', (d: Buffer) => {
          err += d.toString();
          if (/async-clone…/.test(err)) resolve();
        });
        void child.then(() => reject(new Error(`run ended early: ${err}`)));
      });
      for (;;) {
        const left = await migbenchLeftovers();
        if (left.some((l) => l.startsWith('dm ')) && left.some((l) => l.startsWith('nbd '))) break;
        // Polls the kernel's state: the clone appears a moment after the step starts.
        await new Promise((r) => setTimeout(r, 100));
      }
      const ledger = readdirSync(state).find((n) => n.endsWith('.jsonl'))!;
      const owner = JSON.parse(readFileSync(join(state, ledger), 'utf8').split('\n')[0]!) as { pid: number };
      process.kill(owner.pid, 'SIGKILL');

      const c = await migbench(['cleanup'], state, 300_000);
      expect(c.exitCode, c.stderr).toBe(0);
      expect(c.stdout).toMatch(/released dm/);
      expect(c.stdout).toMatch(/released nbd/);
      await child;
      expect(await migbenchLeftovers()).toEqual([]);
      expect((await execa('dmsetup', ['ls'], { env: DM_ENV })).stdout).toContain(bystander);
    } finally {
      await execa('dmsetup', ['remove', bystander], { env: DM_ENV, reject: false });
    }
  }, 900_000);
});

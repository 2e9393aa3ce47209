import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { freshStateDir, migbench } from '../support/cli.js';
import { startRunUntil } from '../support/long-run.js';
import { migbenchLeftovers } from '../support/leftovers.js';

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
      // Into the async-clone step, then until the clone exists (dm device open, NBD connected).
      const run = await startRunUntil(
        state,
        ['--strategy', 'async-clone', '--backend', 'dm-clone', '--size', '32MiB', '--reps', '1', '--hydration-threshold', '1', '--out', join(state, 'out')],
        /async-clone…/,
      );
      for (;;) {
        const left = await migbenchLeftovers();
        if (left.some((l) => l.startsWith('dm ')) && left.some((l) => l.startsWith('nbd '))) break;
        // Polls the kernel's state: the clone appears a moment after the step starts.
        await new Promise((r) => setTimeout(r, 100));
      }
      process.kill(run.ownerPid, 'SIGKILL');

      const c = await migbench(['cleanup'], state, 300_000);
      expect(c.exitCode, c.stderr).toBe(0);
      expect(c.stdout).toMatch(/released dm/);
      expect(c.stdout).toMatch(/released nbd/);
      await run.child;
      expect(await migbenchLeftovers()).toEqual([]);
      expect((await execa('dmsetup', ['ls'], { env: DM_ENV })).stdout).toContain(bystander);
    } finally {
      await execa('dmsetup', ['remove', bystander], { env: DM_ENV, reject: false });
    }
  }, 900_000);
});

import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { trackingProblem } from '../../src/transfer/dirty/tracking.js';
import { freshStateDir, migbench } from '../support/cli.js';
import { startRunUntil } from '../support/long-run.js';
import { migbenchLeftovers } from '../support/leftovers.js';

const DM_ENV = { DM_DISABLE_UDEV: '1' };

interface KernelCase {
  /** What the run is doing when it is killed. */
  doing: string;
  unavailable: () => Promise<string | undefined>;
  args: string[];
  step: RegExp;
  /** Leftovers that show the kernel stack exists. */
  ready: (left: string[]) => boolean;
  released: RegExp[];
}

/**
 * A run SIGKILLed while a kernel stack is up leaves device-mapper devices, metadata loop
 * devices and (dm-clone) a kernel NBD connection; `migbench cleanup` must release them in
 * the right order (the dm device holds the others open) and leave a bystander dm device
 * alone. Kernel lab only.
 */
describe.each<KernelCase>([
  {
    doing: 'dm-clone hydration',
    unavailable: () => cloneBackend('dm-clone').unavailable(),
    args: ['--strategy', 'async-clone', '--backend', 'dm-clone', '--hydration-threshold', '1'],
    step: /async-clone…/,
    ready: (left) => left.some((l) => l.startsWith('dm ')) && left.some((l) => l.startsWith('nbd ')),
    released: [/released dm/, /released nbd/],
  },
  {
    doing: 'dm-era pre-copy',
    unavailable: () => trackingProblem('dm-era'),
    args: ['--strategy', 'precopy', '--tracking', 'dm-era'],
    step: /precopy…/,
    ready: (left) => left.some((l) => l.startsWith('dm ')),
    released: [/released dm/],
  },
])('cleanup after a SIGKILL during $doing', async (c) => {
  const why = await c.unavailable();

  it.skipIf(why !== undefined)(`releases the kernel stack, and nothing else${why ? ` (skipped: ${why})` : ''}`, async () => {
    const state = freshStateDir();
    const bystander = `bystander${process.pid}`;
    await execa('dmsetup', ['create', bystander, '--table', '0 2048 zero'], { env: DM_ENV });
    try {
      const run = await startRunUntil(state, [...c.args, '--size', '32MiB', '--reps', '1', '--out', join(state, 'out')], c.step);
      // Polls the kernel's state: the stack appears a moment after the step starts.
      while (!c.ready(await migbenchLeftovers())) await new Promise((r) => setTimeout(r, 100));
      process.kill(run.ownerPid, 'SIGKILL');

      const r = await migbench(['cleanup'], state, 300_000);
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
      for (const re of c.released) expect(r.stdout).toMatch(re);
      await run.child;
      expect(await migbenchLeftovers()).toEqual([]);
      expect((await execa('dmsetup', ['ls'], { env: DM_ENV })).stdout).toContain(bystander);
    } finally {
      await execa('dmsetup', ['remove', bystander], { env: DM_ENV, reject: false });
    }
  }, 900_000);
});

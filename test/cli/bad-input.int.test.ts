import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { trackingProblem } from '../../src/transfer/dirty/tracking.js';
import { freshStateDir, migbench } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

// What this kernel offers, decided by the same functions `migbench run` asks.
const dmCloneWhy = await cloneBackend('dm-clone').unavailable();
const dmEraWhy = await trackingProblem('dm-era');

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs `migbench run ARGS` and checks it is refused with `message` before provisioning anything. */
async function expectRefused(args: string[], message: RegExp): Promise<void> {
  const state = freshStateDir();
  const r = await migbench(['run', ...args], state);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe('');
  expect(readdirSync(state)).toEqual([]);
  expect(await migbenchLeftovers()).toEqual([]);
}

describe('bad input exits 2 with one line and provisions nothing', () => {
  it.each([
    [['--strategy', 'teleport'], /unknown strategy "teleport"/],
    [['--size', '-64MiB'], /--size/],
    [['--size', '64MB/s'], /--size/],
    [['--write-rate', '8 furlongs'], /--write-rate/],
    [['--link', '0bit/s'], /--link must be greater than 0/],
    [['--reps', '0'], /--reps/],
    [['--block-size', '3000'], /power of two/],
    [['--size', '10000000', '--block-size', '4KiB'], /does not divide/],
    [['--size', '64GiB', '--link', '10Mbit/s'], /more than --timeout/],
    [['--backing-dir', '/nonexistent/dir'], /does not exist/],
    [['--no-such-option'], /unknown option/],
    [['--strategy', 'async-clone', '--backend', 'qemu', '--hydration-threshold', '4'], /dm-clone settings/],
    [['--probe', 'strace'], /--probe: unknown read probe "strace"/],
    [['--workload', 'ftp'], /--workload: unknown workload "ftp"/],
    [['--workload', 'http', '--strategy', 'kill-boot-copy'], /--workload http cannot run kill-boot-copy/],
    [['--workload', 'http', '--strategy', 'kill-copy-boot', '--size', '8MiB'], /at least 16MiB/],
    [['--volumes', '0'], /--volumes/],
    [['--volumes', '17'], /--volumes: at most 16/],
    [['--stagger', 'soon'], /--stagger/],
  ])('run %j', async (args, message) => {
    await expectRefused(args, message);
  });

  // Bad on every kernel, for a reason that depends on the kernel: without dm-clone the backend
  // is refused as unavailable; with it, the rate limit dm-clone does not have is refused.
  it(`run --backend dm-clone --hydration-rate: depends on the kernel's dm-clone (device-mapper + CONFIG_DM_CLONE; here: ${dmCloneWhy ?? 'present'})`, async () => {
    await expectRefused(
      ['--strategy', 'async-clone', '--backend', 'dm-clone', '--hydration-rate', '10MiB/s'],
      dmCloneWhy !== undefined
        ? new RegExp(`clone backend dm-clone cannot run here: ${escape(dmCloneWhy)}$`, 'm')
        : /clone backend dm-clone: dm-clone has no hydration rate limit/,
    );
  });

  // Where the kernel has dm-era this is a valid run (the kernel-lab tests run it), not bad input.
  it.skipIf(dmEraWhy === undefined)(
    `run --tracking dm-era is refused on a kernel without dm-era (device-mapper + CONFIG_DM_ERA; here: ${dmEraWhy ?? 'present, skipped'})`,
    async () => {
      await expectRefused(
        ['--strategy', 'precopy', '--tracking', 'dm-era'],
        new RegExp(`--tracking dm-era cannot run here: ${escape(dmEraWhy ?? '')}$`, 'm'),
      );
    },
  );

  it('unknown command', async () => {
    const r = await migbench(['teleport'], freshStateDir());
    expect(r.exitCode).toBe(2);
  });
});

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freshStateDir, migbench } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

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
    // The build machines' kernel has no device-mapper (dm-clone runs in scripts/kernel-lab).
    [['--strategy', 'async-clone', '--backend', 'dm-clone'], /clone backend dm-clone cannot run here: .*device-mapper/],
    [['--strategy', 'async-clone', '--backend', 'qemu', '--hydration-threshold', '4'], /dm-clone settings/],
    [['--probe', 'strace'], /--probe: unknown read probe "strace"/],
    [['--workload', 'ftp'], /--workload: unknown workload "ftp"/],
    [['--workload', 'http', '--strategy', 'kill-boot-copy'], /--workload http cannot run kill-boot-copy/],
    [['--workload', 'http', '--strategy', 'kill-copy-boot', '--size', '8MiB'], /at least 16MiB/],
    [['--volumes', '0'], /--volumes/],
    [['--volumes', '17'], /--volumes: at most 16/],
    [['--stagger', 'soon'], /--stagger/],
  ])('run %j', async (args, message) => {
    const state = freshStateDir();
    const r = await migbench(['run', ...args], state);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(state)).toEqual([]);
    expect(await migbenchLeftovers()).toEqual([]);
  });

  it('unknown command', async () => {
    const r = await migbench(['teleport'], freshStateDir());
    expect(r.exitCode).toBe(2);
  });
});

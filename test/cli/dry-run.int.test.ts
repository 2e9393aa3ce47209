import { existsSync, mkdtempSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, freshStateDir } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

/** Runs the built CLI in a fresh working directory (so a results/ dir would show), optionally as `nobody`. */
async function dryRun(args: string[], asNobody = false) {
  const cwd = mkdtempSync(join(tmpdir(), 'migbench-dry-'));
  const state = freshStateDir();
  // nobody must be able to enter both (and would fail to create anything in them anyway).
  chmodSync(cwd, 0o777);
  chmodSync(state, 0o777);
  const r = await execa(process.execPath, [CLI, 'run', '--dry-run', ...args], {
    reject: false,
    cwd,
    env: { MIGBENCH_STATE_DIR: state },
    timeout: 60_000,
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  return { ...r, cwd, state };
}

describe('migbench run --dry-run', () => {
  it('prints the expanded plan and exits 0; no results dir, no ledger, nothing provisioned', async () => {
    const out = join(tmpdir(), `migbench-dry-out-${process.pid}`);
    const r = await dryRun(['--strategy', 'kill-copy-boot,async-clone,precopy', '--size', '32MiB,64MiB', '--link', '200Mbit/s,1Gbit/s', '--reps', '2', '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/repetitions +4 point\(s\) × 3 strategies × 2 = 24/);
    expect(r.stdout).toMatch(/clone backend +auto → (qemu|dm-clone)/);
    expect(r.stdout).toMatch(/dirty tracking +auto → (qemu|dm-era)/);
    expect(r.stdout).toMatch(/estimated wall time: about/);
    expect(r.stdout).toContain('size=64MiB link=1Gbit/s');
    expect(readdirSync(r.cwd)).toEqual([]);
    expect(readdirSync(r.state)).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect(await migbenchLeftovers()).toEqual([]);
  });

  it('needs no root', async () => {
    const r = await dryRun(['--strategy', 'all', '--size', '64MiB'], true);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/the real run needs root/);
    expect(readdirSync(r.cwd)).toEqual([]);
    expect(readdirSync(r.state)).toEqual([]);
  });

  it('takes a scenario file with the application options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migbench-dry-file-'));
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify({ strategy: 'kill-copy-boot', workload: 'http', probe: 'fio', volumes: 2, size: '64MiB' }));
    const r = await dryRun(['--scenario', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/workload +http, 2 volumes .*probe fio/);
  });

  it.each([
    [['--size', '64MiB,64XB'], /--size: .*"64XB"/],
    [['--strategy', 'teleport'], /unknown strategy "teleport"/],
    [['--backend', 'zfs'], /--backend: unknown backend "zfs"/],
    [['--strategy', 'async-clone', '--backend', 'qemu', '--hydration-threshold', '4'], /dm-clone settings/],
  ])('bad input still exits 2: %j', async (args, message) => {
    const r = await dryRun(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(r.state)).toEqual([]);
  });

  it('migbench run --help lists the options in groups, with examples', async () => {
    const r = await execa(process.execPath, [CLI, 'run', '--help'], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/\nWhat to run:\n[\s\S]*\nLink:\n +--link <rate>[\s\S]*\nOutput:\n[\s\S]*\nExamples:\n/);
    expect(r.stdout).toMatch(/--dry-run +validate and print the expanded plan/);
  });
});

/**
 * Per-host CPU accounting (issue 15 §3): each lab host's processes run in the run's
 * cgroup `migbench-<run>-a` / `-b`; runs.csv reports the CPU seconds each used during the
 * migration, and `migbench cleanup` removes the groups a killed run left.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cgroupName, findCpuHierarchy } from '../../src/lab/cpu-cgroup.js';
import { CLI, freshStateDir, migbench, readCsv } from '../support/cli.js';
import { leftoversOf } from '../support/leftovers.js';

const SUBREAPER = join(import.meta.dirname, '..', 'support', 'subreaper.py');
const SHORT = ['--reps', '1', '--warmup', '300ms', '--settle', '200ms', '--health', '100ms', '--link', '1Gbit/s'];
const hierarchy = findCpuHierarchy(await import('node:fs').then((fs) => fs.readFileSync('/proc/self/mounts', 'utf8')));

describe.skipIf(!hierarchy)('per-host CPU cgroups', () => {
  it('kill-copy-boot reports CPU seconds > 0 per host, and more on A for a volume 8× larger; the groups are gone after the run', async () => {
    const state = freshStateDir();
    const out = join(state, 'out');
    const r = await migbench(['run', '--strategy', 'kill-copy-boot', '--size', '16MiB,128MiB', ...SHORT, '--out', out], state, 120_000);
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = readCsv(join(out, 'runs.csv'));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      for (const c of ['cpu_s_a', 'cpu_s_b', 'cpu_s_per_gib_a', 'cpu_s_per_gib_b']) expect(Number(row[c]), `${c} ${JSON.stringify(row)}`).toBeGreaterThan(0);
    }
    const bySize = (n: number) => rows.find((x) => Number(x.size_bytes) === n * 2 ** 20)!;
    // After the kill A only serves the copy: its CPU grows with the bytes it sends.
    expect(Number(bySize(128).bytes_on_wire)).toBeGreaterThan(Number(bySize(16).bytes_on_wire));
    expect(Number(bySize(128).cpu_s_a)).toBeGreaterThan(Number(bySize(16).cpu_s_a));
    const runId = rows[0]!.run_id!;
    for (const side of ['a', 'b']) expect(existsSync(join(hierarchy!.root, cgroupName(runId, side)))).toBe(false);
  }, 120_000);

  it('a run killed outright leaves its groups; migbench cleanup removes them', async () => {
    const state = freshStateDir();
    const r = await execa('python3', [SUBREAPER, '--setsid', process.execPath, CLI, 'run', '--strategy', 'kill-copy-boot', '--size', '16MiB', ...SHORT, '--out', join(state, 'out')], {
      reject: false,
      env: { MIGBENCH_STATE_DIR: state, MIGBENCH_TEST_ABORT_AT: 'warmup+200', MIGBENCH_TEST_ABORT_SIGNAL: 'SIGKILL' },
      timeout: 120_000,
    });
    const runId = /migbench run (\d{8}-\d{6}-[0-9a-f]{6})/.exec(`${r.stderr}${r.stdout}`)?.[1];
    expect(runId, r.stderr).toBeDefined();
    try {
      expect(r.exitCode, r.stderr).toBe(137);
      const groups = ['a', 'b'].map((side) => join(hierarchy!.root, cgroupName(runId!, side)));
      expect(groups.map((g) => existsSync(g))).toEqual([true, true]);
    } finally {
      const c = await migbench(['cleanup'], state, 120_000);
      expect(c.exitCode, c.stdout + c.stderr).toBe(0);
      expect(c.stdout).toMatch(/released cgroup/);
    }
    expect(await leftoversOf(state, [runId!])).toEqual([]);
    expect(readdirSync(state).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
  }, 120_000);
});

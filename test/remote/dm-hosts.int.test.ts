import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { trackingProblem } from '../../src/transfer/dirty/tracking.js';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { leftOnHost } from '../support/host-residue.js';
import { useSshTestHosts } from '../support/ssh-test-hosts.js';

/**
 * The kernel pieces over SSH (issue 13): dm-clone with the kernel NBD client on B, dm-era on
 * A. Runs in the kernel lab (`npm run test:kernel-lab`); both SSH test hosts share its
 * kernel, so what the controller's kernel offers is what theirs does. Elsewhere it skips
 * without bringing the hosts up.
 */
const why = (await cloneBackend('dm-clone').unavailable()) ?? (await trackingProblem('dm-era').catch((err: Error) => err.message));

/**
 * One repetition each, small and short: TCG runs the whole kernel in software. Its SSH round
 * trips are tens of times slower than a real machine's, so the clock bound is raised (the
 * hosts share the controller's clock: the true offset is 0 here).
 */
const QUICK = ['--size', '32MiB', '--reps', '1', '--warmup', '500ms', '--settle', '500ms', '--health', '250ms', '--max-clock-uncertainty', '200ms'];

describe.skipIf(why !== undefined)(`migbench run --hosts with the kernel's targets${why ? ` (skipped: ${why})` : ''}`, () => {
  // Only when the file runs: a skipped file's hooks never run, so nothing would remove it.
  const state = why === undefined ? freshStateDir() : '';
  const env = useSshTestHosts(state);

  it('runs async-clone on dm-clone (B) and precopy on dm-era (A) over SSH: nothing lost, nothing left on either host', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'migbench-dm-hosts-')), 'r');
    // Larger regions hydrated in batches: under TCG dm-clone's default (one 64 KiB region at a
    // time) took 96 s for 32 MiB over SSH, most of this test's budget.
    const clone = ['--backend', 'dm-clone', '--region-size', '256KiB', '--hydration-batch', '16'];
    const r = await migbench(['run', '--hosts', env.inventory, '--strategy', 'async-clone,precopy', ...clone, '--tracking', 'dm-era', ...QUICK, '--out', out], state, 420_000);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const rows = readCsv(join(out, 'runs.csv'));
    expect(rows.map((row) => row.strategy)).toEqual(['async-clone', 'precopy']);
    for (const row of rows) {
      expect(row.status, row.error).toBe('ok');
      expect(row.lost_bytes).toBe('0');
      expect(Number(row.interruption_ms)).toBeGreaterThan(0);
    }
    expect(rows[0]!.backend).toBe('dm-clone');
    expect(rows[1]!.tracking).toBe('dm-era');
    // The dm devices, the NBD connection, the loops and processes: all released on both hosts.
    for (const h of [env.hosts.a, env.hosts.b]) expect(await leftOnHost(h, rows[0]!.run_id)).toBe('');
  }, 440_000);
});

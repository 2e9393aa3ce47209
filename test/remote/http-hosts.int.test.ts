import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { leftOnHost } from '../support/host-residue.js';
import { useSshTestHosts } from '../support/ssh-test-hosts.js';

const SIZE = 64 * 2 ** 20;
/** The test hosts' data link, shaped by the run's default --link (1 Gbit/s). */
const LINK = 1e9;
/** tbf lets one bucket (256 KiB) through above the rate. */
const BURST = 256 * 1024;
const QUICK = ['--size', '64MiB', '--reps', '1', '--warmup', '500ms', '--settle', '500ms', '--health', '250ms'];

const state = freshStateDir();
const env = useSshTestHosts(state);

describe('migbench run --hosts --workload http (two SSH hosts)', () => {
  // kill-copy-boot takes every remote piece of the workload: ext4, the data file and the
  // service on A, the clients on B through the front door at the data addresses, B's
  // mount and service, and the verifier reading B's data file on B.
  it('runs kill-copy-boot with the service on the hosts: no acknowledged request lost, nothing left', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'migbench-hosts-http-')), 'r');
    const r = await migbench(['run', '--hosts', env.inventory, '--workload', 'http', '--strategy', 'kill-copy-boot', ...QUICK, '--out', out], state, 60_000);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    const rows = readCsv(join(out, 'runs.csv'));
    expect(rows.map((row) => row.strategy)).toEqual(['kill-copy-boot']);
    const row = rows[0]!;
    expect(row.status, row.error).toBe('ok');
    expect(row.workload).toBe('http');
    // Every response the clients on B saw is a record in B's data file, read on B.
    expect(Number(row.acked_writes)).toBeGreaterThan(0);
    expect(row.lost_requests, row.warnings).toBe('0');
    expect(Number(row.corrupt_bytes)).toBe(0);
    expect(row.lost_bytes).toBe('');
    expect(Number(row.split_brain_ms)).toBe(0);
    // The clients saw the service go away for at least the cut-over, and for the copy of the whole volume.
    expect(Number(row.client_gap_ms)).toBeGreaterThanOrEqual(Number(row.interruption_ms) - 1);
    expect(Number(row.client_gap_ms)).toBeGreaterThanOrEqual((((SIZE - BURST) * 8) / LINK) * 1000);
    // The clients' times are on the controller's clock, with the hosts' measured offsets in the row
    // (one kernel here: the true offset is 0, within the uncertainty).
    expect(Number(row.clock_uncertainty_ms)).toBeGreaterThan(0);
    for (const c of ['clock_offset_a_ms', 'clock_offset_b_ms']) expect(Math.abs(Number(row[c]))).toBeLessThanOrEqual(Number(row.clock_uncertainty_ms));
    // The mounts, data file, services and clients were all in the hosts' ledgers, and all went.
    for (const h of [env.hosts.a, env.hosts.b]) expect(await leftOnHost(h, row.run_id!)).toBe('');
  }, 60_000);
});

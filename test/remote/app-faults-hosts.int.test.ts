import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { leftOnHost } from '../support/host-residue.js';
import { useSshTestHosts } from '../support/ssh-test-hosts.js';

/**
 * A fault under the application workloads over SSH (issue 13: every workload takes a
 * fault on real hosts as in the lab): async-clone through a 1 s outage of the data link,
 * 300 ms into hydration, at 100 Mbit/s (a hydration of ~3–6 s, long enough to cut into).
 * The application's own figures (acknowledged requests or commits, lost ones, the client
 * gap; the database's integrity and recovery) are in the row, and nothing is left.
 */
const FAULT = ['--strategy', 'async-clone', '--link', '100Mbit/s', '--reps', '1', '--timeout', '1min', '--fault', 'link-down@hydration+300ms/1s'];

const state = freshStateDir();
const env = useSshTestHosts(state);

async function run(args: string[]): Promise<Record<string, string>> {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-hosts-appfault-')), 'r');
  const r = await migbench(['run', '--hosts', env.inventory, ...FAULT, ...args, '--out', out], state, 90_000);
  expect(r.exitCode, r.stderr + r.stdout).toBe(0);
  const rows = readCsv(join(out, 'runs.csv'));
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  // The cut was a qdisc in each host's ledger, as were the workload's mounts, services and clients.
  for (const h of [env.hosts.a, env.hosts.b]) expect(await leftOnHost(h, row.run_id), h.spec.role).toBe('');
  expect(row.status, row.error).toBe('ok');
  expect(row.fault).toBe('link-down@hydration+300ms/1s');
  expect(row.recovered).toBe('true');
  // The outage itself plus the tc commands on both hosts; hydration then resumed.
  expect(Number(row.fault_ms)).toBeGreaterThanOrEqual(1000);
  expect(Number(row.unavailable_bytes)).toBe(0);
  expect(Number(row.fault_at_ms)).toBeLessThan(Number(row.hydration_done_at_ms));
  expect(row.warnings).not.toMatch(/never came|failed/);
  expect(Number(row.acked_writes)).toBeGreaterThan(0);
  return row;
}

describe('migbench run --hosts --fault with the application workloads (two SSH hosts)', () => {
  it('http: the clone hydrates through the outage; B’s responses timed, no acknowledged request lost, nothing left', async () => {
    const r = await run(['--workload', 'http', '--size', '32MiB', '--warmup', '500ms', '--settle', '500ms', '--health', '250ms']);
    expect(r.workload).toBe('http');
    expect(r.lost_requests, r.warnings).toBe('0');
    expect(Number(r.corrupt_bytes)).toBe(0);
    expect(Number(r.client_gap_ms)).toBeGreaterThanOrEqual(Number(r.interruption_ms) - 1);
    // B's responses are timed (stall_ms: the longest silence among them). It stays short: the
    // service fills its data file's 32-byte slots in order, so a 64 KiB cluster copied to B
    // once takes ~2000 writes, and the outage stalls only a write that crosses into a cluster
    // not on B yet.
    expect(r.stall_ms).not.toBe('');
    expect(Number(r.stall_ms)).toBeGreaterThan(0);
  }, 100_000);

  it('postgres: B’s database stalls through the outage and loses no commit; integrity ok, nothing left', async () => {
    const r = await run(['--workload', 'postgres', '--size', '64MiB', '--warmup', '500ms', '--settle', '500ms', '--health', '250ms', '--db-clients', '2', '--tps', '200/s']);
    expect(r.workload).toBe('postgres');
    expect(r.lost_commits, r.warnings).toBe('0');
    expect(r.integrity_ok, r.warnings).toBe('true');
    expect(Number(r.recovery_ms)).toBeGreaterThan(0);
    // B's commits stopped for most of the outage (its reads and copy-on-writes wait for the link).
    expect(Number(r.stall_ms)).toBeGreaterThanOrEqual(700);
  }, 100_000);
});

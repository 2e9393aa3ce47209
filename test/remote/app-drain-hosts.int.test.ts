import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { leftOnHost } from '../support/host-residue.js';
import { useSshTestHosts } from '../support/ssh-test-hosts.js';

/**
 * A drain of two volumes under the application workloads over SSH (issue 13): each
 * volume a full repetition of its own on the same two hosts (its devices, export,
 * filesystem, service or database, clients and ports), both over the one data link. The
 * two test hosts share one kernel, so two volumes' loop devices, mounts, sockets and
 * processes must never be confused by name: each volume is verified on its own.
 *
 * The hosts' data directories are long (~90 bytes): a socket's path under them
 * (`<dataDir>/work/<run>/<strategy>-1-v1/qemu-clone/qmp.sock`, PostgreSQL's
 * `…/pgsock/.s.PGSQL.PORT`) passes sun_path's 107 bytes, so this also shows the sockets
 * named through the run's short link on each host (src/remote/work-path.ts socketLinkPath).
 */
const QUICK = ['--volumes', '2', '--reps', '1', '--warmup', '500ms', '--settle', '500ms', '--health', '250ms', '--timeout', '1min'];

const state = freshStateDir();
const env = useSshTestHosts(state, { prefix: 'migbench-ssh-hosts-with-a-data-directory-long-enough-to-pass-sun-path-' });

async function drain(args: string[], strategy: string): Promise<Record<string, string>[]> {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-hosts-appdrain-')), 'r');
  const r = await migbench(['run', '--hosts', env.inventory, '--strategy', strategy, ...QUICK, ...args, '--out', out], state, 90_000);
  expect(r.exitCode, r.stderr + r.stdout).toBe(0);
  const rows = readCsv(join(out, 'runs.csv'));
  // What the sockets' paths would have been without the short link.
  const runId = rows[0]!.run_id!;
  expect(join(env.hosts.b.spec.dataDir, 'work', runId, `${strategy}-1-v1`, 'qemu-clone', 'qmp.sock').length).toBeGreaterThan(107);
  for (const h of [env.hosts.a, env.hosts.b]) expect(await leftOnHost(h, rows[0]?.run_id), h.spec.role).toBe('');
  expect(rows.map((row) => [row.strategy, row.volume])).toEqual([
    [strategy, '1'],
    [strategy, '2'],
  ]);
  for (const row of rows) {
    expect(row.status, `volume ${row.volume}: ${row.error}`).toBe('ok');
    expect(Number(row.acked_writes), `volume ${row.volume}`).toBeGreaterThan(0);
  }
  // One drain: both rows carry the same drain time, at least each volume's own migration.
  expect(rows[0]!.drain_ms).toBe(rows[1]!.drain_ms);
  for (const row of rows) expect(Number(row.drain_ms)).toBeGreaterThanOrEqual(Number(row.migration_ms) - 1);
  return rows;
}

describe('migbench run --hosts --volumes 2 with the application workloads (two SSH hosts)', () => {
  it('http, async-clone: two services moved at once, no acknowledged request lost on either, nothing left', async () => {
    const rows = await drain(['--workload', 'http', '--size', '32MiB'], 'async-clone');
    for (const row of rows) {
      expect(row.lost_requests, `volume ${row.volume}: ${row.warnings}`).toBe('0');
      expect(Number(row.corrupt_bytes)).toBe(0);
      expect(Number(row.client_gap_ms)).toBeGreaterThanOrEqual(Number(row.interruption_ms) - 1);
    }
  }, 100_000);

  it('postgres, kill-copy-boot: two databases moved at once, no commit lost, integrity ok on both, nothing left', async () => {
    const rows = await drain(['--workload', 'postgres', '--size', '64MiB', '--db-clients', '2', '--tps', '200/s'], 'kill-copy-boot');
    for (const row of rows) {
      expect(row.lost_commits, `volume ${row.volume}: ${row.warnings}`).toBe('0');
      expect(row.integrity_ok, `volume ${row.volume}: ${row.warnings}`).toBe('true');
      expect(Number(row.recovery_ms)).toBeGreaterThan(0);
    }
  }, 100_000);
});

import { chmodSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../../support/cli.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

/** The namespace prefix of a run (lab.ts labPrefix). */
const prefixOf = (runId: string): string => `mgb${runId.replace(/[^a-z0-9]/gi, '').slice(-6).toLowerCase()}`;
const runPrefixes: string[] = [];
async function leftoversOf(state: string): Promise<string[]> {
  return (await migbenchLeftovers()).filter((l) => l.includes(state) || runPrefixes.some((p) => l.includes(p)));
}

/** A state dir the postgres user can reach its data directory through (mkdtemp makes it 0700). */
function stateDir(): string {
  const dir = freshStateDir();
  chmodSync(dir, 0o755);
  return dir;
}

const ARGS = ['--workload', 'postgres', '--backend', 'qemu', '--size', '128MiB', '--link', '1Gbit/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--health', '250ms'];

describe('--workload postgres on real loop devices, ext4 and PostgreSQL 15', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-pg-')), 'results');
  const state = stateDir();
  let rows = new Map<string, Record<string, string>>();
  let stderr = '';
  let exitCode: number | undefined;

  beforeAll(async () => {
    const r = await migbench(['run', ...ARGS, '--strategy', 'kill-copy-boot,copy-boot-kill,async-clone', '--out', out], state);
    stderr = r.stderr;
    exitCode = r.exitCode;
    const csv = readCsv(join(out, 'runs.csv'));
    rows = new Map(csv.map((row) => [row.strategy!, row]));
    runPrefixes.push(prefixOf(csv[0]!.run_id!));
  }, 300_000);

  afterAll(async () => {
    expect(await leftoversOf(state)).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('runs every strategy asked to a result row; the ones whose B boots each have a recovery time and TPS by phase', () => {
    expect([...rows.keys()].sort()).toEqual(['async-clone', 'copy-boot-kill', 'kill-copy-boot']);
    // A database that cannot come up on B is what the benchmark measured, not a failed run.
    expect(exitCode, stderr).toBe(0);
    for (const [name, r] of rows) {
      expect(r.status, r.error).toBe('ok');
      expect(r.workload).toBe('postgres');
      expect(Number(r.acked_writes), name).toBeGreaterThan(0);
      expect(Number(r.tps_baseline), name).toBeGreaterThan(0);
      // The loss is counted in commits.
      expect(r.lost_requests).toBe('');
      expect(r.lost_bytes).toBe('');
      if (r.db_boot_failed === 'true') continue;
      expect(r.db_boot_failed, name).toBe('false');
      // Mount + crash recovery take time; the server log's "ready" line comes no later than our poll saw it accept (±1 ms of log resolution).
      expect(Number(r.recovery_ms), name).toBeGreaterThan(0);
      expect(Number(r.recovery_log_ms), name).toBeLessThanOrEqual(Number(r.recovery_ms) + 1);
      expect(Number(r.tps_after), name).toBeGreaterThan(0);
      expect(Number(r.client_gap_ms), name).toBeGreaterThan(0);
    }
  });

  it('kill-copy-boot and async-clone lose no acknowledged commit and pass amcheck and the consistency checks', () => {
    for (const name of ['kill-copy-boot', 'async-clone']) {
      const r = rows.get(name)!;
      expect(Number(r.lost_commits), name).toBe(0);
      expect(r.integrity_ok, `${name}: ${r.warnings}`).toBe('true');
      expect(Number(r.split_brain_ms), name).toBe(0);
      // A volume copied after the kill is a settled filesystem: no e2fsck, a database that boots.
      expect(r.db_boot_failed, name).toBe('false');
      expect(r.fsck_exit, name).toBe('');
      // The clients saw the server go away: at least the cutover is a gap.
      expect(Number(r.client_gap_ms), name).toBeGreaterThanOrEqual(Number(r.interruption_ms) - 1);
    }
  });

  /*
   * copy-boot-kill copies A's volume while A's ext4 is mounted and PostgreSQL writes to it:
   * B gets a block copy of a live filesystem, torn (metadata copied at different moments).
   * Physically guaranteed: B's database either does not come up from it, even after
   * e2fsck (then the destination shows none of the acknowledged commits), or it boots
   * without the commits A acknowledged after the copy passed their WAL — never both booted
   * and lossless while the clients commit throughout. Either way a result row.
   */
  it('copy-boot-kill either cannot boot B from its torn copy (all commits lost), or loses commits A acknowledged after the copy', () => {
    const r = rows.get('copy-boot-kill')!;
    expect(Number(r.lost_commits)).toBeGreaterThan(0);
    if (r.db_boot_failed === 'true') {
      // The server's own reason, after e2fsck had its go at the volume.
      expect(r.db_boot_error).toMatch(/FATAL|PANIC|mount/);
      expect(r.fsck_exit).toMatch(/^\d+$/);
      expect(Number(r.lost_commits)).toBe(Number(r.acked_writes));
      expect(r.integrity_ok).toBe('false');
      expect(r.recovery_ms).toBe('');
      expect(r.interruption_ms).toBe('');
      return;
    }
    expect(r.db_boot_error).toBe('');
    expect(Number(r.recovery_ms)).toBeGreaterThan(0);
    expect(Number(r.lost_commits)).toBeLessThan(Number(r.acked_writes));
    // B served: its clients moved there once it was up.
    expect(Number(r.tps_after)).toBeGreaterThan(0);
  });
});

describe('--workload postgres in a drain', () => {
  it('migrates two databases at once over the one link, each losing nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'migbench-pg-drain-')), 'results');
    const state = stateDir();
    const r = await migbench(['run', ...ARGS, '--size', '64MiB', '--strategy', 'async-clone', '--volumes', '2', '--db-clients', '2', '--tps', '200/s', '--out', out], state);
    expect(r.exitCode, r.stderr).toBe(0);
    const csv = readCsv(join(out, 'runs.csv'));
    runPrefixes.push(prefixOf(csv[0]!.run_id!));
    expect(csv.map((row) => row.volume).sort()).toEqual(['1', '2']);
    for (const row of csv) {
      expect(row.status, row.error).toBe('ok');
      expect(Number(row.lost_commits)).toBe(0);
      expect(row.integrity_ok, row.warnings).toBe('true');
      expect(Number(row.recovery_ms)).toBeGreaterThan(0);
      expect(Number(row.drain_ms)).toBeGreaterThan(0);
    }
    expect(await leftoversOf(state)).toEqual([]);
  }, 180_000);
});

import { chmodSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../../support/cli.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

/*
 * `--workload postgres --fault …` (issues 12 and 17) on the qemu clone, with real
 * PostgreSQL 15: a link outage while B's database recovers and serves on the clone costs
 * time, not commits; a source lost before B could read anything leaves a database that
 * never comes up on B — every acknowledged commit lost — and that is a result row, not a
 * failed repetition; B crashing mid-hydration loses nothing once its database is up again. docs/workloads-postgres.md, "Faults".
 */

/** The namespace prefix of a run (lab.ts labPrefix). */
const prefixOf = (runId: string): string => `mgb${runId.replace(/[^a-z0-9]/gi, '').slice(-6).toLowerCase()}`;

const ARGS = ['--workload', 'postgres', '--backend', 'qemu', '--size', '64MiB', '--link', '200Mbit/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--health', '250ms', '--timeout', '2min'];

describe('--workload postgres under faults (async-clone, qemu)', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-pg-fault-')), 'results');
  // The postgres user must reach its data directory through the state dir (mkdtemp makes it 0700).
  const state = freshStateDir();
  chmodSync(state, 0o755);
  let rows = new Map<string, Record<string, string>>();
  let runPrefix = '';
  let stderr = '';
  let exitCode: number | undefined;

  // PostgreSQL's POSIX shared-memory segments outlive a SIGKILLed server (*kill*, dest-crash).
  const shmSegments = (): string[] => readdirSync('/dev/shm').filter((n) => n.startsWith('PostgreSQL.'));
  const shmBefore = shmSegments();

  beforeAll(async () => {
    const r = await migbench(['run', ...ARGS, '--strategy', 'async-clone', '--fault', 'link-down@kill+1s/2s,source-crash@boot,dest-crash@hydration:50%', '--out', out], state);
    stderr = r.stderr;
    exitCode = r.exitCode;
    const csv = readCsv(join(out, 'runs.csv'));
    rows = new Map(csv.map((row) => [row.fault!, row]));
    runPrefix = prefixOf(csv[0]!.run_id!);
  }, 240_000);

  afterAll(async () => {
    expect(shmSegments().filter((n) => !shmBefore.includes(n))).toEqual([]);
    expect((await migbenchLeftovers()).filter((l) => l.includes(state) || l.includes(runPrefix))).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('runs both faults to result rows: a database that never comes up is what was measured, not a failure', () => {
    expect(exitCode, stderr).toBe(0);
    expect([...rows.keys()].sort()).toEqual(['dest-crash@hydration:50%', 'link-down@kill+1s/2s', 'source-crash@boot']);
    for (const r of rows.values()) {
      expect(r.status, r.error).toBe('ok');
      expect(Number(r.acked_writes)).toBeGreaterThan(0);
    }
  });

  it('link-down while B recovers and serves on the clone: B stalls, comes back, and loses no acknowledged commit', () => {
    const r = rows.get('link-down@kill+1s/2s')!;
    expectRecoveredLosingNothing(r);
    expect(r.db_boot_failed).toBe('false');
    expect(Number(r.recovery_ms)).toBeGreaterThan(0);
  });

  it('dest-crash: B crashes mid-hydration, its database is booted again on the reassembled clone, and no acknowledged commit is lost', () => {
    const r = rows.get('dest-crash@hydration:50%')!;
    expectRecoveredLosingNothing(r);
    expect(r.warnings).toMatch(/dest-crash: B's database up again after \d+ ms/);
  });

  it('source-crash as B boots: nothing is on B yet, its database never comes up, and every acknowledged commit is counted lost', () => {
    const r = rows.get('source-crash@boot')!;
    expect(r.recovered).toBe('false');
    expect(Number(r.unavailable_bytes)).toBeGreaterThan(0);
    expect(r.db_boot_failed).toBe('true');
    // Why, in the words of mount or the server, after e2fsck had its go.
    expect(r.db_boot_error).toMatch(/mount|FATAL|PANIC/);
    expect(r.fsck_exit).toMatch(/^\d+$/);
    expect(Number(r.lost_commits)).toBe(Number(r.acked_writes));
    expect(r.integrity_ok).toBe('false');
    expect(r.recovery_ms).toBe('');
  });
});

/** A fault the database rode out: it lasted, B came back, every acknowledged commit is there, the checks pass, and B committed after it. */
function expectRecoveredLosingNothing(r: Record<string, string>): void {
  expect(r.recovered).toBe('true');
  expect(Number(r.fault_ms)).toBeGreaterThan(0);
  expect(Number(r.lost_commits), r.warnings).toBe(0);
  expect(r.integrity_ok, r.warnings).toBe('true');
  // The clients came back to B after the fault.
  expect(Number(r.tps_after)).toBeGreaterThan(0);
}

describe('--workload postgres --fault refusals', () => {
  it('refuses a fault on a drain before provisioning anything (exit 2, says why)', async () => {
    const state = freshStateDir();
    const r = await migbench(['run', ...ARGS, '--strategy', 'async-clone', '--volumes', '2', '--fault', 'link-down@kill+1s/2s', '--out', join(state, 'out')], state);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/one volume's export, link and clone, not on a drain of 2/);
    expect(readdirSync(state)).toEqual([]);
  });
});

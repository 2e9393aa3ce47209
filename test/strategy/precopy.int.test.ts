import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

const MiB = 2 ** 20;
const SIZE = 64 * MiB;
const LINK = 400e6;

/** precopy, backup-restore and mirror on real loop devices, through the CLI. */
describe('precopy, backup-restore and mirror', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-precopy-run-')), 'results');
  const state = freshStateDir();
  let rows = new Map<string, Record<string, string>>();
  let timeline: Record<string, string>[] = [];

  beforeAll(async () => {
    const r = await migbench(
      ['run', '--strategy', 'precopy,backup-restore,mirror', '--size', '64MiB', '--link', '400Mbit/s', '--write-rate', '2MB/s', '--backup-age', '2s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--out', out],
      state,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    rows = new Map(readCsv(join(out, 'runs.csv')).map((row) => [row.strategy!, row]));
    timeline = readCsv(join(out, 'timeline.csv'));
  }, 300_000);

  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('precopy converges and loses nothing', () => {
    const r = rows.get('precopy')!;
    expect(r.status, r.error).toBe('ok');
    for (const c of ['lost_bytes', 'corrupt_bytes', 'diverged_bytes', 'split_brain_ms']) expect(Number(r[c]), c).toBe(0);
    expect(r.converged).toBe('true');
    expect(Number(r.rounds)).toBeGreaterThanOrEqual(1);
    expect(Number(r.final_delta_bytes)).toBeGreaterThan(0);
    expect(Number(r.final_delta_bytes)).toBeLessThan(SIZE);
    // The full copy and every delta crossed the link.
    expect(Number(r.bytes_on_wire)).toBeGreaterThanOrEqual(SIZE + Number(r.final_delta_bytes));
    expect(Number(r.write_p99_us_premigration)).toBeGreaterThan(0);
  });

  it('precopy writes its passes into timeline.csv', () => {
    const passes = timeline.filter((t) => t.strategy === 'precopy' && t.precopy_round !== '');
    expect(passes[0]!.precopy_round).toBe('0');
    expect(Number(passes[0]!.dirty_bytes)).toBe(SIZE);
    expect(passes.at(-1)!.precopy_round).toBe('final');
  });

  it('backup-restore loses the writes made since the backup, and restores the whole volume over the link', () => {
    const r = rows.get('backup-restore')!;
    expect(r.status, r.error).toBe('ok');
    expect(Number(r.lost_bytes)).toBeGreaterThan(0);
    expect(Number(r.corrupt_bytes)).toBe(0);
    expect(Number(r.diverged_bytes)).toBe(0);
    expect(Number(r.backup_age_ms)).toBeGreaterThanOrEqual(2000);
    expect(Number(r.interruption_ms)).toBeGreaterThanOrEqual(((SIZE - 256 * 1024) * 8 * 1000) / LINK);
  });

  it('mirror loses nothing', () => {
    const r = rows.get('mirror')!;
    expect(r.status, r.error).toBe('ok');
    for (const c of ['lost_bytes', 'corrupt_bytes', 'diverged_bytes', 'split_brain_ms']) expect(Number(r[c]), c).toBe(0);
    expect(Number(r.bytes_on_wire)).toBeGreaterThanOrEqual(SIZE);
  });
});

/** Writes that outpace the link: precopy says so, still finishes, and loses nothing. */
describe('precopy when writes outpace the link', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-precopy-slow-')), 'results');
  const state = freshStateDir();
  let row: Record<string, string> = {};

  beforeAll(async () => {
    const r = await migbench(
      ['run', '--strategy', 'precopy', '--size', '16MiB', '--link', '8Mbit/s', '--write-rate', '40MB/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--out', out],
      state,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    row = readCsv(join(out, 'runs.csv'))[0]!;
  }, 300_000);

  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
  });

  it('reports converged=false and loses nothing', () => {
    expect(row.status, row.error).toBe('ok');
    expect(row.converged).toBe('false');
    for (const c of ['lost_bytes', 'corrupt_bytes', 'diverged_bytes']) expect(Number(row[c]), c).toBe(0);
    expect(Number(row.final_delta_bytes)).toBeGreaterThan(4 * MiB);
  });
});

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackingProblem } from '../../src/transfer/dirty/tracking.js';
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
    // `--tracking auto`: QEMU dirty bitmaps, or dm-era where the kernel has it.
    expect(['qemu', 'dm-era']).toContain(r.tracking);
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

/**
 * precopy on the kernel's dm-era (kernel lab only): the same guarantees as on QEMU dirty
 * bitmaps — exact rounds over the link, the final delta after the kill, nothing lost.
 */
describe('precopy with dm-era tracking', async () => {
  const why = await trackingProblem('dm-era');
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-precopy-era-')), 'results');
  const state = freshStateDir();
  const size = 32 * MiB;

  afterAll(async () => {
    if (!why) expect(await migbenchLeftovers()).toEqual([]);
  });

  it.skipIf(why !== undefined)(`copies the dirty blocks dm-era lists and loses nothing (dm-era)${why ? ` (skipped: ${why})` : ''}`, async () => {
    const r = await migbench(
      ['run', '--strategy', 'precopy', '--tracking', 'dm-era', '--size', '32MiB', '--link', '200Mbit/s', '--write-rate', '1MB/s', '--converge-bytes', '8MiB', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--out', out],
      state,
      900_000,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const row = readCsv(join(out, 'runs.csv'))[0]!;
    expect(row.status, row.error).toBe('ok');
    expect(row.tracking).toBe('dm-era');
    for (const c of ['lost_bytes', 'corrupt_bytes', 'diverged_bytes', 'split_brain_ms']) expect(Number(row[c]), c).toBe(0);
    expect(['true', 'false']).toContain(row.converged);
    expect(Number(row.rounds)).toBeGreaterThanOrEqual(1);
    // The writes made while the rounds ran were listed and copied after the kill.
    expect(Number(row.final_delta_bytes)).toBeGreaterThan(0);
    expect(Number(row.final_delta_bytes)).toBeLessThan(size);
    expect(Number(row.bytes_on_wire)).toBeGreaterThanOrEqual(size + Number(row.final_delta_bytes));
    const passes = readCsv(join(out, 'timeline.csv')).filter((t) => t.precopy_round !== '');
    expect(passes[0]!.precopy_round).toBe('0');
    expect(passes.at(-1)!.precopy_round).toBe('final');
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { scenario: { tracking: string } };
    expect(meta.scenario.tracking).toBe('dm-era');
  }, 900_000);
});

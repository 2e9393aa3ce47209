import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../../support/cli.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

const MiB = 2 ** 20;
const BLOCK = 64 * 1024;
const LINK_BPS = 50e6;

/**
 * Write patterns on real devices, through the CLI: writes outpace the link (8 MB/s over
 * 50 Mbit/s), so uniform writes over the 256 blocks of a 16 MiB volume keep most of it dirty
 * and pre-copy cannot converge, while a 5 % hot set (13 blocks, 0.8 MiB) leaves a dirty set
 * under --converge-bytes after the full copy. 64 KiB blocks: the writer delivers the rate
 * on a busy machine (4 KiB O_DSYNC writes through the tracker fall short).
 */
describe('write patterns: pre-copy converges with a hot set where uniform writes do not', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-patterns-')), 'results');
  const state = freshStateDir();
  let rows = new Map<string, Record<string, string>>();
  let timeline: Record<string, string>[] = [];

  beforeAll(async () => {
    const r = await migbench(
      ['run', '--strategy', 'precopy', '--size', '16MiB', '--block-size', '64KiB', '--link', '50Mbit/s', '--write-rate', '8MB/s', '--write-pattern', 'uniform,hotset:0.05/0.95', '--read-pattern', 'zipf:1', '--max-rounds', '3', '--reps', '1', '--warmup', '1s', '--settle', '500ms', '--health', '250ms', '--out', out],
      state,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    rows = new Map(readCsv(join(out, 'runs.csv')).map((row) => [row.write_pattern!, row]));
    timeline = readCsv(join(out, 'timeline.csv'));
  }, 150_000);

  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('records the patterns in every row and in meta.json', () => {
    expect([...rows.keys()].sort()).toEqual(['hotset:0.05/0.95', 'uniform']);
    for (const r of rows.values()) {
      expect(r.status, r.error).toBe('ok');
      expect(r.read_pattern).toBe('zipf:1');
      for (const c of ['lost_bytes', 'corrupt_bytes', 'diverged_bytes', 'stale_reads', 'corrupt_reads']) expect(Number(r[c]), c).toBe(0);
    }
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { scenario: { writePattern: string; readPattern: string } };
    expect(meta.scenario.readPattern).toBe('zipf:1');
    expect(['uniform', 'hotset:0.05/0.95']).toContain(meta.scenario.writePattern);
  });

  it('uniform does not converge; the hot set does, and its working set says why', () => {
    const uniform = rows.get('uniform')!;
    const hot = rows.get('hotset:0.05/0.95')!;
    // The premise: writes outpaced the link (else uniform would converge too and prove nothing).
    expect(Number(uniform.write_rate_achieved_bps_migration), 'writer fell short of the link').toBeGreaterThan(LINK_BPS);
    expect(uniform.converged).toBe('false');
    expect(hot.converged).toBe('true');
    expect(Number(hot.final_delta_bytes)).toBeLessThanOrEqual(4 * MiB);
    expect(Number(uniform.final_delta_bytes)).toBeGreaterThan(4 * MiB);
    // Uniform writes touch most of the 256 blocks; 90 % of the hot set's writes land on ~13.
    expect(Number(uniform.distinct_blocks_written_migration)).toBeGreaterThan(128);
    expect(Number(hot.hot_blocks_90pct_migration)).toBeLessThanOrEqual(20);
    expect(Number(uniform.hot_blocks_90pct_migration)).toBeGreaterThan(100);
  });

  it('timeline.csv holds the working set: per window at most the acks, cumulative from the start, never shrinking', () => {
    for (const [pattern, run] of rows) {
      const windows = timeline.filter((t) => t.sweep_point === `write-pattern=${pattern}`);
      expect(windows.length).toBeGreaterThan(0);
      for (const w of windows) expect(Number(w.distinct_blocks_written)).toBeLessThanOrEqual(Number(w.write_acks));
      const cumulative = windows.filter((w) => Number(w.t_ms) >= 0).map((w) => Number(w.working_set_blocks));
      expect(cumulative.every((v, i) => i === 0 || v >= cumulative[i - 1]!)).toBe(true);
      expect(windows.filter((w) => Number(w.t_ms) < 0).every((w) => w.working_set_blocks === '')).toBe(true);
      // Up to the end of the repetition it holds at least the migration's distinct blocks.
      expect(cumulative.at(-1)!).toBeGreaterThanOrEqual(Number(run.distinct_blocks_written_migration));
      expect(cumulative.at(-1)!).toBeLessThanOrEqual(16 * MiB / BLOCK);
    }
  });
});

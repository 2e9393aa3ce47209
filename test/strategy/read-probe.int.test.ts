import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

describe('--probe fio on the qemu clone', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-probe-')), 'results');
  const state = freshStateDir();
  let row: Record<string, string> = {};
  let timeline: Record<string, string>[] = [];

  beforeAll(async () => {
    const r = await migbench(
      ['run', '--strategy', 'async-clone', '--backend', 'qemu', '--probe', 'fio', '--size', '32MiB', '--link', '200Mbit/s', '--reps', '1', '--warmup', '1s', '--settle', '2s', '--out', out],
      state,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    row = readCsv(join(out, 'runs.csv'))[0]!;
    timeline = readCsv(join(out, 'timeline.csv'));
  });

  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('times reads in every phase from fio and still loses nothing', () => {
    expect(row.status, row.error).toBe('ok');
    expect(row.read_probe).toBe('fio');
    expect(Number(row.lost_bytes)).toBe(0);
    for (const phase of ['baseline', 'hydrating', 'hydrated']) {
      const p50 = Number(row[`read_p50_us_${phase}`]);
      const p99 = Number(row[`read_p99_us_${phase}`]);
      expect(p50, phase).toBeGreaterThan(0);
      expect(p99, phase).toBeGreaterThanOrEqual(p50);
    }
    expect(Number(row.read_max_us_hydrating)).toBeGreaterThanOrEqual(Number(row.read_p999_us_hydrating));
  });

  it('puts fio reads into the timeline windows with their own percentiles', () => {
    const windows = timeline.filter((w) => Number(w.reads) > 0);
    expect(windows.length).toBeGreaterThan(4);
    expect(windows.some((w) => Number(w.t_ms) < 0)).toBe(true);
    expect(windows.some((w) => Number(w.t_ms) > 0)).toBe(true);
    for (const w of windows) expect(Number(w.read_p99_us)).toBeGreaterThanOrEqual(Number(w.read_p50_us));
  });
});

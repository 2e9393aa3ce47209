import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { leftoversOf } from '../support/leftovers.js';

const STRATEGIES = ['precopy', 'mirror', 'backup-restore'];

/**
 * Drains of the strategies that start exports of their own (the tracked source, the
 * mirror target, the backup): two volumes at once, each on its own ports.
 */
describe('--volumes 2 with precopy, mirror and backup-restore', () => {
  const state = freshStateDir();
  const base = mkdtempSync(join(tmpdir(), 'migbench-drain-tracked-'));
  let rows: Record<string, string>[] = [];
  let run: { exitCode: number | undefined; stderr: string } = { exitCode: undefined, stderr: '' };

  beforeAll(async () => {
    run = await migbench(
      ['run', '--volumes', '2', '--strategy', STRATEGIES.join(','), '--size', '16MiB', '--write-rate', '2MB/s', '--backup-age', '1s', '--reps', '1', '--warmup', '1s', '--settle', '500ms', '--out', base],
      state,
    );
    rows = readCsv(join(base, 'runs.csv'));
  }, 300_000);

  afterAll(async () => {
    const runIds = [...new Set(rows.map((r) => r.run_id!).filter(Boolean))];
    expect(await leftoversOf(state, runIds)).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
    rmSync(base, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  });

  it('migrates every volume: one ok row each, nothing corrupt', () => {
    expect(run.exitCode, run.stderr).toBe(0);
    for (const name of STRATEGIES) {
      const mine = rows.filter((r) => r.strategy === name);
      expect(mine.map((r) => r.volume).sort(), name).toEqual(['1', '2']);
      for (const r of mine) {
        expect(r.status, `${name} v${r.volume}: ${r.error}`).toBe('ok');
        expect(Number(r.corrupt_bytes), `${name} v${r.volume}`).toBe(0);
        expect(Number(r.acked_writes), `${name} v${r.volume}`).toBeGreaterThan(0);
      }
    }
  });

  it('precopy and mirror lose no acknowledged byte on either volume', () => {
    for (const r of rows.filter((x) => x.strategy === 'precopy' || x.strategy === 'mirror')) {
      expect(Number(r.lost_bytes), `${r.strategy} v${r.volume}`).toBe(0);
      expect(Number(r.diverged_bytes), `${r.strategy} v${r.volume}`).toBe(0);
    }
  });

  it('runs the volumes at once: each drain is shorter than its migrations one after the other', () => {
    for (const name of STRATEGIES) {
      const mine = rows.filter((r) => r.strategy === name);
      const drain = Number(mine[0]!.drain_ms);
      const serial = mine.reduce((sum, r) => sum + Number(r.migration_ms), 0);
      expect(drain, name).toBeGreaterThan(0);
      expect(drain, name).toBeLessThan(serial);
    }
  });
});

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { leftoversOf } from '../support/leftovers.js';

const STAGGER_MS = 200;

describe('--volumes: drains over one link', () => {
  const state = freshStateDir();
  const base = mkdtempSync(join(tmpdir(), 'migbench-drain-'));
  let stamped: Record<string, string>[] = [];
  let http: Record<string, string>[] = [];
  const errs: string[] = [];
  const codes: (number | undefined)[] = [];

  beforeAll(async () => {
    const a = await migbench(
      ['run', '--volumes', '3', '--stagger', `${STAGGER_MS}ms`, '--strategy', 'kill-copy-boot,async-clone', '--backend', 'qemu', '--size', '16MiB', '--write-rate', '2MB/s', '--reps', '1', '--warmup', '1s', '--settle', '500ms', '--out', join(base, 'stamped')],
      state,
    );
    const b = await migbench(
      ['run', '--workload', 'http', '--volumes', '2', '--strategy', 'kill-copy-boot', '--size', '16MiB', '--http-connections', '2', '--reps', '1', '--warmup', '1s', '--settle', '500ms', '--out', join(base, 'http')],
      state,
    );
    codes.push(a.exitCode, b.exitCode);
    errs.push(a.stderr, b.stderr);
    stamped = readCsv(join(base, 'stamped', 'runs.csv'));
    http = readCsv(join(base, 'http', 'runs.csv'));
  }, 400_000);

  afterAll(async () => {
    const runIds = [...stamped, ...http].map((r) => r.run_id!).filter(Boolean);
    expect(await leftoversOf(state, [...new Set(runIds)])).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('writes one row per volume, every volume migrated without loss', () => {
    expect(codes, errs.join('\n')).toEqual([0, 0]);
    for (const name of ['kill-copy-boot', 'async-clone']) {
      const rows = stamped.filter((r) => r.strategy === name);
      expect(rows.map((r) => r.volume).sort(), name).toEqual(['1', '2', '3']);
      for (const r of rows) {
        expect(r.status, r.error).toBe('ok');
        expect(Number(r.lost_bytes), `${name} v${r.volume}`).toBe(0);
        expect(Number(r.corrupt_bytes)).toBe(0);
        expect(Number(r.acked_writes)).toBeGreaterThan(0);
      }
    }
  });

  it('every row of a drain carries its drain time: first start to last release, staggered starts included', () => {
    for (const name of ['kill-copy-boot', 'async-clone']) {
      const rows = stamped.filter((r) => r.strategy === name);
      const drain = Number(rows[0]!.drain_ms);
      expect(drain, name).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.drain_ms).toBe(rows[0]!.drain_ms);
        expect(drain).toBeGreaterThanOrEqual(Number(r.migration_ms));
      }
      // Volume 3 starts two staggers after volume 1 (less a margin for the start bookkeeping of volume 1).
      const v3 = rows.find((r) => r.volume === '3')!;
      expect(drain, name).toBeGreaterThanOrEqual(Number(v3.migration_ms) + STAGGER_MS);
    }
  });

  it('labels the timeline windows by volume', () => {
    const timeline = readCsv(join(base, 'stamped', 'timeline.csv'));
    expect(new Set(timeline.map((w) => w.volume))).toEqual(new Set(['1', '2', '3']));
  });

  it('drains HTTP services too, each volume its own service, clients and data', () => {
    expect(http.map((r) => r.volume).sort()).toEqual(['1', '2']);
    for (const r of http) {
      expect(r.status, r.error).toBe('ok');
      expect(r.workload).toBe('http');
      expect(Number(r.lost_requests)).toBe(0);
      expect(Number(r.acked_writes)).toBeGreaterThan(0);
      expect(Number(r.drain_ms)).toBeGreaterThanOrEqual(Number(r.migration_ms));
    }
  });
});

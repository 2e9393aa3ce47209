import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

const SIZE = 64 * 2 ** 20;
const LINK = 400e6;
const BURST = 256 * 1024;

describe('async-clone (qemu backend) against kill-copy-boot', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-clone-run-')), 'results');
  const state = freshStateDir();
  let rows = new Map<string, Record<string, string>>();
  let stderr = '';

  beforeAll(async () => {
    const r = await migbench(
      ['run', '--strategy', 'async-clone,kill-copy-boot', '--backend', 'qemu', '--size', '64MiB', '--link', '400Mbit/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--out', out],
      state,
    );
    stderr = r.stderr;
    expect(r.exitCode, stderr).toBe(0);
    rows = new Map(readCsv(join(out, 'runs.csv')).map((row) => [row.strategy!, row]));
  });

  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('loses nothing and never reads stale data while hydrating', () => {
    const r = rows.get('async-clone')!;
    expect(r.status, r.error).toBe('ok');
    expect(r.backend).toBe('qemu');
    expect(Number(r.region_size_bytes)).toBe(65536);
    for (const c of ['lost_bytes', 'corrupt_bytes', 'diverged_bytes', 'stale_reads', 'split_brain_ms']) expect(Number(r[c]), c).toBe(0);
    expect(Number(r.acked_writes)).toBeGreaterThan(0);
  });

  it('hydrates no faster than the link allows, and moves the whole volume over it', () => {
    const r = rows.get('async-clone')!;
    const fastest = (SIZE * 8) / (((SIZE - BURST) * 8) / LINK);
    expect(Number(r.hydration_bps)).toBeGreaterThan(0);
    expect(Number(r.hydration_bps)).toBeLessThanOrEqual(fastest);
    expect(Number(r.bytes_on_wire)).toBeGreaterThanOrEqual(SIZE);
    expect(Number(r.migration_ms)).toBeGreaterThanOrEqual(((SIZE - BURST) * 8 * 1000) / LINK);
  });

  it('is up long before a copy of the volume could finish', () => {
    const clone = rows.get('async-clone')!;
    const copy = rows.get('kill-copy-boot')!;
    expect(Number(copy.interruption_ms)).toBeGreaterThanOrEqual(((SIZE - BURST) * 8 * 1000) / LINK);
    expect(Number(clone.interruption_ms)).toBeLessThan(Number(copy.interruption_ms));
    expect(Number(clone.read_p50_us_hydrating)).toBeGreaterThan(0);
  });

  it('records the backend in meta.json', () => {
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    expect(meta.clone_backend).toBe('qemu');
  });
});

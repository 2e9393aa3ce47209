import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

const LINK = 400e6;
const BURST = 256 * 1024;
/** A repetition takes seconds on the host and minutes in the kernel lab's TCG VM. */
const RUN_TIMEOUT_MS = 900_000;

/**
 * The CLI end to end on each backend. dm-clone runs only inside scripts/kernel-lab (the
 * build machines' kernel has no device-mapper), under TCG, where nothing is fast: there it
 * runs async-clone alone on a smaller volume, and the comparison with a copy's downtime is
 * left to the qemu run.
 */
const CASES = [
  { backend: 'qemu', size: 64 * 2 ** 20, strategies: 'async-clone,kill-copy-boot' },
  { backend: 'dm-clone', size: 32 * 2 ** 20, strategies: 'async-clone' },
] as const;

describe.each(CASES)('async-clone ($backend backend)', async ({ backend, size, strategies }) => {
  const why = await cloneBackend(backend).unavailable();
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-clone-run-')), 'results');
  const state = freshStateDir();
  let rows = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    if (why) return;
    const r = await migbench(
      ['run', '--strategy', strategies, '--backend', backend, '--size', `${size / 2 ** 20}MiB`, '--link', '400Mbit/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--out', out],
      state,
      RUN_TIMEOUT_MS,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`clone backend ${backend}`);
    rows = new Map(readCsv(join(out, 'runs.csv')).map((row) => [row.strategy!, row]));
  }, RUN_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    if (why) return;
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it.skipIf(why !== undefined)(`loses nothing and never reads stale data while hydrating${why ? ` (skipped: ${why})` : ''}`, () => {
    const r = rows.get('async-clone')!;
    expect(r.status, r.error).toBe('ok');
    expect(r.backend).toBe(backend);
    expect(Number(r.region_size_bytes)).toBe(65536);
    for (const c of ['lost_bytes', 'corrupt_bytes', 'diverged_bytes', 'stale_reads', 'split_brain_ms']) expect(Number(r[c]), c).toBe(0);
    expect(Number(r.acked_writes)).toBeGreaterThan(0);
    expect(Number(r.read_p50_us_hydrating)).toBeGreaterThan(0);
  });

  it.skipIf(why !== undefined)('hydrates no faster than the link allows, and moves the whole volume over it', () => {
    const r = rows.get('async-clone')!;
    const fastest = (size * 8) / (((size - BURST) * 8) / LINK);
    expect(Number(r.hydration_bps)).toBeGreaterThan(0);
    expect(Number(r.hydration_bps)).toBeLessThanOrEqual(fastest);
    expect(Number(r.bytes_on_wire)).toBeGreaterThanOrEqual(size);
    expect(Number(r.migration_ms)).toBeGreaterThanOrEqual(((size - BURST) * 8 * 1000) / LINK);
  });

  it.skipIf(why !== undefined || !strategies.includes('kill-copy-boot'))('is up long before a copy of the volume could finish', () => {
    const clone = rows.get('async-clone')!;
    const copy = rows.get('kill-copy-boot')!;
    expect(Number(copy.interruption_ms)).toBeGreaterThanOrEqual(((size - BURST) * 8 * 1000) / LINK);
    expect(Number(clone.interruption_ms)).toBeLessThan(Number(copy.interruption_ms));
  });

  it.skipIf(why !== undefined)('records the backend in meta.json', () => {
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    expect(meta.clone_backend).toBe(backend);
  });
});

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

/**
 * A source lost for good during an ordering's copy (issue 12): a result, not a failed
 * repetition — B boots on what the copy left, and the row says what it cannot have.
 */
const RUN_TIMEOUT_MS = 90_000;
const why = await cloneBackend('qemu').unavailable();
const state = freshStateDir();

describe.skipIf(why !== undefined)(`source-crash during a copy${why ? ` (skipped: ${why})` : ''}`, () => {
  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('kill-copy-boot: not recovered, the uncopied part unavailable, its acknowledged writes lost', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'migbench-source-loss-')), 'results');
    const args = ['run', '--backend', 'qemu', '--size', '64MiB', '--link', '100Mbit/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--timeout', '60s'];
    const r = await migbench([...args, '--strategy', 'kill-copy-boot', '--probe', 'stamped', '--fault', 'source-crash@kill+1s', '--out', out], state, RUN_TIMEOUT_MS);
    expect(r.exitCode, r.stderr).toBe(0);
    const [row] = readCsv(join(out, 'runs.csv'));
    expect(row!.status, row!.error).toBe('ok');
    expect(row!.recovered).toBe('false');
    expect(Number(row!.unavailable_bytes)).toBeGreaterThan(0);
    expect(Number(row!.unavailable_bytes)).toBeLessThan(64 * 2 ** 20);
    expect(Number(row!.lost_bytes)).toBeGreaterThan(0);
    expect(row!.warnings).toMatch(/not recovered/);
  }, RUN_TIMEOUT_MS);
});

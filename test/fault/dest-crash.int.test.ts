import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

/**
 * `--fault dest-crash` on the qemu clone (issue 12): B's workload and whole clone stack are
 * SIGKILLed mid-hydration, the clone is reassembled from the qcow2 overlay and data file,
 * the workload boots again and hydration resumes; nothing B acknowledged may be lost.
 */
const RUN_TIMEOUT_MS = 120_000;
const why = await cloneBackend('qemu').unavailable();
const state = freshStateDir();

describe.skipIf(why !== undefined)(`dest-crash on the qemu backend${why ? ` (skipped: ${why})` : ''}`, () => {
  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('async-clone reboots B on the reassembled clone mid-hydration and loses nothing B acknowledged', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'migbench-dest-crash-')), 'results');
    const args = ['run', '--backend', 'qemu', '--size', '64MiB', '--link', '100Mbit/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--timeout', '90s'];
    const r = await migbench([...args, '--strategy', 'async-clone', '--probe', 'stamped', '--fault', 'dest-crash@hydration:50%', '--out', out], state, RUN_TIMEOUT_MS);
    expect(r.exitCode, r.stderr).toBe(0);
    const [row] = readCsv(join(out, 'runs.csv'));
    expect(row!.status, row!.error).toBe('ok');
    expect(row!.recovered).toBe('true');
    for (const c of ['lost_bytes', 'corrupt_bytes', 'unavailable_bytes']) expect(Number(row![c]), c).toBe(0);
    // The crash → reboot window: the fault ended (B acknowledged again) and hydration resumed.
    expect(Number(row!.fault_ms)).toBeGreaterThan(0);
    expect(row!.resume_ms).not.toBe('');
    expect(Number(row!.stall_ms)).toBeGreaterThan(0);
    expect(row!.warnings).not.toMatch(/fault .* failed|stuck/);
  }, RUN_TIMEOUT_MS);
});

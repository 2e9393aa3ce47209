import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

/**
 * Faults during an async clone on the dm-clone backend (issue 12). Runs only inside
 * scripts/kernel-lab (`npm run test:kernel-lab`, `-t 'dm-clone|dm-era'`): the build machines'
 * kernel has no device-mapper, and the skip condition is the one the other dm-clone tests
 * use (the backend's own `unavailable()`). A 16 MiB volume over 100 Mbit/s hydrates in ~1.5 s
 * (far longer under the lab's TCG).
 */
const RUN_TIMEOUT_MS = 900_000;
const why = await cloneBackend('dm-clone').unavailable();
// Only when the file runs: a skipped file's hooks never run, so nothing would remove it.
const state = why === undefined ? freshStateDir() : '';
const COMMON = ['--backend', 'dm-clone', '--size', '16MiB', '--link', '100Mbit/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--timeout', '10min', '--strategy', 'async-clone'];

/** How late the hydration_done mark may trail the data: it comes from polling `dmsetup status`, slow under TCG. */
const RESUME_WINDOW_MS = 10_000;

const FIGURES = ['fault', 'status', 'recovered', 'fault_at_ms', 'fault_ms', 'stall_ms', 'read_errors', 'write_errors', 'unavailable_bytes', 'lost_bytes', 'resume_ms', 'hydration_ms', 'hydration_done_at_ms', 'warnings'];

async function run(args: string[]): Promise<Map<string, Record<string, string>>> {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-dm-clone-fault-')), 'results');
  const r = await migbench(['run', ...COMMON, ...args, '--out', out], state, RUN_TIMEOUT_MS);
  expect(r.exitCode, r.stderr).toBe(0);
  const rows = readCsv(join(out, 'runs.csv'));
  // The lab's figures go to the log (docs/faults.md quotes them): the VM's /tmp vanishes.
  for (const row of rows) console.log(FIGURES.map((c) => `${c}=${row[c] ?? ''}`).join(' '));
  return new Map(rows.map((row) => [row.fault!, row]));
}

describe.skipIf(why !== undefined)(`faults on the dm-clone backend${why ? ` (skipped: ${why})` : ''}`, () => {
  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('dm-clone rides out a link outage and a failing source (nbdkit error filter on A export)', async () => {
    const faults = ['link-down@hydration+1s/2s', 'source-eio@hydration:20%/2s'];
    const rows = await run(['--fault', faults.join(',')]);
    for (const f of faults) {
      const r = rows.get(f)!;
      expect(r.status, `${f}: ${r.error}`).toBe('ok');
      expect(r.backend).toBe('dm-clone');
      expect(r.recovered, f).toBe('true');
      for (const c of ['lost_bytes', 'corrupt_bytes', 'unavailable_bytes']) expect(Number(r[c]), `${f} ${c}`).toBe(0);
      expect(Number(r.fault_ms), f).toBeGreaterThan(0);
      expect(r.warnings, f).not.toMatch(/never came|stuck|failed/);
    }
  }, RUN_TIMEOUT_MS);

  // One sweep (one lab setup) for both crashes: TCG makes every run's provisioning slow.
  it('dm-clone source-crash is a result (not recovered, data unavailable); dest-crash resumes from the metadata device and loses nothing', async () => {
    const rows = await run(['--probe', 'stamped', '--fault', 'source-crash@hydration:50%,dest-crash@hydration:50%']);
    const lost = rows.get('source-crash@hydration:50%')!;
    expect(lost.status, lost.error).toBe('ok');
    expect(lost.recovered).toBe('false');
    expect(Number(lost.unavailable_bytes)).toBeGreaterThan(0);
    expect(Number(lost.unavailable_bytes)).toBeLessThan(16 * 2 ** 20);
    expect(lost.warnings).toMatch(/not recovered/);

    // B's workload and clone killed, the metadata cut off first; the clone reassembled over
    // the metadata device that persisted, B booted again, hydration resumed.
    const crash = rows.get('dest-crash@hydration:50%')!;
    expect(crash.status, crash.error).toBe('ok');
    expect(crash.backend).toBe('dm-clone');
    expect(crash.recovered).toBe('true');
    for (const c of ['lost_bytes', 'corrupt_bytes', 'unavailable_bytes']) expect(Number(crash[c]), c).toBe(0);
    expect(Number(crash.fault_ms)).toBeGreaterThan(0);
    // Hydration finished after the crash, so it resumed over the reassembled clone. The fault
    // ends when B has booted again, and dm-clone hydrates from the moment the table loads: under
    // a slow TCG the rest can arrive while B still boots, and then resume_ms is rightly blank.
    const faultEnd = Number(crash.fault_at_ms) + Number(crash.fault_ms);
    expect(Number(crash.hydration_done_at_ms)).toBeGreaterThan(Number(crash.fault_at_ms));
    if (crash.resume_ms === '') expect(Number(crash.hydration_done_at_ms)).toBeLessThanOrEqual(faultEnd + RESUME_WINDOW_MS);
    else expect(Number(crash.resume_ms)).toBeGreaterThanOrEqual(0);
    expect(crash.warnings).not.toMatch(/fault .* failed|stuck/);
  }, RUN_TIMEOUT_MS);
});

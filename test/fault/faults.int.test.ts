import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneBackend } from '../../src/transfer/clone/registry.js';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

/**
 * Faults during the migration (issue 12) on the qemu backend, end to end through the CLI:
 * 64 MiB volumes over a 100 Mbit/s link (hydration takes ~5 s, long enough to fault in).
 */
const RUN_TIMEOUT_MS = 240_000;
const why = await cloneBackend('qemu').unavailable();
const state = freshStateDir();
const COMMON = ['--backend', 'qemu', '--size', '64MiB', '--link', '100Mbit/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--timeout', '2min'];

async function run(args: string[]): Promise<Record<string, string>[]> {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-fault-')), 'results');
  const r = await migbench(['run', ...COMMON, ...args, '--out', out], state, RUN_TIMEOUT_MS);
  expect(r.exitCode, r.stderr).toBe(0);
  return [...readCsv(join(out, 'runs.csv')).map((row) => ({ ...row, _out: out }))];
}

const timeline = (out: string, strategy: string, sweep = ''): Record<string, string>[] =>
  readCsv(join(out, 'timeline.csv')).filter((w) => w.strategy === strategy && w.sweep_point === sweep);

describe.skipIf(why !== undefined)(`faults on the qemu backend${why ? ` (skipped: ${why})` : ''}`, () => {
  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('async-clone rides out transient faults: link down, link flaps, a failing and a slow source', async () => {
    const faults = ['link-down@hydration+2s/3s', 'link-flap:3@hydration/3s', 'source-eio@hydration:20%/2s', 'slow-source:20Mbit/s@hydration/2s'];
    const rows = new Map((await run(['--strategy', 'async-clone', '--fault', faults.join(',')])).map((r) => [r.fault!, r]));
    for (const f of faults) {
      const r = rows.get(f)!;
      expect(r.status, `${f}: ${r.error}`).toBe('ok');
      expect(r.recovered, f).toBe('true');
      for (const c of ['lost_bytes', 'corrupt_bytes', 'unavailable_bytes']) expect(Number(r[c]), `${f} ${c}`).toBe(0);
      expect(Number(r.fault_ms), f).toBeGreaterThan(0);
      expect(Number(r.exposure_ms), f).toBeGreaterThan(0);
      expect(r.warnings, f).not.toMatch(/never came|stuck/);
      // The fault's window is in timeline.csv.
      expect(timeline(r._out!, 'async-clone', r.sweep_point!).some((w) => w.fault_active === '1'), f).toBe(true);
    }
    const down = rows.get('link-down@hydration+2s/3s')!;
    expect(Number(down.stall_ms)).toBeGreaterThanOrEqual(2500);
    expect(Number(down.fault_ms)).toBeGreaterThanOrEqual(3000);
    expect(down.resume_ms).not.toBe('');
    // The source failed reads while the error file existed: the reader stopped and resumed.
    expect(Number(rows.get('source-eio@hydration:20%/2s')!.fault_ms)).toBeGreaterThanOrEqual(2000);
  }, 4 * RUN_TIMEOUT_MS);

  it('a source that dies for good mid-hydration is a result: not recovered, data unavailable, errors counted', async () => {
    const [r] = await run(['--strategy', 'async-clone', '--probe', 'stamped', '--fault', 'source-crash@hydration:50%']);
    expect(r!.status, r!.error).toBe('ok');
    expect(r!.recovered).toBe('false');
    expect(Number(r!.unavailable_bytes)).toBeGreaterThan(0);
    expect(Number(r!.unavailable_bytes)).toBeLessThan(64 * 2 ** 20);
    expect(Number(r!.read_errors)).toBeGreaterThan(0);
    expect(r!.warnings).toMatch(/not recovered/);
  }, RUN_TIMEOUT_MS);

  it('an ordering and precopy wait out a link outage at the kill and at a pre-copy round', async () => {
    const rows = await run(['--strategy', 'kill-copy-boot,precopy', '--fault', 'link-down@kill+1s/2s']);
    const [round] = await run(['--strategy', 'precopy', '--fault', 'link-down@round:1/1s']);
    for (const r of [...rows, round!]) {
      expect(r.status, `${r.strategy} ${r.fault}: ${r.error}`).toBe('ok');
      expect(r.recovered).toBe('true');
      expect(Number(r.lost_bytes)).toBe(0);
      expect(Number(r.fault_ms)).toBeGreaterThan(0);
    }
    expect(rows.find((r) => r.strategy === 'kill-copy-boot')!.exposure_ms).toBe('0');
  }, 2 * RUN_TIMEOUT_MS);

  it('refuses a phase the strategy never reaches with exit 2, provisioning nothing', async () => {
    const r = await migbench(['run', ...COMMON, '--strategy', 'kill-copy-boot', '--fault', 'link-down@hydration/1s'], state, 60_000);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/phase hydration never comes in kill-copy-boot/);
  });
});

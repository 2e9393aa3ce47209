import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { migbenchLeftovers } from '../support/leftovers.js';

const SIZE = 32 * 2 ** 20;
const LINK = 1e9;
/** tbf lets one bucket (256 KiB) through above the rate; nothing else can beat the link. */
const BURST = 256 * 1024;

describe('the six orderings on real loop devices', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-orderings-')), 'results');
  const state = freshStateDir();
  let rows: Record<string, string>[] = [];
  let byStrategy: Map<string, Record<string, string>> = new Map();
  let stderr = '';
  let exitCode: number | undefined;

  beforeAll(async () => {
    const r = await migbench(
      ['run', '--strategy', 'all-orderings', '--size', '32MiB', '--link', '1Gbit/s', '--write-rate', '4MB/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--out', out],
      state,
    );
    stderr = r.stderr;
    exitCode = r.exitCode;
    rows = readCsv(join(out, 'runs.csv'));
    byStrategy = new Map(rows.map((row) => [row.strategy!, row]));
  });

  afterAll(async () => {
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('completes every ordering', () => {
    expect(exitCode, stderr).toBe(0);
    expect(rows.map((r) => r.strategy).sort()).toEqual(
      ['boot-copy-kill', 'boot-kill-copy', 'copy-boot-kill', 'copy-kill-boot', 'kill-boot-copy', 'kill-copy-boot'].sort(),
    );
    for (const r of rows) expect(r.status, r.error).toBe('ok');
  });

  it('kill-copy-boot loses nothing and is down at least as long as the link needs for the volume', () => {
    const r = byStrategy.get('kill-copy-boot')!;
    expect(Number(r.lost_bytes)).toBe(0);
    expect(Number(r.corrupt_bytes)).toBe(0);
    expect(Number(r.diverged_bytes)).toBe(0);
    expect(Number(r.split_brain_ms)).toBe(0);
    expect(Number(r.stale_reads)).toBe(0);
    expect(Number(r.interruption_ms)).toBeGreaterThanOrEqual((((SIZE - BURST) * 8) / LINK) * 1000);
    // Every byte of the volume crossed the link (plus NBD and TCP overhead).
    expect(Number(r.bytes_on_wire)).toBeGreaterThanOrEqual(SIZE);
    expect(Number(r.acked_writes)).toBeGreaterThan(0);
  });

  it('copy-boot-kill loses acknowledged bytes and reports a split-brain window', () => {
    const r = byStrategy.get('copy-boot-kill')!;
    expect(Number(r.lost_bytes)).toBeGreaterThan(0);
    expect(Number(r.split_brain_ms)).toBeGreaterThan(0);
    expect(Number(r.interruption_ms)).toBe(0);
    expect(Number(r.diverged_bytes)).toBeGreaterThan(0);
  });

  it('every other ordering shows loss, split brain or both', () => {
    for (const name of ['kill-boot-copy', 'copy-kill-boot', 'boot-kill-copy', 'boot-copy-kill']) {
      const r = byStrategy.get(name)!;
      expect(Number(r.lost_bytes) > 0 || Number(r.split_brain_ms) > 0, name).toBe(true);
    }
    // The copy lands on a destination B is already writing: B's own writes are lost.
    expect(Number(byStrategy.get('kill-boot-copy')!.lost_bytes)).toBeGreaterThan(0);
    // Writes A acknowledged during the copy never reach B.
    expect(Number(byStrategy.get('copy-kill-boot')!.lost_bytes)).toBeGreaterThan(0);
    for (const name of ['boot-kill-copy', 'boot-copy-kill']) expect(Number(byStrategy.get(name)!.split_brain_ms), name).toBeGreaterThan(0);
  });

  it('writes a timeline and the provenance of the run', () => {
    const timeline = readCsv(join(out, 'timeline.csv'));
    expect(new Set(timeline.map((r) => r.strategy)).size).toBe(6);
    expect(timeline.some((r) => Number(r.wire_bytes) > 0)).toBe(true);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    expect(meta.host.kernel).toMatch(/\d+\.\d+/);
    expect(meta.git_revision).toMatch(/^[0-9a-f]{40}$|^unknown$/);
    expect(meta.tools.nbdkit).toMatch(/nbdkit/);
    expect(meta.link.measured_bps).toBeGreaterThan(0);
    expect(meta.link.measured_bps).toBeLessThanOrEqual(LINK * 1.05);
    expect(meta.scenario.sizeBytes).toBe(SIZE);
    expect(existsSync(join(out, 'runs.csv'))).toBe(true);
  });
});

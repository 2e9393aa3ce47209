import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../../support/cli.js';
import { startRunUntil } from '../../support/long-run.js';
import { migbenchLeftovers } from '../../support/leftovers.js';

const SIZE = 32 * 2 ** 20;
const LINK = 1e9;
/** tbf lets one bucket (256 KiB) through above the rate. */
const BURST = 256 * 1024;

/** Leftovers of the runs whose ledgers live in `state` (other engineers' runs may be live on this host). */
async function leftoversOf(state: string): Promise<string[]> {
  return (await migbenchLeftovers()).filter((l) => l.includes(state) || runPrefixes.some((p) => l.includes(p)));
}
const runPrefixes: string[] = [];
/** The namespace prefix of a run (lab.ts labPrefix). */
const prefixOf = (runId: string): string => `mgb${runId.replace(/[^a-z0-9]/gi, '').slice(-6).toLowerCase()}`;

describe('--workload http on real loop devices, ext4 and HTTP clients', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-http-')), 'results');
  const state = freshStateDir();
  let rows = new Map<string, Record<string, string>>();
  let stderr = '';
  let exitCode: number | undefined;

  beforeAll(async () => {
    const r = await migbench(
      ['run', '--workload', 'http', '--strategy', 'kill-copy-boot,copy-boot-kill,async-clone', '--backend', 'qemu', '--size', '32MiB', '--link', '1Gbit/s', '--reps', '1', '--warmup', '1s', '--settle', '1s', '--out', out],
      state,
    );
    stderr = r.stderr;
    exitCode = r.exitCode;
    const csv = readCsv(join(out, 'runs.csv'));
    rows = new Map(csv.map((row) => [row.strategy!, row]));
    runPrefixes.push(prefixOf(csv[0]!.run_id!));
  }, 300_000);

  afterAll(async () => {
    expect(await leftoversOf(state)).toEqual([]);
    expect(readdirSync(state)).toEqual([]);
  });

  it('runs every strategy it supports', () => {
    expect(exitCode, stderr).toBe(0);
    expect([...rows.keys()].sort()).toEqual(['async-clone', 'copy-boot-kill', 'kill-copy-boot']);
    for (const r of rows.values()) {
      expect(r.status, r.error).toBe('ok');
      expect(r.workload).toBe('http');
      expect(Number(r.acked_writes)).toBeGreaterThan(0);
      expect(Number(r.client_gap_ms)).toBeGreaterThan(0);
      // The stamped oracle's columns do not apply; the loss is counted in requests.
      expect(r.lost_bytes).toBe('');
      expect(Number(r.corrupt_bytes)).toBe(0);
    }
  });

  it('kill-copy-boot and async-clone lose no acknowledged request', () => {
    for (const name of ['kill-copy-boot', 'async-clone']) {
      const r = rows.get(name)!;
      expect(Number(r.lost_requests), name).toBe(0);
      expect(Number(r.split_brain_ms), name).toBe(0);
      // The clients saw the service go away: at least the cutover itself is a gap.
      expect(Number(r.client_gap_ms), name).toBeGreaterThanOrEqual(Number(r.interruption_ms) - 1);
    }
    // The service is down at least for the copy of the whole volume.
    expect(Number(rows.get('kill-copy-boot')!.client_gap_ms)).toBeGreaterThanOrEqual((((SIZE - BURST) * 8) / LINK) * 1000);
    expect(rows.get('async-clone')!.backend).toBe('qemu');
  });

  it('copy-boot-kill loses requests A acknowledged after the copy', () => {
    const r = rows.get('copy-boot-kill')!;
    expect(Number(r.lost_requests)).toBeGreaterThan(0);
    expect(Number(r.lost_requests)).toBeLessThan(Number(r.acked_writes));
  });

  it('counts the responses in timeline.csv', () => {
    const timeline = readCsv(join(out, 'timeline.csv'));
    const acks = timeline.filter((w) => w.strategy === 'kill-copy-boot').reduce((n, w) => n + Number(w.write_acks), 0);
    expect(acks).toBeGreaterThan(0);
    expect(acks).toBeLessThanOrEqual(Number(rows.get('kill-copy-boot')!.acked_writes));
  });
});

/** Starts an HTTP run that stays in its baseline window; resolves once the service is up on A. */
async function startLongHttpRun(state: string) {
  const run = await startRunUntil(
    state,
    ['--workload', 'http', '--strategy', 'kill-copy-boot', '--size', '16MiB', '--reps', '1', '--warmup', '60s', '--out', join(state, 'out')],
    /warmup…/,
  );
  runPrefixes.push(prefixOf(run.runId));
  // Wait until the filesystem is mounted and the service and its clients run.
  for (let i = 0; i < 200 && !(await leftoversOf(state)).some((l) => l.startsWith('mount ')); i++) await new Promise((r) => setTimeout(r, 50));
  return run;
}

describe('--workload http leaves nothing behind', () => {
  it('Ctrl-C unmounts, stops the service and the clients, exits 130', async () => {
    const state = freshStateDir();
    const run = await startLongHttpRun(state);
    const live = await leftoversOf(state);
    expect(live.some((l) => l.startsWith('mount ')), live.join('\n')).toBe(true);
    expect(live.some((l) => /service-main/.test(l)), live.join('\n')).toBe(true);
    process.kill(run.ownerPid, 'SIGINT');
    const r = await run.child;
    expect(r.exitCode, run.stderr()).toBe(130);
    expect(await leftoversOf(state)).toEqual([]);
  });

  it('`migbench cleanup` unmounts and stops what a SIGKILLed run left', async () => {
    const state = freshStateDir();
    const run = await startLongHttpRun(state);
    process.kill(run.ownerPid, 'SIGKILL');
    expect((await leftoversOf(state)).some((l) => l.startsWith('mount '))).toBe(true);
    const c = await migbench(['cleanup'], state);
    expect(c.exitCode, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/released mount/);
    await run.child;
    expect(await leftoversOf(state)).toEqual([]);
    expect(readdirSync(state).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
  });
});

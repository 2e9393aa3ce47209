import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshStateDir, migbench, readCsv } from '../support/cli.js';
import { leftOnHost } from '../support/host-residue.js';
import { useSshTestHosts } from '../support/ssh-test-hosts.js';

/**
 * Faults over SSH on the two local test hosts (issue 13): the same invariants as the lab's
 * fault tests (test/fault/*.int.test.ts) at 32 MiB over a 100 Mbit/s link (a copy of ~3 s,
 * long enough to fault in), and nothing left on either host afterwards.
 */
const QUICK = ['--size', '32MiB', '--link', '100Mbit/s', '--reps', '1', '--warmup', '500ms', '--settle', '500ms', '--health', '250ms', '--timeout', '1min'];

const state = freshStateDir();
const env = useSshTestHosts(state);

async function run(args: string[]): Promise<Record<string, string>> {
  const out = join(mkdtempSync(join(tmpdir(), 'migbench-hosts-fault-')), 'r');
  const r = await migbench(['run', '--hosts', env.inventory, ...QUICK, ...args, '--out', out], state, 90_000);
  expect(r.exitCode, r.stderr + r.stdout).toBe(0);
  const [row] = readCsv(join(out, 'runs.csv'));
  for (const h of [env.hosts.a, env.hosts.b]) expect(await leftOnHost(h, row!.run_id!), h.spec.role).toBe('');
  return row!;
}

describe('migbench run --hosts --fault (two SSH hosts)', () => {
  it('async-clone waits out a link outage on the data link (SSH untouched): recovered, nothing lost, nothing left', async () => {
    const r = await run(['--strategy', 'async-clone', '--fault', 'link-down@hydration+300ms/1s']);
    expect(r.status, r.error).toBe('ok');
    expect(r.recovered).toBe('true');
    for (const c of ['lost_bytes', 'corrupt_bytes', 'unavailable_bytes']) expect(Number(r[c]), c).toBe(0);
    expect(Number(r.fault_ms)).toBeGreaterThanOrEqual(1000);
    // The link really carried nothing while cut (the lab's check: a stall of most of the outage).
    expect(Number(r.stall_ms)).toBeGreaterThanOrEqual(700);
    expect(r.warnings).not.toMatch(/never came|failed/);
  }, 100_000);

  it('kill-copy-boot with its source crashed mid-copy is a result: not recovered, part of B unavailable, nothing left', async () => {
    const r = await run(['--strategy', 'kill-copy-boot', '--fault', 'source-crash@kill+500ms']);
    expect(r.status, r.error).toBe('ok');
    expect(r.recovered).toBe('false');
    // What B's device holds is asked on B: part of the volume arrived, part did not.
    expect(Number(r.unavailable_bytes)).toBeGreaterThan(0);
    expect(Number(r.unavailable_bytes)).toBeLessThan(32 * 2 ** 20);
    expect(Number(r.lost_bytes)).toBeGreaterThan(0);
    expect(r.warnings).toMatch(/not recovered/);
  }, 100_000);
});

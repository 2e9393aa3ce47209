import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanJson } from '../../src/cli/plan.js';
import { freshStateDir, migbench } from '../support/cli.js';

/** The built CLI (no lab needed): a piped --json plan arrives whole, and exit 2 says why. */
const DIR = join(import.meta.dirname, '..', 'support', 'default-run');
const FLEET = ['plan', DIR, '--size', '100GiB', '--link', '10Gbit/s', '--volumes', '40'];

describe('migbench plan (built CLI)', () => {
  it('--json on a pipe: the whole document (well over 64 KiB), exit 0', async () => {
    const r = await migbench([...FLEET, '--concurrency', '4', '--json'], freshStateDir());
    expect(r.exitCode).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(65_536);
    const doc = JSON.parse(r.stdout) as PlanJson;
    expect(doc.strategies.find((s) => s.strategy === 'kill-copy-boot')!.drainMs.median).toBeGreaterThanOrEqual(3436_000);
  });

  it('exit 2 with the reason when the data cannot answer', async () => {
    const r = await migbench([...FLEET, '--write-rate', '100MB/s'], freshStateDir());
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot answer this: precopy: write rate 800 Mbit\/s is above the highest measured/);
  });
});

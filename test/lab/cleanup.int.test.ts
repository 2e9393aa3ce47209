import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { freshStateDir, migbench } from '../support/cli.js';
import { startRunUntil } from '../support/long-run.js';
import { migbenchLeftovers } from '../support/leftovers.js';


/** Starts a long run and resolves once it is in its baseline window (everything provisioned). */
const startLongRun = (state: string) =>
  startRunUntil(state, ['--strategy', 'kill-copy-boot', '--size', '16MiB', '--reps', '1', '--warmup', '60s', '--out', join(state, 'out')], /warmup…/);

describe('nothing leaks', () => {
  it('Ctrl-C releases everything and exits 130', async () => {
    const state = freshStateDir();
    const run = await startLongRun(state);
    expect((await migbenchLeftovers()).length).toBeGreaterThan(0);
    process.kill(run.ownerPid, 'SIGINT');
    const r = await run.child;
    expect(r.exitCode, run.stderr()).toBe(130);
    expect(await migbenchLeftovers()).toEqual([]);
    expect(readdirSync(state).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
  });

  it('`migbench cleanup` removes what a SIGKILLed run left, and nothing else', async () => {
    const state = freshStateDir();
    // Bystanders: a loop device and a namespace migbench did not create.
    const dir = mkdtempSync(join(tmpdir(), 'bystander-'));
    const file = join(dir, 'disk.img');
    writeFileSync(file, Buffer.alloc(1 << 20));
    const bystanderLoop = (await execa('losetup', ['--find', '--show', file])).stdout.trim();
    const bystanderNs = `bystander${process.pid}`;
    await execa('ip', ['netns', 'add', bystanderNs]);
    try {
      const run = await startLongRun(state);
      process.kill(run.ownerPid, 'SIGKILL');
      const leftovers = await migbenchLeftovers();
      expect(leftovers.some((l) => l.startsWith('netns mgb'))).toBe(true);
      expect(leftovers.some((l) => l.startsWith('loop '))).toBe(true);

      const c = await migbench(['cleanup'], state);
      expect(c.exitCode, c.stderr).toBe(0);
      expect(c.stdout).toMatch(/released netns/);
      await run.child;
      expect(await migbenchLeftovers()).toEqual([]);
      expect(readdirSync(state).filter((n) => n.endsWith('.jsonl'))).toEqual([]);

      // The bystanders are untouched.
      expect((await execa('losetup', ['--associated', file])).stdout).toContain(bystanderLoop);
      expect((await execa('ip', ['netns', 'list'])).stdout).toContain(bystanderNs);
      const again = await migbench(['cleanup'], state);
      expect(again.stdout).toMatch(/nothing to clean up/);
    } finally {
      await execa('losetup', ['--detach', bystanderLoop]);
      await execa('ip', ['netns', 'delete', bystanderNs]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

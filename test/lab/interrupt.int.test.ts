/**
 * Interrupting a run at every step of every strategy leaves nothing behind (issue 14 §4).
 * MIGBENCH_TEST_ABORT_AT (src/strategy/test-abort-hook.ts) makes the run signal its own
 * process group on entering step k — as Ctrl-C in a terminal does, daemons included —
 * and SIGKILL stands for a run killed outright, after which `migbench cleanup` must
 * release everything (the loop over an nbdfuse file included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, freshStateDir, migbench } from '../support/cli.js';
import { leftoversOf } from '../support/leftovers.js';

const SUBREAPER = join(import.meta.dirname, '..', 'support', 'subreaper.py');
const SMALL = ['--size', '16MiB', '--reps', '1', '--warmup', '300ms', '--settle', '200ms', '--health', '100ms', '--link', '1Gbit/s', '--backup-age', '200ms'];
/** A migration step that lasts seconds (64 MiB over 100 Mbit/s), so a signal 1 s in lands inside it. */
const SLOW_MIGRATION = [...SMALL, '--size', '64MiB', '--link', '100Mbit/s'];

/** The steps a repetition enters, in order (run-repetition.ts), per strategy. */
const STEPS: Record<string, { extra: string[]; steps: string[] }> = {
  'kill-copy-boot': { extra: [], steps: ['provision', 'fill', 'export', 'warmup', 'kill-copy-boot', 'settle', 'verify'] },
  'async-clone': { extra: ['--backend', 'qemu'], steps: ['provision', 'fill', 'export', 'warmup', 'async-clone', 'settle', 'verify'] },
  precopy: { extra: ['--tracking', 'qemu'], steps: ['provision', 'fill', 'export', 'prepare source', 'warmup', 'precopy', 'settle', 'verify'] },
  mirror: { extra: [], steps: ['provision', 'fill', 'export', 'prepare source', 'warmup', 'mirror', 'settle', 'verify'] },
  'backup-restore': { extra: [], steps: ['provision', 'fill', 'export', 'prepare source', 'warmup', 'backup-restore', 'settle', 'verify'] },
};

const FIRST_STRATEGY = Object.keys(STEPS)[0];
/** Steps entered before the strategy acts: the same code whatever the strategy. */
const STRATEGY_INDEPENDENT = ['provision', 'fill', 'export'];

/**
 * Runs `migbench run` leading its own process group (under a reaper, so whatever it
 * leaves is reaped) with the abort hook set; returns the result and the run id.
 */
async function interruptedRun(state: string, args: string[], abortAt: string, signal = 'SIGINT') {
  const r = await execa('python3', [SUBREAPER, '--setsid', process.execPath, CLI, 'run', ...args, '--out', join(state, 'out')], {
    reject: false,
    env: { MIGBENCH_STATE_DIR: state, MIGBENCH_TEST_ABORT_AT: abortAt, MIGBENCH_TEST_ABORT_SIGNAL: signal },
    timeout: 120_000,
  });
  const runId = /migbench run (\d{8}-\d{6}-[0-9a-f]{6})/.exec(`${r.stderr}${r.stdout}`)?.[1];
  return { r, runId, fired: /MIGBENCH_TEST_ABORT_AT: \w+ at step "([^"]+)"/.exec(r.stderr)?.[1] };
}

async function expectNothingLeft(state: string, runId: string | undefined): Promise<void> {
  expect(runId).toBeDefined();
  expect(await leftoversOf(state, [runId!])).toEqual([]);
  const c = await migbench(['cleanup'], state);
  expect(c.stdout).toMatch(/nothing to clean up/);
  expect(readdirSync(state).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
}

describe('Ctrl-C at every step leaves nothing behind', () => {
  for (const [strategy, { extra, steps }] of Object.entries(STEPS)) {
    // Every step on entering it (by index: the hook counts what the pipeline enters),
    // and the migration step once more, a second into it. provision, fill and export run
    // the same code before any strategy has a say (run-repetition.ts): they are
    // interrupted once, under the first strategy, which keeps the file's minutes in CI.
    const points = [...steps.map((s, i) => ({ at: String(i + 1), step: s })), { at: `${strategy}+1000`, step: strategy }].filter(
      ({ step }) => strategy === FIRST_STRATEGY || !STRATEGY_INDEPENDENT.includes(step),
    );
    for (const { at, step } of points) {
      it(`${strategy}: SIGINT at ${at} (${step})`, async () => {
        const state = freshStateDir();
        const { r, runId, fired } = await interruptedRun(state, ['--strategy', strategy, ...extra, ...SMALL], at);
        try {
          expect(fired, r.stderr).toBe(step);
          expect(r.exitCode, r.stderr).toBe(130);
          expect(r.stderr).toMatch(/lab released/);
          await expectNothingLeft(state, runId);
        } finally {
          await migbench(['cleanup'], state); // a failure here must not leave the next test a mess
        }
      }, 150_000);
    }
  }
});

/**
 * Starts a run leading its own process group and resolves once a loop device over one of
 * its nbdfuse files (the clone's or the tracked source's) is attached: the moment the
 * reported leak needs. Returns the child and migbench's PID (the group's id).
 */
async function runUntilFuseLoop(state: string, args: string[]) {
  const child = execa('python3', [SUBREAPER, '--setsid', process.execPath, CLI, 'run', ...args, '--out', join(state, 'out')], {
    reject: false,
    env: { MIGBENCH_STATE_DIR: state },
    timeout: 120_000,
  });
  for (let i = 0; i < 600; i++) {
    const loops = (await execa('losetup', ['--list', '--noheadings', '--output', 'BACK-FILE'])).stdout;
    if (loops.split('\n').some((l) => l.trim().startsWith(state) && /(clone|volume)\.raw$/.test(l.trim()))) break;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ledger = readdirSync(state).find((n) => n.endsWith('.jsonl'))!;
  const owner = JSON.parse(readFileSync(join(state, ledger), 'utf8').split('\n')[0]!) as { pid: number };
  return { child, pid: owner.pid, runId: ledger.replace(/\.jsonl$/, '') };
}

describe('a run killed outright', () => {
  for (const [strategy, extra] of [['async-clone', ['--backend', 'qemu']], ['precopy', ['--tracking', 'qemu']]] as const) {
    it(`${strategy}: SIGKILL to the whole process group mid-step; cleanup releases the loop over the dead nbdfuse file and the rest`, async () => {
      const state = freshStateDir();
      const { child, pid, runId } = await runUntilFuseLoop(state, ['--strategy', strategy, ...extra, ...SLOW_MIGRATION]);
      try {
        process.kill(-pid, 'SIGKILL');
        expect((await child).exitCode).toBe(137);
        const left = await leftoversOf(state, [runId]);
        // The daemons died with the group: the FUSE mount is dead, its loop still attached.
        expect(left.some((l) => /^loop .*(clone|volume)\.raw$/.test(l)), left.join('\n')).toBe(true);
      } finally {
        const c = await migbench(['cleanup'], state, 120_000);
        expect(c.exitCode, c.stdout + c.stderr).toBe(0);
        expect(c.stdout).toMatch(/released loop/);
      }
      await expectNothingLeft(state, runId);
    }, 150_000);
  }

  it('async-clone: Ctrl-C reaches the daemons but migbench dies at once (the reported leak: loop shown over /); cleanup finds it by its recorded device', async () => {
    const state = freshStateDir();
    const { child, pid, runId } = await runUntilFuseLoop(state, ['--strategy', 'async-clone', '--backend', 'qemu', ...SLOW_MIGRATION]);
    try {
      process.kill(-pid, 'SIGINT');
      process.kill(pid, 'SIGKILL');
      expect((await child).exitCode).toBe(137);
      // nbdfuse unmounts (lazily) on SIGINT: wait for the loop to show `/`.
      let left: string[] = [];
      for (let i = 0; i < 100 && !left.some((l) => /^loop \S+\s+\/$/.test(l)); i++) {
        await new Promise((res) => setTimeout(res, 100));
        left = await leftoversOf(state, [runId]);
      }
      expect(left.some((l) => /^loop \S+\s+\/$/.test(l)), left.join('\n')).toBe(true);
    } finally {
      const c = await migbench(['cleanup'], state, 120_000);
      expect(c.exitCode, c.stdout + c.stderr).toBe(0);
    }
    await expectNothingLeft(state, runId);
  }, 150_000);

  it('kill-copy-boot: SIGKILL to migbench alone; cleanup releases what it left', async () => {
    const state = freshStateDir();
    // Without --setsid migbench does not lead its group: the hook signals it alone.
    const child = execa('python3', [SUBREAPER, process.execPath, CLI, 'run', '--strategy', 'kill-copy-boot', ...SMALL, '--warmup', '5s', '--out', join(state, 'out')], {
      reject: false,
      env: { MIGBENCH_STATE_DIR: state, MIGBENCH_TEST_ABORT_AT: 'warmup+500', MIGBENCH_TEST_ABORT_SIGNAL: 'SIGKILL' },
      timeout: 120_000,
    });
    // The daemons migbench started outlive it (fio runs until stopped), so the reaper only
    // ends after cleanup: take migbench's own exit from the reaper's line.
    let stderr = '';
    const exited = new Promise<number>((resolve) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /subreaper: command exited (\d+)/.exec(stderr);
        if (m) resolve(Number(m[1]));
      });
      void child.then(() => resolve(-1));
    });
    const status = await exited;
    const runId = /migbench run (\d{8}-\d{6}-[0-9a-f]{6})/.exec(stderr)?.[1];
    try {
      expect(status, stderr).toBe(137);
      expect((await leftoversOf(state, [runId!])).some((l) => l.startsWith('loop '))).toBe(true);
    } finally {
      const c = await migbench(['cleanup'], state, 120_000);
      expect(c.exitCode, c.stdout + c.stderr).toBe(0);
    }
    expect((await child).exitCode).toBe(137);
    await expectNothingLeft(state, runId);
  }, 150_000);
});

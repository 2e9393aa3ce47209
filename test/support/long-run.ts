import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLI } from './cli.js';

const SUBREAPER = join(import.meta.dirname, 'subreaper.py');

/**
 * Starts `migbench run ARGS` (under a child subreaper, so what it spawns is reaped even if
 * it is SIGKILLed) with its ledger in `state`, and resolves once its progress output
 * matches `step`. Returns the child, the orchestrator's PID (from its ledger) and the
 * ledger's run id.
 */
export async function startRunUntil(state: string, args: string[], step: RegExp) {
  const child = execa('python3', [SUBREAPER, process.execPath, CLI, 'run', ...args], {
    reject: false,
    // A line per step on stderr (off a terminal a run prints only finished repetitions).
    env: { MIGBENCH_STATE_DIR: state, MIGBENCH_PROGRESS: 'steps' },
  });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (step.test(err)) resolve();
    });
    void child.then(() => reject(new Error(`run ended early: ${err}`)));
  });
  const ledger = readdirSync(state).find((n) => n.endsWith('.jsonl'))!;
  const owner = JSON.parse(readFileSync(join(state, ledger), 'utf8').split('\n')[0]!) as { pid: number };
  return { child, ownerPid: owner.pid, runId: ledger.replace(/\.jsonl$/, ''), stderr: () => err };
}

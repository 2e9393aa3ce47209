import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupLeftovers } from '../../src/lab/cleanup.js';
import { readLedgers } from '../../src/lab/ledger.js';
import { RUN_ID_ENV } from '../../src/lab/run-marker.js';
import { freshStateDir } from '../support/cli.js';

describe('cleanup finds processes by their run mark', () => {
  it('kills a process of a dead run that its ledger never named, and leaves an unmarked one', async () => {
    const state = freshStateDir();
    const runId = `20261130-000000-${process.pid.toString(16).padStart(6, '0')}`;
    // A ledger whose owner is gone (pid 1 with a start time it never had) and names nothing.
    writeFileSync(join(state, `${runId}.jsonl`), `${JSON.stringify({ op: 'run', runId, pid: 1, startTime: -1, createdAt: '' })}\n`);
    const marked = spawn('sleep', ['1000'], { env: { ...process.env, [RUN_ID_ENV]: runId }, stdio: 'ignore' });
    const other = spawn('sleep', ['1000'], { env: { ...process.env, [RUN_ID_ENV]: `${runId}0` }, stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const exited = new Promise<NodeJS.Signals | null>((r) => marked.once('exit', (_code, signal) => r(signal)));
      const report = await cleanupLeftovers(readLedgers(state));
      expect(report.failed).toEqual([]);
      expect(report.released.join('\n')).toContain(`"pid":${marked.pid}`);
      expect(await exited).toBe('SIGKILL');
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
    } finally {
      other.kill('SIGKILL');
      marked.kill('SIGKILL');
    }
  });
});

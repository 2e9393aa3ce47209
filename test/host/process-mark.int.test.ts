/**
 * The process marks (process-mark.ts) find what a started process forked, in a session of
 * its own and orphaned: here and, through the same shell a real host runs, over SSH.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { localHost } from '../../src/host/local-host.js';
import { KILL_MARKED_SH, killMarkedHere, newProcessMark } from '../../src/host/process-mark.js';

/** A `setsid sleep` (its own session, as fio's job) carrying `mark`; resolves with its exit signal. */
function marked(mark: string) {
  const child = spawn('setsid', ['sleep', '1000'], { env: { ...process.env, [mark]: '1' }, stdio: 'ignore' });
  return { child, exited: new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, s) => r(s))) };
}

describe('process marks', () => {
  for (const [how, kill] of [
    ['here', (mark: string) => killMarkedHere(mark).then((r) => r.killed)],
    ['by the remote shell', (mark: string) => localHost.run('sh', ['-c', KILL_MARKED_SH, 'sh', `${mark}=1`]).then((o) => o.split('\n').filter(Boolean).map(Number))],
  ] as const) {
    it(`kill ${how} what carries the mark, and nothing else`, async () => {
      const mark = newProcessMark();
      const other = newProcessMark();
      const a = marked(mark);
      const b = marked(other);
      try {
        await new Promise((r) => setTimeout(r, 200)); // setsid has exec'd sleep
        const killed = await kill(mark);
        expect(killed).toEqual([a.child.pid]);
        expect(await a.exited).toBe('SIGKILL');
        expect(b.child.exitCode).toBeNull();
        expect(b.child.signalCode).toBeNull();
      } finally {
        a.child.kill('SIGKILL');
        b.child.kill('SIGKILL');
      }
    });
  }
});

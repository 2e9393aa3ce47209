import { describe, expect, it } from 'vitest';
import type { ProcessOwner } from '../../src/host/execa-host.js';
import type { HostProcess } from '../../src/host/host.js';
import { onLines } from '../../src/host/lines.js';
import { localHost } from '../../src/host/local-host.js';

/** An owner that keeps the release the host registers (what a ResourceScope calls on close). */
function owner(): ProcessOwner & { release: () => Promise<void> } {
  const o = {
    release: (): Promise<void> => Promise.reject(new Error('nothing recorded')),
    record(_entry: unknown, release: () => Promise<void>) {
      o.release = release;
    },
  };
  return o;
}

/** A shell that runs `trap` for SIGINT, says so, and idles until a signal ends it. */
function shell(o: ProcessOwner, trap: string, stopGraceMs: number): { proc: HostProcess; ready: Promise<void> } {
  const script = `trap '${trap}' INT; echo ready; while :; do sleep 0.05; done`;
  const proc = localHost.start(o, 'sh', ['-c', script], { stdout: 'pipe', stopSignal: 'SIGINT', stopGraceMs });
  const ready = new Promise<void>((resolve) => onLines(proc.stdout!, (l) => l === 'ready' && resolve()));
  return { proc, ready };
}

// fio's case: a process stopped with SIGINT, whose escalation to SIGKILL is execa's own.
describe('a non-default stop signal', () => {
  it('stop() sends it', async () => {
    const { proc, ready } = shell(owner(), 'exit 7', 5000);
    await ready;
    await proc.stop();
    expect((await proc.exited).exitCode).toBe(7);
  });

  it("the owner's release sends it too", async () => {
    const o = owner();
    const { proc, ready } = shell(o, 'exit 7', 5000);
    await ready;
    await o.release();
    expect(proc.hasExited()).toBe(true);
    expect((await proc.exited).exitCode).toBe(7);
  });

  it('escalates to SIGKILL after the grace period when the process ignores it', async () => {
    const { proc, ready } = shell(owner(), '', 300);
    await ready;
    const t0 = performance.now();
    await proc.stop();
    expect((await proc.exited).signal).toBe('SIGKILL');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
  });
});

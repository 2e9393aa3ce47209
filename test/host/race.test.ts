import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ProcessExitedError } from '../../src/host/errors.js';
import type { ExitStatus } from '../../src/host/host.js';
import { exitsWithin, untilExit } from '../../src/host/race.js';

/** A stand-in for a process: only its `exited` promise, settled by the test. */
function fakeProcess(): { exited: Promise<ExitStatus>; exit: (s: ExitStatus) => void } {
  let exit!: (s: ExitStatus) => void;
  const exited = new Promise<ExitStatus>((r) => (exit = r));
  return { exited, exit };
}

const listeners = (s: AbortSignal): number => getEventListeners(s, 'abort').length;

describe('untilExit', () => {
  it('resolves with the awaited value and removes its abort listener', async () => {
    const ac = new AbortController();
    const p = fakeProcess();
    const waits = [1, 2, 3].map((v) => untilExit(p, Promise.resolve(v), 'x', ac.signal));
    expect(listeners(ac.signal)).toBe(3);
    expect(await Promise.all(waits)).toEqual([1, 2, 3]);
    expect(listeners(ac.signal)).toBe(0);
  });

  it('removes its listener when the awaited promise rejects', async () => {
    const ac = new AbortController();
    await expect(untilExit(fakeProcess(), Promise.reject(new Error('boom')), 'x', ac.signal)).rejects.toThrow('boom');
    expect(listeners(ac.signal)).toBe(0);
  });

  it('rejects with a ProcessExitedError carrying the status if the process exits first, and removes its listener', async () => {
    const ac = new AbortController();
    const p = fakeProcess();
    const waiting = untilExit(p, new Promise<never>(() => undefined), 'round copier', ac.signal);
    p.exit({ exitCode: 3, stderr: 'no route to host\n' });
    const err = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProcessExitedError);
    expect((err as ProcessExitedError).exitCode).toBe(3);
    expect((err as Error).message).toBe('round copier exited (3): no route to host');
    expect(listeners(ac.signal)).toBe(0);
  });

  it('rejects with the abort reason on abort', async () => {
    const ac = new AbortController();
    const waiting = untilExit(fakeProcess(), new Promise<never>(() => undefined), 'x', ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(listeners(ac.signal)).toBe(0);
  });

  it('rejects at once, adding no listener, when already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('early'));
    await expect(untilExit(fakeProcess(), Promise.resolve(1), 'x', ac.signal)).rejects.toThrow('early');
    expect(listeners(ac.signal)).toBe(0);
  });
});

describe('exitsWithin', () => {
  it('is true when the process exits in time, false when not', async () => {
    const p = fakeProcess();
    setTimeout(() => p.exit({ exitCode: 0, stderr: '' }), 5);
    expect(await exitsWithin(p, 5000)).toBe(true);
    expect(await exitsWithin(fakeProcess(), 20)).toBe(false);
  });
});

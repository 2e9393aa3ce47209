import { setTimeout as delay } from 'node:timers/promises';
import { ProcessExitedError } from './errors.js';
import type { ExitStatus } from './host.js';

/**
 * Resolves or rejects with `wait`; rejects with a {@link ProcessExitedError} if the
 * process exits first, or with the signal's reason once `signal` aborts. The abort
 * listener is removed as soon as the race is decided, so a long-lived run signal does
 * not collect one per wait.
 */
export function untilExit<T>(proc: { readonly exited: Promise<ExitStatus> }, wait: Promise<T>, what: string, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let decided = false;
    const decide = (settle: () => void): void => {
      if (decided) return;
      decided = true;
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = (): void => decide(() => reject(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    wait.then(
      (v) => decide(() => resolve(v)),
      (err: unknown) => decide(() => reject(err)),
    );
    void proc.exited.then((status) => decide(() => reject(new ProcessExitedError(what, status))));
  });
}

/** True if the process exits within `ms`; false (and it is still running) otherwise. */
export async function exitsWithin(proc: { readonly exited: Promise<ExitStatus> }, ms: number): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([proc.exited.then(() => true), delay(ms, false, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}

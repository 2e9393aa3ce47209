/**
 * A drain: N volumes moved A→B at once over the one link, each a full repetition of
 * its own (devices, export, workload). All volumes provision and warm up in parallel,
 * meet at a start barrier, and volume i starts its migration `(i − 1) × stagger` after
 * the barrier opens.
 */
import { sleep } from '../lab/wait.js';

/** Opens once every party has arrived or left (a party that failed before arriving leaves). */
export class StartBarrier {
  private waiting = 0;
  private open!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.open = resolve));

  constructor(private readonly parties: number) {
    if (parties <= 0) this.open();
  }

  /** Arrives and waits for the others. */
  arrive(): Promise<void> {
    this.count();
    return this.opened;
  }

  /** A party that will never arrive (it failed) stops holding the others. */
  leave(): void {
    this.count();
  }

  private count(): void {
    if (++this.waiting >= this.parties) this.open();
  }
}

/**
 * Runs `runOne(volume, beforeStart)` for volumes 1..n concurrently; `beforeStart` is the
 * barrier plus the volume's stagger. Every volume runs to its end whatever the others do;
 * the results come back in volume order.
 */
export async function runDrain<T>(
  n: number,
  staggerMs: number,
  signal: AbortSignal,
  runOne: (volume: number, beforeStart: () => Promise<void>) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const barrier = new StartBarrier(n);
  return Promise.allSettled(
    Array.from({ length: n }, async (_, i) => {
      const volume = i + 1;
      let arrived = false;
      try {
        return await runOne(volume, async () => {
          arrived = true;
          await barrier.arrive();
          await sleep(i * staggerMs, signal);
        });
      } finally {
        if (!arrived) barrier.leave();
      }
    }),
  );
}

import { describe, expect, it } from 'vitest';
import { runDrain, StartBarrier } from '../../src/strategy/drain.js';

describe('drain start barrier', () => {
  it('opens only when every party arrived or left', async () => {
    const b = new StartBarrier(3);
    let opened = false;
    const p = b.arrive().then(() => (opened = true));
    void b.arrive();
    await Promise.resolve();
    expect(opened).toBe(false);
    b.leave();
    await p;
    expect(opened).toBe(true);
  });

  it('starts volumes together, staggered, and survives a volume that fails before the start', async () => {
    const starts = new Map<number, number>();
    const arrivals = new Map<number, number>();
    const t0 = Date.now();
    const settled = await runDrain(3, 40, new AbortController().signal, async (volume, beforeStart) => {
      if (volume === 2) throw new Error('provisioning failed');
      await new Promise((r) => setTimeout(r, volume === 1 ? 30 : 0)); // volume 1 is slower to warm up
      arrivals.set(volume, Date.now() - t0);
      await beforeStart();
      starts.set(volume, Date.now() - t0);
      return volume * 10;
    });
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 10 });
    // Volume 3 waited for volume 1 at the barrier (which opened when volume 1 arrived),
    // then for its own stagger (2 × 40 ms). Lower bounds only: timers never fire early, and
    // a loaded machine only makes them later (1 ms for Date.now()'s granularity).
    expect(starts.get(1)!).toBeGreaterThanOrEqual(arrivals.get(1)!);
    expect(arrivals.get(1)!).toBeGreaterThanOrEqual(29);
    expect(starts.get(3)! - arrivals.get(1)!).toBeGreaterThanOrEqual(79);
  });
});

import { describe, expect, it } from 'vitest';
import { hydrateThroughFault } from '../../src/fault/hydration.js';
import type { FaultProbe } from '../../src/fault/probe.js';
import type { MigrationContext } from '../../src/strategy/context.js';
import type { Clone, CloneProgress } from '../../src/transfer/clone/backend.js';

/**
 * A clone like dm-clone under a dead source: hydration never completes and never fails
 * (the kernel retries the failed regions), so only `stop` ends the wait.
 */
function silentClone(p: CloneProgress): Clone {
  return {
    device: '/dev/null',
    startHydration: () => Promise.resolve(),
    progress: () => Promise.resolve(p),
    waitHydrated: (_onProgress, _pollMs, stop) =>
      new Promise((_, reject) => {
        stop?.addEventListener('abort', () => reject(stop.reason as Error), { once: true });
      }),
    detachSource: () => Promise.resolve(),
    finalize: () => Promise.resolve(),
  };
}

function context(fault: Partial<FaultProbe>): MigrationContext {
  const probe: FaultProbe = { reached: () => undefined, sourceLost: () => false, started: () => true, ended: () => Promise.resolve(), onDestCrash: () => undefined, ...fault };
  return { fault: probe, signal: new AbortController().signal, scenario: { windowMs: 10 }, progress: () => undefined } as unknown as MigrationContext;
}

describe('hydrateThroughFault', () => {
  it('ends the wait once the source is lost for good, with what the clone never got', async () => {
    let lost = false;
    setTimeout(() => (lost = true), 30);
    const out = await hydrateThroughFault(context({ sourceLost: () => lost }), silentClone({ hydrated: 3, total: 8 }), 1024, 8 * 1024);
    expect(out?.unavailableBytes).toBe(5 * 1024);
    expect(out?.why).toMatch(/gone for good/);
  });

  it('keeps waiting while the source is only away for a while', async () => {
    const waiting = hydrateThroughFault(context({}), silentClone({ hydrated: 3, total: 8 }), 1024, 8 * 1024);
    const settled = await Promise.race([waiting.then(() => 'settled'), new Promise((r) => setTimeout(() => r('waiting'), 100))]);
    expect(settled).toBe('waiting');
  });
});

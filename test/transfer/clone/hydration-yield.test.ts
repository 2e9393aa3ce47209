import { describe, expect, it } from 'vitest';
import { fuseConnectionName, nextYieldState, parseWaiting, yieldPolicy, type YieldState } from '../../../src/transfer/clone/hydration-yield.js';
import { yieldSummaryOf } from '../../../src/transfer/clone/hydration-yield-process.js';

const p = yieldPolicy(9);
const run = (sinceMs = 0, forced = false, runMs = 0): YieldState => ({ paused: false, sinceMs, forced, runMs });
const paused = (sinceMs = 0, runMs = 0): YieldState => ({ paused: true, sinceMs, forced: false, runMs });

describe('yieldPolicy (--hydration-yield n)', () => {
  it('pauses at n and resumes at n/2, with a cap on one pause', () => {
    expect(yieldPolicy(9)).toEqual({ pauseAt: 9, resumeAt: 4, maxPauseMs: 200, minRunMs: 20, maxRunMs: 1600 });
    expect(yieldPolicy(1).resumeAt).toBe(0);
  });
});

describe('nextYieldState', () => {
  it('keeps running below the pause threshold and pauses at it', () => {
    expect(nextYieldState(run(), 8, 5, p)).toEqual(run());
    expect(nextYieldState(run(), 9, 5, p)).toEqual(paused(5));
  });

  it('stays paused between the thresholds (hysteresis) and resumes at resumeAt', () => {
    expect(nextYieldState(paused(0), 5, 10, p)).toEqual(paused(0));
    expect(nextYieldState(paused(0), 4, 10, p)).toEqual(run(10));
  });

  it('ends a pause at maxPauseMs even while requests still wait, then runs at least minRunMs', () => {
    const forced = nextYieldState(paused(0), 13, 200, p);
    expect(forced).toEqual(run(200, true, 20));
    expect(nextYieldState(forced, 13, 219, p)).toEqual(forced);
    expect(nextYieldState(forced, 13, 220, p)).toEqual(paused(220, 20));
  });

  it('doubles the run after each pause that FUSE does not drain, up to maxRunMs, and resets once one does', () => {
    let s = paused(0);
    const runs: number[] = [];
    let t = 0;
    for (let i = 0; i < 9; i++) {
      t += p.maxPauseMs;
      s = nextYieldState(s, 13, t, p);
      expect(s.forced).toBe(true);
      runs.push(s.runMs);
      expect(nextYieldState(s, 13, t + s.runMs - 1, p)).toBe(s);
      t += s.runMs;
      s = nextYieldState(s, 13, t, p);
      expect(s.paused).toBe(true);
    }
    expect(runs).toEqual([20, 40, 80, 160, 320, 640, 1280, 1600, 1600]);
    // A pause that ends with FUSE quiet: the next forced run is short again.
    s = nextYieldState(s, 4, t + 1, p);
    expect(s).toEqual(run(t + 1, false, 0));
    s = nextYieldState(nextYieldState(s, 9, t + 2, p), 13, t + 2 + p.maxPauseMs, p);
    expect(s.runMs).toBe(20);
  });

  it('drops the forced mark once the minimum run has passed quietly', () => {
    expect(nextYieldState(run(200, true, 20), 0, 230, p)).toEqual(run(200, false, 20));
  });
});

describe('fuseConnectionName', () => {
  it('is the minor of an anonymous device (major 0), as the kernel names it', () => {
    expect(fuseConnectionName(42n)).toBe('42');
    expect(fuseConnectionName(0xffn)).toBe('255');
  });

  it('decodes glibc’s split encoding of large minors and majors', () => {
    // minor 0x12345 with major 0: glibc puts the low 8 bits low and the rest from bit 20.
    const stDev = 0x45n | (0x123n << 20n);
    expect(fuseConnectionName(stDev)).toBe(String(0x12345));
    // major 8, minor 1 (sda1's encoding) → the kernel's (8 << 20) | 1.
    expect(fuseConnectionName((8n << 8n) | 1n)).toBe(String((8 << 20) | 1));
  });
});

describe('parseWaiting', () => {
  it('reads the count the fusectl file holds', () => {
    expect(parseWaiting('13\n')).toBe(13);
    expect(parseWaiting('0\n')).toBe(0);
  });

  it('refuses anything else', () => {
    expect(() => parseWaiting('')).toThrow(/unexpected FUSE waiting count/);
    expect(() => parseWaiting('-1\n')).toThrow(/unexpected/);
  });
});

describe('yieldSummaryOf', () => {
  it('takes the controller’s last line and ignores nbdcopy’s progress lines', () => {
    expect(yieldSummaryOf('hydration-yield {"pauses":3,"pausedMs":120,"forcedRuns":1,"maxWaiting":13,"polls":900}\n')).toEqual({
      pauses: 3,
      pausedMs: 120,
      forcedRuns: 1,
      maxWaiting: 13,
      polls: 900,
    });
    expect(yieldSummaryOf('42/100')).toBeUndefined();
    expect(yieldSummaryOf('hydration-yield {"pauses":3}')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { bar, etaMs, formatClock, Progress, progressText, type ProgressSink } from '../../src/cli/progress.js';

describe('progress line text', () => {
  it('formats the clock', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(42_400)).toBe('0:42');
    expect(formatClock(725_000)).toBe('12:05');
    expect(formatClock(3_723_000)).toBe('1:02:03');
  });

  it('shows k/N, elapsed, ETA, the repetition, its step and a bar', () => {
    expect(progressText({ done: 3, total: 30, elapsedMs: 42_000, etaMs: 250_000, current: 'rep 1/3 async-clone', step: 'async-clone', fraction: 0.3 })).toBe(
      '[3/30] 0:42 elapsed, ETA 4:10 · rep 1/3 async-clone: async-clone [######--------------]  30%',
    );
    expect(progressText({ done: 0, total: 6, elapsedMs: 1000, etaMs: undefined, step: 'provisioning the lab…' })).toBe('[0/6] 0:01 elapsed · provisioning the lab…');
    expect(progressText({ done: 1, total: 6, elapsedMs: 1000, etaMs: 0, current: 'rep 1/3 precopy', step: 'verify' })).toBe('[1/6] 0:01 elapsed, ETA 0:00 · rep 1/3 precopy: verify');
  });

  it('draws a bar clamped to [0, 1]', () => {
    expect(bar(0, 10)).toBe('[----------]   0%');
    expect(bar(0.55, 10)).toBe('[######----]  55%');
    expect(bar(1.7, 10)).toBe('[##########] 100%');
  });
});

describe('ETA', () => {
  it('uses the dry-run estimate before a repetition has finished', () => {
    expect(etaMs({ done: 0, total: 6, finishedMs: [], currentMs: 5000, elapsedMs: 20_000, estimateMs: 120_000 })).toBe(100_000);
    expect(etaMs({ done: 0, total: 6, finishedMs: [], currentMs: 0, elapsedMs: 200_000, estimateMs: 120_000 })).toBe(0);
    expect(etaMs({ done: 0, total: 6, finishedMs: [], currentMs: 0, elapsedMs: 0, estimateMs: undefined })).toBeUndefined();
  });

  it('then the mean of the finished repetitions, less what the current one has run', () => {
    // Two done in 10 s and 20 s: 4 left at 15 s, 5 s into the current one.
    expect(etaMs({ done: 2, total: 6, finishedMs: [10_000, 20_000], currentMs: 5000, elapsedMs: 40_000, estimateMs: 1 })).toBe(55_000);
  });
});

/** A sink that records what was written, and a clock the test moves. */
function harness(tty: boolean): { out: string[]; sink: ProgressSink; tick: (ms: number) => void; now: () => number } {
  const out: string[] = [];
  let t = 1_000_000;
  return { out, sink: { write: (s: string) => out.push(s), isTTY: tty, columns: 100 }, tick: (ms) => void (t += ms), now: () => t };
}

describe('Progress', () => {
  it('writes only finished repetitions and lines that stay when not a terminal', () => {
    const h = harness(false);
    const p = new Progress({ total: 2, estimateMs: 60_000, sink: h.sink, now: h.now, steps: false });
    p.status('provisioning the lab…');
    p.begin('rep 1/1 kill-copy-boot');
    p.stepTo('copy');
    p.fraction(0.5);
    h.tick(12_000);
    p.end('rep 1/1 kill-copy-boot: interruption 2440 ms');
    p.begin('rep 1/1 async-clone');
    h.tick(3_000);
    p.end('rep 1/1 async-clone: FAILED — step "x" failed: y');
    p.close();
    expect(h.out).toEqual(['[1/2 0:12] rep 1/1 kill-copy-boot: interruption 2440 ms\n', '[2/2 0:15] rep 1/1 async-clone: FAILED — step "x" failed: y\n']);
  });

  it('adds a line per step with MIGBENCH_PROGRESS=steps (scripts and tests follow the steps)', () => {
    const h = harness(false);
    const p = new Progress({ total: 1, sink: h.sink, now: h.now, steps: true });
    p.status('provisioning the lab…');
    p.begin('rep 1/1 async-clone');
    p.stepTo('warmup');
    p.stepTo('async-clone', 'migrating');
    p.fraction(0.5);
    p.end('rep 1/1 async-clone: interruption 28 ms');
    expect(h.out).toEqual(['provisioning the lab…\n', 'rep 1/1 async-clone: warmup…\n', 'rep 1/1 async-clone: async-clone…\n', '[1/1 0:00] rep 1/1 async-clone: interruption 28 ms\n']);
  });

  it('words the strategy step as migrating on a terminal', () => {
    const h = harness(true);
    const p = new Progress({ total: 1, sink: h.sink, now: h.now, steps: true });
    p.begin('rep 1/1 async-clone');
    p.stepTo('async-clone', 'migrating');
    expect(h.out.at(-1)).toMatch(/rep 1\/1 async-clone: migrating$/);
    expect(h.out.join('')).not.toContain('…\n');
    p.close();
  });

  it('redraws one status line in place on a terminal, and erases it before a line that stays', () => {
    const h = harness(true);
    const p = new Progress({ total: 4, estimateMs: 100_000, sink: h.sink, now: h.now });
    p.begin('rep 1/2 async-clone');
    h.tick(10_000);
    p.stepTo('async-clone');
    p.fraction(0.25);
    expect(h.out.at(-1)).toBe('\r\x1b[2K[0/4] 0:10 elapsed, ETA 1:30 · rep 1/2 async-clone: async-clone [#####---------------]  25%');
    const drawn = h.out.length;
    p.fraction(0.251);
    expect(h.out).toHaveLength(drawn); // the same percentage is not redrawn
    h.tick(10_000);
    p.end('rep 1/2 async-clone: interruption 28 ms');
    expect(h.out.slice(drawn)).toEqual(['\r\x1b[2K', '[1/4 0:20] rep 1/2 async-clone: interruption 28 ms\n']);
    p.begin('rep 1/2 precopy');
    // One finished in 20 s, three left.
    expect(h.out.at(-1)).toBe('\r\x1b[2K[1/4] 0:20 elapsed, ETA 1:00 · rep 1/2 precopy');
    p.close();
    expect(h.out.at(-1)).toBe('\r\x1b[2K');
  });

  it('never draws wider than the terminal', () => {
    const h = harness(true);
    h.sink.columns = 40;
    const p = new Progress({ total: 1, sink: h.sink, now: h.now });
    p.begin('rep 1/1 a-strategy-with-a-long-name at a sweep point');
    const text = h.out.at(-1)!.replace('\r\x1b[2K', '');
    expect(text.length).toBeLessThanOrEqual(39);
    expect(text.endsWith('…')).toBe(true);
    p.close();
  });
});

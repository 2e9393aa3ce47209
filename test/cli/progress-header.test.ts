import { describe, expect, it } from 'vitest';
import { estimateRunMs, runHeader, totalRepetitions } from '../../src/cli/run-header.js';
import { DEFAULTS } from '../../src/scenario/scenario.js';
import { expandSweep } from '../../src/scenario/sweep.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

const points = (over: Partial<typeof DEFAULTS>) => expandSweep({ ...DEFAULTS, ...over }, resolveStrategies);

describe('the run header', () => {
  it('restates what was asked in the units typed', () => {
    const h = runHeader({ runId: 'R', points: points({ strategy: 'kill-copy-boot,async-clone', reps: '2', size: '32MiB', writeRate: '8MB/s', link: '1Gbit/s' }), cloneBackend: 'dm-clone' });
    const [first, strategies, asked] = h.split('\n');
    expect(first).toMatch(/^migbench run R: 2 strategies × 2 repetitions = 4, about \d+ (s|min)/);
    expect(strategies).toBe('  kill-copy-boot, async-clone');
    expect(asked).toBe('  32MiB volume, 8MB/s writes, 200/s reads, 1Gbit/s link, 0ms added latency; clone backend dm-clone');
    expect(h).not.toMatch(/Mbit\/s writes/);
  });

  it('lists a swept option with every value, and counts the sweep points', () => {
    const h = runHeader({ runId: 'R', points: points({ strategy: 'precopy', reps: '1', size: '64MiB,256MiB', writeRate: '100Mbit/s' }), tracking: 'dm-era' });
    expect(h).toContain('2 sweep points × 1 strategy × 1 repetition = 2');
    expect(h).toContain('64MiB,256MiB volume, 100Mbit/s writes');
    expect(h).toContain('; dirty tracking dm-era');
  });

  it('names a write or read pattern other than uniform after its rate', () => {
    const h = runHeader({ runId: 'R', points: points({ strategy: 'precopy', reps: '1', writePattern: 'uniform,hotset:0.05/0.95', readPattern: 'zipf:1' }) });
    expect(h).toContain('8MB/s writes (uniform,hotset:0.05/0.95), 200/s reads (zipf:1),');
  });

  it('wraps the ten default strategies within 120 columns', () => {
    const h = runHeader({ runId: '20261130-130004-ab474d', points: points({}), cloneBackend: 'dm-clone', tracking: 'dm-era' });
    expect(h).toContain('10 strategies × 3 repetitions = 30');
    for (const l of h.split('\n')) expect(l.length, l).toBeLessThanOrEqual(120);
    expect(h).toContain('mirror');
  });

  it('counts repetitions and estimates the run as the dry run does', () => {
    const p = points({ strategy: 'kill-copy-boot,async-clone', reps: '3', link: '200Mbit/s,1Gbit/s' });
    expect(totalRepetitions(p)).toBe(12);
    // Two labs, and more time at the slower link.
    expect(estimateRunMs(p)).toBeGreaterThan(estimateRunMs(points({ strategy: 'kill-copy-boot,async-clone', reps: '3' })) * 2);
  });
});

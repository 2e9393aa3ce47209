import { describe, expect, it } from 'vitest';
import { estimateLab, estimateRepetition, formatWallTime } from '../../src/scenario/estimate.js';
import { DEFAULTS, validateScenario } from '../../src/scenario/scenario.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

const scenario = (over: Partial<typeof DEFAULTS>) => validateScenario({ ...DEFAULTS, strategy: 'kill-copy-boot', ...over }, resolveStrategies);

describe('the dry-run wall-time estimate', () => {
  it('adds fill, warmup, transfer at the link rate, health, settle, verify and overhead', () => {
    // 1 GiB at 1 Gbit/s: 8.59 s on the wire; fill and verify 1 s each at the assumed 1 GiB/s.
    const e = estimateRepetition(scenario({ size: '1GiB', link: '1Gbit/s', warmup: '2s', health: '500ms', settle: '2s' }));
    expect(e.fillMs).toBeCloseTo(1000);
    expect(e.verifyMs).toBeCloseTo(1000);
    expect(e.transferMs).toBeCloseTo(8589.9 + 500, 0);
    expect(e.totalMs).toBeCloseTo(1000 + 2000 + 9089.9 + 2000 + 1000 + 1000, 0);
  });

  it('a drain moves every volume over the one link', () => {
    const one = estimateRepetition(scenario({ size: '256MiB' }));
    const four = estimateRepetition(scenario({ size: '256MiB', volumes: '4', stagger: '100ms' }));
    expect(four.transferMs - 300).toBeCloseTo(4 * (one.transferMs - 500) + 500, 3);
  });

  it('never exceeds the repetition timeout', () => {
    // 1 GiB at 10 Mbit/s is 859 s on the wire, within the limit; with the other phases it is not.
    expect(estimateRepetition(scenario({ size: '1GiB', link: '10Mbit/s', timeout: '860s' })).totalMs).toBe(860e3);
  });

  it('a lab costs its setup and about two seconds of link', () => {
    expect(estimateLab(scenario({ link: '1Gbit/s' }))).toBeCloseTo(2000 + 2000, 0);
    // At 10 Mbit/s the probe moves its 16 MiB minimum.
    expect(estimateLab(scenario({ link: '10Mbit/s' }))).toBeCloseTo(2000 + ((16 * 2 ** 20 * 8) / 10e6) * 1000, 0);
  });

  it('formats wall time for people', () => {
    expect(formatWallTime(400)).toBe('1 s');
    expect(formatWallTime(45_000)).toBe('45 s');
    expect(formatWallTime(200_000)).toBe('3 min 20 s');
    expect(formatWallTime(3_900_000)).toBe('1 h 5 min');
  });
});

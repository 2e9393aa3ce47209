import { describe, expect, it } from 'vitest';
import { DEFAULTS, ScenarioError } from '../../src/scenario/scenario.js';
import { expandSweep, groupByLink, sweptKeys } from '../../src/scenario/sweep.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

const raw = (over: Partial<typeof DEFAULTS>) => ({ ...DEFAULTS, ...over });

describe('expandSweep', () => {
  it('no list: one point with an empty label', () => {
    const points = expandSweep(raw({}), resolveStrategies);
    expect(points).toHaveLength(1);
    expect(points[0]!.label).toBe('');
    expect(points[0]!.scenario.sizeBytes).toBe(256 * 2 ** 20);
  });

  it('the cartesian product, the last option varying fastest, each point validated', () => {
    const points = expandSweep(raw({ size: '64MiB, 1GiB', writeRate: '2MB/s,8MB/s,32MB/s' }), resolveStrategies);
    expect(points.map((p) => p.label)).toEqual([
      'size=64MiB write-rate=2MB/s',
      'size=64MiB write-rate=8MB/s',
      'size=64MiB write-rate=32MB/s',
      'size=1GiB write-rate=2MB/s',
      'size=1GiB write-rate=8MB/s',
      'size=1GiB write-rate=32MB/s',
    ]);
    expect(points[4]!.scenario.sizeBytes).toBe(2 ** 30);
    expect(points[4]!.scenario.writeRateBps).toBe(64e6);
    expect(points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('the strategy list is not a sweep dimension', () => {
    expect(sweptKeys(raw({ strategy: 'kill-copy-boot,async-clone' }))).toEqual([]);
  });

  it.each([
    [{ size: '64MiB,64XB' }, /--size: .*"64XB".*\(sweep point size=64XB\)/],
    [{ size: '64MiB,,1GiB' }, /--size: empty value/],
    [{ link: '1Gbit/s,1Gbit/s' }, /--link: repeated value/],
    [{ size: '64MiB,64GiB', link: '10Mbit/s' }, /more than --timeout.*sweep point size=64GiB/],
  ])('bad point %j', (over, message) => {
    expect(() => expandSweep(raw(over), resolveStrategies)).toThrow(ScenarioError);
    expect(() => expandSweep(raw(over), resolveStrategies)).toThrow(message);
  });

  it('refuses a sweep with too many points', () => {
    expect(() => expandSweep(raw({ size: '1MiB,2MiB,4MiB', link: '1Gbit/s,2Gbit/s' }), resolveStrategies, 5)).toThrow(/6 points, more than 5/);
  });

  it('groups points by link and latency (one lab each), keeping order', () => {
    const points = expandSweep(raw({ link: '200Mbit/s,1Gbit/s', size: '32MiB,64MiB' }), resolveStrategies);
    const groups = groupByLink(points);
    expect(groups.map((g) => g.map((p) => p.label))).toEqual([
      ['size=32MiB link=200Mbit/s', 'size=64MiB link=200Mbit/s'],
      ['size=32MiB link=1Gbit/s', 'size=64MiB link=1Gbit/s'],
    ]);
  });
});

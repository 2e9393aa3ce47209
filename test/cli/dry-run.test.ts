import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../src/cli/dry-run.js';
import { DEFAULTS } from '../../src/scenario/scenario.js';
import { expandSweep } from '../../src/scenario/sweep.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

const points = (over: Partial<typeof DEFAULTS>) => expandSweep({ ...DEFAULTS, ...over }, resolveStrategies);

describe('the dry-run plan', () => {
  it('counts sweep points × strategies × repetitions and labs, and names each point', () => {
    const plan = renderPlan({
      points: points({ strategy: 'kill-copy-boot,async-clone', reps: '2', size: '64MiB,128MiB', link: '200Mbit/s,1Gbit/s' }),
      backend: { requested: 'auto', resolved: 'qemu' },
      tracking: undefined,
      out: undefined,
      isRoot: true,
    });
    expect(plan).toMatch(/repetitions +4 point\(s\) × 2 strategies × 2 = 16/);
    expect(plan).toMatch(/labs +2 /);
    expect(plan).toMatch(/clone backend +auto → qemu/);
    expect(plan).toMatch(/dirty tracking +not used/);
    expect(plan).toMatch(/results +results\/<run-id> \(not created\)/);
    expect(plan).toContain('size=128MiB link=1Gbit/s');
    expect(plan).toMatch(/estimated wall time: about \d+ min/);
    expect(plan).toMatch(/an estimate/);
    expect(plan).not.toMatch(/needs root/);
  });

  it('says what only the run can resolve, and that the run needs root', () => {
    const plan = renderPlan({
      points: points({ strategy: 'precopy', reps: '1' }),
      backend: undefined,
      tracking: { requested: 'auto', resolved: undefined, note: 'probing device-mapper needs root' },
      out: '/tmp/x',
      isRoot: false,
    });
    expect(plan).toMatch(/dirty tracking +auto → decided when the run starts \(probing device-mapper needs root\)/);
    expect(plan).toMatch(/clone backend +not used/);
    expect(plan).toMatch(/results +\/tmp\/x \(not created\)/);
    expect(plan).toMatch(/the real run needs root/);
    expect(plan).toMatch(/sweep +none/);
  });

  it('an explicit choice is shown as it is', () => {
    const plan = renderPlan({ points: points({ strategy: 'precopy' }), backend: undefined, tracking: { requested: 'qemu', resolved: 'qemu' }, out: undefined, isRoot: true });
    expect(plan).toMatch(/dirty tracking +qemu\n/);
  });
});

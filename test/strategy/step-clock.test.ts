import { describe, expect, it } from 'vitest';
import { StepClock } from '../../src/strategy/step-clock.js';

describe('StepClock', () => {
  it('times each step from its enter to the next one, and adds repeated visits', () => {
    let t = 0n;
    const clock = new StepClock(() => t);
    clock.enter('fill');
    t += 2_500_000n; // 2.5 ms
    clock.enter('verify');
    t += 1_000_000n;
    clock.enter('fill');
    t += 500_000n;
    clock.stop();
    expect(clock.ms('fill')).toBe(3);
    expect(clock.ms('verify')).toBe(1);
    expect(clock.ms('export')).toBeUndefined();
  });

  it('does not count a step that has not ended', () => {
    let t = 0n;
    const clock = new StepClock(() => t);
    clock.enter('verify');
    t += 7_000_000n;
    expect(clock.ms('verify')).toBeUndefined();
    clock.stop();
    clock.stop();
    expect(clock.ms('verify')).toBe(7);
  });
});

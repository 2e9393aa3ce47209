import { describe, expect, it } from 'vitest';
import { DEFAULTS, ScenarioError, validateScenario } from '../../src/scenario/scenario.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

const validate = (over: Partial<typeof DEFAULTS>) => validateScenario({ ...DEFAULTS, ...over }, resolveStrategies);

describe('validateScenario', () => {
  it('accepts the defaults', () => {
    const s = validate({});
    expect(s.sizeBytes).toBe(256 * 2 ** 20);
    expect(s.blockSize).toBe(4096);
    expect(s.writeRateBps).toBe(64e6);
    expect(s.linkBps).toBe(1e9);
    expect(s.reps).toBe(3);
    expect(s.strategies).toContain('kill-copy-boot');
  });

  it('expands groups and lists without duplicates', () => {
    expect(validate({ strategy: 'all-orderings' }).strategies).toHaveLength(6);
    expect(validate({ strategy: 'kill-copy-boot,all-orderings' }).strategies).toHaveLength(6);
    expect(validate({ strategy: 'copy-boot-kill, kill-copy-boot' }).strategies).toEqual(['copy-boot-kill', 'kill-copy-boot']);
  });

  it.each([
    [{ strategy: 'teleport' }, /--strategy: unknown strategy "teleport"/],
    [{ size: '-64MiB' }, /--size/],
    [{ size: '0' }, /--size must be greater than 0/],
    [{ reps: '0' }, /--reps/],
    [{ blockSize: '3000' }, /power of two/],
    [{ blockSize: '256' }, /at least 512/],
    [{ size: '1000000', blockSize: '4KiB' }, /does not divide/],
    [{ writeRate: '8MB' }, /--write-rate/],
    [{ link: '1Gbit/h' }, /--link/],
    [{ size: '100GiB', link: '10Mbit/s' }, /needs .* more than --timeout/],
  ])('rejects %j', (over, message) => {
    expect(() => validate(over as Partial<typeof DEFAULTS>)).toThrow(ScenarioError);
    expect(() => validate(over as Partial<typeof DEFAULTS>)).toThrow(message);
  });
});

describe('clone options', () => {
  it('defaults to an automatic backend, 64 KiB regions, unlimited and auto-sized hydration', () => {
    const s = validate({});
    expect(s).toMatchObject({ backend: 'auto', regionSizeBytes: 65536, hydrationRateBps: 0, hydrationInflightBytes: 'auto' });
  });
  it.each([
    [{ backend: 'zfs' }, /unknown backend/],
    [{ regionSize: '3KiB' }, /--region-size/],
    [{ hydrationRate: 'fast' }, /--hydration-rate/],
    [{ hydrationInflight: '1KiB' }, /--hydration-inflight/],
    [{ hydrationThreshold: '0' }, /--hydration-threshold/],
  ])('rejects %j', (over, message) => {
    expect(() => validate(over as Partial<typeof DEFAULTS>)).toThrow(message);
  });
});

describe('pre-copy dirty tracking', () => {
  it('defaults to auto and takes qemu or dm-era', () => {
    expect(validate({}).tracking).toBe('auto');
    expect(validate({ tracking: 'dm-era' }).tracking).toBe('dm-era');
    expect(validate({ tracking: 'qemu' }).tracking).toBe('qemu');
  });
  it('rejects anything else, naming the option and the choices', () => {
    expect(() => validate({ tracking: 'cbt' })).toThrow(/--tracking: unknown dirty tracking "cbt" \(auto, qemu, dm-era\)/);
  });
});

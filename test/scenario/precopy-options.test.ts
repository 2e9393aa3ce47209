import { describe, expect, it } from 'vitest';
import { DEFAULTS, ScenarioError, validateScenario } from '../../src/scenario/scenario.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

const validate = (over: Partial<typeof DEFAULTS>) => validateScenario({ ...DEFAULTS, ...over }, resolveStrategies);

describe('precopy and backup-restore options', () => {
  it('defaults to 8 rounds, 4 MiB convergence and a 5 s old backup', () => {
    const s = validate({ strategy: 'precopy,backup-restore,mirror' });
    expect(s.strategies).toEqual(['precopy', 'backup-restore', 'mirror']);
    expect(s.maxRounds).toBe(8);
    expect(s.convergeBytes).toBe(4 * 2 ** 20);
    expect(s.backupAgeMs).toBe(5000);
  });

  it.each([
    [{ maxRounds: '0' }, /--max-rounds/],
    [{ maxRounds: 'many' }, /--max-rounds/],
    [{ convergeBytes: 'small' }, /--converge-bytes/],
    [{ backupAge: 'yesterday' }, /--backup-age/],
  ])('refuses %o', (over, message) => {
    expect(() => validate(over)).toThrow(ScenarioError);
    expect(() => validate(over)).toThrow(message);
  });
});

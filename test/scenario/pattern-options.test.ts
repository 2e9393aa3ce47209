import { describe, expect, it } from 'vitest';
import { parseScenarioFile } from '../../src/scenario/scenario-file.js';
import { DEFAULTS, ScenarioError, validateScenario } from '../../src/scenario/scenario.js';
import { expandSweep } from '../../src/scenario/sweep.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

const validate = (over: Partial<typeof DEFAULTS>) => validateScenario({ ...DEFAULTS, ...over }, resolveStrategies);

describe('--write-pattern / --read-pattern', () => {
  it('default to uniform', () => {
    const s = validate({});
    expect([s.writePattern, s.readPattern]).toEqual(['uniform', 'uniform']);
  });

  it('keep the canonical text', () => {
    const s = validate({ writePattern: ' 80%hotset:0.05/0.95 + 20%sequential', readPattern: 'zipf:0.99' });
    expect([s.writePattern, s.readPattern]).toEqual(['80%hotset:0.05/0.95+20%sequential', 'zipf:0.99']);
  });

  it('refuse a bad pattern, naming the option', () => {
    expect(() => validate({ writePattern: 'hotset:0.05' })).toThrow(ScenarioError);
    expect(() => validate({ writePattern: 'hotset:0.05' })).toThrow(/^--write-pattern: hotset needs F\/P/);
    expect(() => validate({ readPattern: 'zipf:0' })).toThrow(/^--read-pattern: zipf skew 0 must be/);
  });

  it('refuse a pattern for a workload that does not choose blocks', () => {
    expect(() => validate({ workload: 'http', strategy: 'kill-copy-boot', writePattern: 'zipf:1' })).toThrow(/--write-pattern zipf:1: only the stamped workload/);
    expect(() => validate({ workload: 'http', strategy: 'kill-copy-boot' })).not.toThrow();
  });

  it('sweep: a comma list is one point per pattern (a mix has no comma)', () => {
    const points = expandSweep({ ...DEFAULTS, strategy: 'precopy', writePattern: 'uniform,hotset:0.05/0.95,80%zipf:1+20%sequential' }, resolveStrategies);
    expect(points.map((p) => p.scenario.writePattern)).toEqual(['uniform', 'hotset:0.05/0.95', '80%zipf:1+20%sequential']);
    expect(points[1]!.label).toBe('write-pattern=hotset:0.05/0.95');
  });

  it('a scenario file takes a pattern or a list of them', () => {
    expect(parseScenarioFile({ 'write-pattern': ['uniform', 'zipf:1.1'], 'read-pattern': 'hotset:0.1/0.9' })).toEqual({ writePattern: 'uniform,zipf:1.1', readPattern: 'hotset:0.1/0.9' });
  });
});

describe('bench/scenarios/write-patterns.json', () => {
  it('sweeps the four patterns of docs/workloads.md', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseScenarioText } = await import('../../src/scenario/scenario-file.js');
    const f = parseScenarioText(readFileSync(new URL('../../bench/scenarios/write-patterns.json', import.meta.url), 'utf8'), 'write-patterns.json');
    const points = expandSweep({ ...DEFAULTS, ...f }, resolveStrategies);
    expect(points.map((p) => p.scenario.writePattern)).toEqual(['uniform', 'zipf:0.99', 'hotset:0.05/0.95', 'sequential']);
  });
});

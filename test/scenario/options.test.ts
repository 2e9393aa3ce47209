import { describe, expect, it } from 'vitest';
import { DEFAULTS, OPTION_GROUPS, RUN_OPTIONS, SCENARIO_OPTIONS, SWEEPABLE, type RawScenario } from '../../src/scenario/options.js';
import { parseScenarioFile, SCENARIO_FILE_SCHEMA } from '../../src/scenario/scenario-file.js';
import { ScenarioError, validateScenario } from '../../src/scenario/scenario.js';
import { expandSweep } from '../../src/scenario/sweep.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

/** A raw scenario that runs with any single option changed (http needs an ordering that copies first). */
const base: RawScenario = { ...DEFAULTS, strategy: 'kill-copy-boot' };

describe('the option declarations', () => {
  it('have unique flags and properties, a known group, and a help text', () => {
    expect(new Set(RUN_OPTIONS.map((o) => o.flag)).size).toBe(RUN_OPTIONS.length);
    expect(new Set(RUN_OPTIONS.map((o) => o.prop)).size).toBe(RUN_OPTIONS.length);
    for (const o of RUN_OPTIONS) {
      expect(OPTION_GROUPS, o.flag).toContain(o.group);
      expect(o.help.length, o.flag).toBeGreaterThan(5);
      if ('choices' in o) expect(o.choices, o.flag).toContain(o.example);
      if ('default' in o && 'choices' in o) expect(o.choices, o.flag).toContain(o.default);
    }
  });

  it('only --scenario, --dry-run, the hosts (machines, not a scenario) with their clock bound and the output options stay off scenario files', () => {
    expect(RUN_OPTIONS.filter((o) => !SCENARIO_OPTIONS.includes(o)).map((o) => o.flag)).toEqual(['scenario', 'hosts', 'host-a', 'host-b', 'max-clock-uncertainty', 'dry-run', 'out', 'overwrite', 'append']);
  });

  it('keep the sweep order of the sweep labels (runs.csv sweep_point)', () => {
    expect(Object.values(SWEEPABLE)).toEqual([
      'size', 'block-size', 'write-rate', 'read-rate', 'write-pattern', 'read-pattern', 'link', 'latency', 'warmup', 'health', 'settle', 'region-size',
      'hydration-rate', 'hydration-inflight', 'hydration-yield', 'hydration-threshold', 'hydration-batch', 'max-rounds', 'converge-bytes', 'backup-age', 'fault',
    ]);
  });

  it('give the defaults the run had before they were declared once (probe fio since issue 14)', () => {
    expect(DEFAULTS).toEqual({
      strategy: 'all', size: '256MiB', blockSize: '4KiB', writeRate: '8MB/s', readRate: '200/s', link: '1Gbit/s', latency: '0ms', reps: '3',
      backingDir: '/dev/shm', warmup: '2s', health: '500ms', settle: '2s', timeout: '10min', window: '250ms', backend: 'auto', regionSize: '64KiB',
      hydrationRate: 'unlimited', hydrationInflight: 'auto', hydrationYield: '9', probe: 'fio', tracking: 'auto', maxRounds: '8', convergeBytes: '4MiB', backupAge: '5s',
      workload: 'stamped', httpConnections: '4', dbClients: '4', volumes: '1', stagger: '0ms', writePattern: 'uniform', readPattern: 'uniform', fault: 'none',
    });
  });

  it('the schema has a property for every file option and nothing else', () => {
    expect(Object.keys(SCENARIO_FILE_SCHEMA.properties).sort()).toEqual(['$schema', 'description', ...SCENARIO_OPTIONS.map((o) => o.flag)].sort());
  });
});

describe.each(SCENARIO_OPTIONS.map((o) => [o.flag, o] as const))('--%s in a scenario file', (_flag, o) => {
  it('gives the raw value the command line gives, and the example validates', () => {
    // The command line hands every value over as the typed string.
    expect(parseScenarioFile({ [o.flag]: o.example })).toEqual({ [o.prop]: o.example });
    const raw = { ...base, [o.prop]: o.example };
    expect(() => validateScenario(raw, resolveStrategies)).not.toThrow();
  });

  it.runIf(o.kind === 'count')('takes a JSON integer', () => {
    expect(parseScenarioFile({ [o.flag]: Number(o.example) })).toEqual({ [o.prop]: o.example });
    expect(() => parseScenarioFile({ [o.flag]: 1.5 })).toThrow(new RegExp(`field "${o.flag}" must be a whole number`));
  });

  it.runIf(o.sweepable === true)('takes a list: a sweep', () => {
    const f = parseScenarioFile({ [o.flag]: [o.example, o.default ?? '2'] });
    expect(f).toEqual({ [o.prop]: `${o.example},${o.default ?? '2'}` });
    const points = expandSweep({ ...base, ...f }, resolveStrategies);
    expect(points.map((p) => p.label)).toEqual([`${o.flag}=${o.example}`, `${o.flag}=${o.default ?? '2'}`]);
  });

  it.runIf(o.sweepable !== true && o.kind !== 'strategies')('refuses a list', () => {
    expect(() => parseScenarioFile({ [o.flag]: [o.example, o.example] })).toThrow(new RegExp(`field "${o.flag}"`));
  });

  it.runIf(o.kind === 'enum')('refuses a value outside its choices, naming them', () => {
    expect(() => parseScenarioFile({ [o.flag]: 'nope' })).toThrow(ScenarioError);
    expect(() => parseScenarioFile({ [o.flag]: 'nope' })).toThrow(new RegExp(`field "${o.flag}" .*\\(${(o.choices ?? []).join(', ')}\\)`));
  });
});

describe('the README promise: a scenario file takes the same options', () => {
  it('accepts {"workload": "http", "probe": "fio", "volumes": 2}', () => {
    const f = parseScenarioFile({ workload: 'http', probe: 'fio', volumes: 2 });
    expect(f).toEqual({ workload: 'http', probe: 'fio', volumes: '2' });
    const s = validateScenario({ ...base, ...f }, resolveStrategies);
    expect({ workload: s.workload, probe: s.probe, volumes: s.volumes }).toEqual({ workload: 'http', probe: 'fio', volumes: 2 });
  });

  it('still refuses an unknown field, listing the known ones', () => {
    expect(() => parseScenarioFile({ volume: 2 })).toThrow(/unknown field "volume" \(known: .*volumes.*\)/);
  });
});

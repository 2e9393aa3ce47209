import { describe, expect, it } from 'vitest';
import { DEFAULTS, ScenarioError } from '../../src/scenario/scenario.js';
import { mergeScenario, parseScenarioFile, parseScenarioText } from '../../src/scenario/scenario-file.js';
import { expandSweep } from '../../src/scenario/sweep.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

describe('scenario files', () => {
  it('lists become sweep dimensions, numbers become strings', () => {
    const f = parseScenarioFile({ description: 'nightly', strategy: ['kill-copy-boot', 'async-clone'], size: ['32MiB', '64MiB'], 'write-rate': '4MB/s', reps: 2, 'read-rate': 100 });
    expect(f).toEqual({ strategy: 'kill-copy-boot,async-clone', size: '32MiB,64MiB', writeRate: '4MB/s', reps: '2', readRate: '100' });
    const points = expandSweep({ ...DEFAULTS, ...f }, resolveStrategies);
    expect(points.map((p) => p.label)).toEqual(['size=32MiB', 'size=64MiB']);
    expect(points[0]!.scenario.strategies).toEqual(['kill-copy-boot', 'async-clone']);
  });

  it.each([
    [{ sise: '64MiB' }, /unknown field "sise"/],
    [{ size: [] }, /field "size" must be a string, a number or a non-empty list/],
    [{ link: { rate: 1 } }, /field "link" must be/],
    [{ reps: 0 }, /field "reps"/],
    [{ backend: 'zfs' }, /field "backend" must be equal to one of the allowed values \(auto, qemu, dm-clone\)/],
    [{ tracking: 'cbt' }, /field "tracking" must be equal to one of the allowed values \(auto, qemu, dm-era\)/],
    [{ workload: 'ftp' }, /field "workload" must be equal to one of the allowed values \(stamped, http, postgres\)/],
    [{ probe: 'strace' }, /field "probe" must be equal to one of the allowed values \(stamped, fio\)/],
    [{ reps: 2.5 }, /field "reps" must be a whole number/],
    [{ volumes: [1, 2] }, /field "volumes" must be a whole number/],
    [{ 'max-rounds': [4, 0.5] }, /field "max-rounds" must be a whole number or a non-empty list of them/],
    [{ out: 'results/x' }, /unknown field "out"/],
    [{ 'dry-run': true }, /unknown field "dry-run"/],
    [[1, 2], /field "\(root\)" must be object/],
  ])('schema errors name the field: %j', (json, message) => {
    expect(() => parseScenarioFile(json, 'f.json')).toThrow(ScenarioError);
    expect(() => parseScenarioFile(json, 'f.json')).toThrow(message);
  });

  it('takes every run option, the application options too', () => {
    const f = parseScenarioFile({ workload: 'http', 'http-connections': 8, volumes: 2, stagger: '100ms', probe: 'fio', 'backing-dir': '/var/tmp', 'boot-cmd': 'true' });
    expect(f).toEqual({ workload: 'http', httpConnections: '8', volumes: '2', stagger: '100ms', probe: 'fio', backingDir: '/var/tmp', bootCmd: 'true' });
    const s = expandSweep({ ...DEFAULTS, strategy: 'kill-copy-boot', ...f }, resolveStrategies)[0]!.scenario;
    expect(s).toMatchObject({ workload: 'http', httpConnections: 8, volumes: 2, staggerMs: 100, probe: 'fio', backingDir: '/var/tmp', bootCmd: 'true' });
  });

  it('a value the schema allows is still checked by the option parser', () => {
    const f = parseScenarioFile({ size: ['64MiB', '1 parsec'] });
    expect(() => expandSweep({ ...DEFAULTS, ...f }, resolveStrategies)).toThrow(/--size: .*"1 parsec"/);
  });

  it('JSON syntax errors', () => {
    expect(() => parseScenarioText('{"size": ', 'x.json')).toThrow(/x\.json: not valid JSON/);
  });

  it('the command line wins over the file, the file over the defaults', () => {
    const opts = { ...DEFAULTS, size: '1GiB', link: '200Mbit/s' };
    const merged = mergeScenario(opts, { size: '32MiB', link: '1Gbit/s,2Gbit/s', reps: '5' }, new Set(['size']));
    expect(merged.size).toBe('1GiB');
    expect(merged.link).toBe('1Gbit/s,2Gbit/s');
    expect(merged.reps).toBe('5');
  });
});

describe('the nightly scenario in the repo', () => {
  it('is valid and expands to its fixed sweep', async () => {
    const { readFileSync } = await import('node:fs');
    const f = parseScenarioText(readFileSync(new URL('../../bench/scenarios/nightly.json', import.meta.url), 'utf8'), 'nightly.json');
    const points = expandSweep({ ...DEFAULTS, ...f }, resolveStrategies);
    expect(points.map((p) => p.label)).toEqual(['size=64MiB', 'size=256MiB']);
    expect(points[0]!.scenario.reps).toBe(5);
  });
});

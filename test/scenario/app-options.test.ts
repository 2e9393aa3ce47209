import { describe, expect, it } from 'vitest';
import { validateAppOptions } from '../../src/scenario/app-options.js';
import { DEFAULTS, ScenarioError, validateScenario } from '../../src/scenario/scenario.js';
import { resolveStrategies } from '../../src/strategy/registry.js';

const MiB = 2 ** 20;

describe('--workload, --http-connections, --volumes, --stagger', () => {
  it('defaults to the stamped workload on one volume', () => {
    const s = validateScenario(DEFAULTS, resolveStrategies);
    expect({ workload: s.workload, volumes: s.volumes, staggerMs: s.staggerMs, httpConnections: s.httpConnections }).toEqual({
      workload: 'stamped',
      volumes: 1,
      staggerMs: 0,
      httpConnections: 4,
    });
  });

  it('accepts the HTTP workload with the strategies that copy or clone before boot', () => {
    const s = validateScenario({ ...DEFAULTS, workload: 'http', strategy: 'kill-copy-boot,copy-boot-kill,async-clone', volumes: '3', stagger: '500ms' }, resolveStrategies);
    expect(s.workload).toBe('http');
    expect(s.volumes).toBe(3);
    expect(s.staggerMs).toBe(500);
  });

  it('takes `all` under the HTTP workload as every strategy it can run, and refuses the others by name', () => {
    expect(validateScenario({ ...DEFAULTS, workload: 'http' }, resolveStrategies).strategies).toEqual(['kill-copy-boot', 'copy-kill-boot', 'copy-boot-kill', 'async-clone']);
    expect(() => validateScenario({ ...DEFAULTS, workload: 'http', strategy: 'all-orderings' }, resolveStrategies)).toThrow(/cannot run kill-boot-copy, boot-kill-copy, boot-copy-kill/);
  });

  it('takes `all` under the PostgreSQL workload as the HTTP workload\'s strategies, with --tps and --db-clients', () => {
    const s = validateScenario({ ...DEFAULTS, workload: 'postgres', tps: '150/s', dbClients: '8' }, resolveStrategies);
    expect(s.strategies).toEqual(['kill-copy-boot', 'copy-kill-boot', 'copy-boot-kill', 'async-clone']);
    expect([s.tps, s.dbClients]).toEqual([150, 8]);
    expect(validateScenario({ ...DEFAULTS, workload: 'postgres' }, resolveStrategies).tps).toBeUndefined();
  });

  it('refuses bad input with the option named', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ workload: 'ftp' }, /--workload: unknown workload "ftp"/],
      [{ workload: 'http', strategy: 'kill-boot-copy' }, /--workload http cannot run kill-boot-copy/],
      [{ workload: 'http', strategy: 'kill-copy-boot', size: '8MiB' }, /at least 16MiB/],
      [{ volumes: '0' }, /--volumes/],
      [{ volumes: '17' }, /--volumes: at most 16/],
      [{ volumes: 'two' }, /--volumes/],
      [{ stagger: 'soon' }, /--stagger/],
      [{ httpConnections: '0' }, /--http-connections/],
      [{ workload: 'postgres', strategy: 'boot-copy-kill' }, /--workload postgres cannot run boot-copy-kill/],
      [{ workload: 'postgres', strategy: 'kill-copy-boot', size: '32MiB' }, /--workload postgres needs --size of at least 64MiB/],
      [{ dbClients: '0' }, /--db-clients/],
      [{ dbClients: '65' }, /--db-clients: at most 64/],
      [{ tps: 'fast' }, /--tps/],
      [{ tps: '0' }, /--tps: must be greater than 0/],
    ];
    for (const [raw, msg] of bad) {
      expect(() => validateScenario({ ...DEFAULTS, strategy: 'kill-copy-boot', ...raw }, resolveStrategies), JSON.stringify(raw)).toThrow(ScenarioError);
      expect(() => validateScenario({ ...DEFAULTS, strategy: 'kill-copy-boot', ...raw }, resolveStrategies)).toThrow(msg);
    }
  });

  it('is pure: validates without provisioning', () => {
    expect(validateAppOptions({}, ['kill-copy-boot'], 64 * MiB)).toEqual({ workload: 'stamped', httpConnections: 4, dbClients: 4, tps: undefined, volumes: 1, staggerMs: 0 });
  });
});

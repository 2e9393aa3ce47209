import { describe, expect, it } from 'vitest';
import { environmentDifferences } from '../../src/analysis/compare-environment.js';
import { defaultRun, inject, mapRows } from './compare-fixture.js';

describe('environmentDifferences on the default run', () => {
  it('none against itself', () => {
    const r = defaultRun();
    expect(environmentDifferences(r, r)).toEqual([]);
  });

  it('a changed clone backend (meta.json and runs.csv) is listed', () => {
    const base = defaultRun();
    const cand = inject(defaultRun(), 'async-clone', 'backend', 'dm-clone');
    cand.meta.clone_backend = 'dm-clone';
    expect(environmentDifferences(base, cand)).toEqual([{ what: 'clone backend', base: 'qemu', candidate: 'dm-clone' }]);
  });

  it('a changed dirty tracking is listed', () => {
    const cand = inject(defaultRun(), 'precopy', 'tracking', 'dm-era');
    expect(environmentDifferences(defaultRun(), cand)).toEqual([{ what: 'dirty tracking', base: 'qemu', candidate: 'dm-era' }]);
  });

  it('kernel, CPU model and count, node and tool versions are listed', () => {
    const cand = defaultRun();
    cand.meta.host = { ...cand.meta.host!, kernel: '6.8.0-51-generic', cpu: 'Intel Xeon', cpus: 4 };
    cand.meta.node = 'v22.1.0';
    cand.meta.tools = { ...cand.meta.tools, nbdcopy: 'nbdcopy 1.20.1' };
    expect(environmentDifferences(defaultRun(), cand)).toEqual([
      { what: 'kernel', base: '6.18.44-fc-v782', candidate: '6.8.0-51-generic' },
      { what: 'CPU model', base: 'AMD EPYC', candidate: 'Intel Xeon' },
      { what: 'CPU count', base: '2', candidate: '4' },
      { what: 'node', base: 'v20.20.2', candidate: 'v22.1.0' },
      { what: 'tool nbdcopy', base: 'nbdcopy 1.14.2', candidate: 'nbdcopy 1.20.1' },
    ]);
  });

  it('a measured link beyond ±10 % is listed; within it, not', () => {
    const scaled = (k: number) => mapRows(defaultRun(), (row) => ({ ...row, link_measured_bps: String(Math.round(k * Number(row.link_measured_bps))) }));
    expect(environmentDifferences(defaultRun(), scaled(0.95))).toEqual([]);
    const d = environmentDifferences(defaultRun(), scaled(0.8));
    expect(d).toHaveLength(1);
    expect(d[0]!.what).toMatch(/^measured link \(1 Gbit\/s asked; -20\.0 %, beyond ±10 %\)$/);
  });

  it('a delivered write rate beyond ±10 % is a different scenario, listed per strategy; within it, not', () => {
    const delivered = (bps: (strategy: string) => number) => mapRows(defaultRun(), (row) => ({ ...row, write_rate_achieved_bps_baseline: String(bps(row.strategy!)) }));
    const base = delivered(() => 64e6);
    expect(environmentDifferences(base, delivered(() => 61e6))).toEqual([]);
    const d = environmentDifferences(base, delivered((s) => (s === 'precopy' ? 16e6 : 64e6)));
    expect(d).toEqual([{ what: 'delivered write rate, precopy (-75.0 %, beyond ±10 %: a different scenario)', base: '64 Mbit/s', candidate: '16 Mbit/s' }]);
  });

  it('a run without meta.json: what only one side recorded is listed as not recorded', () => {
    const bare = { ...defaultRun(), meta: {} };
    expect(environmentDifferences(bare, defaultRun()).map((d) => d.what)).toEqual(['kernel', 'CPU model', 'CPU count', 'node', 'tool versions']);
    expect(environmentDifferences(bare, bare)).toEqual([]);
  });
});

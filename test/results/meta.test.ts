import { describe, expect, it } from 'vitest';
import { runMeta, sweepMeta, type Provenance } from '../../src/results/meta.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import type { SweepPoint } from '../../src/scenario/sweep.js';

const scenario = { linkBps: 1e9, latencyMs: 5, sizeBytes: 64 * 2 ** 20 } as Scenario;
const provenance: Provenance = {
  git: { revision: 'abc123', dirty: false },
  tools: { nbdkit: 'nbdkit 1.32' },
  host: { hostname: 'h', kernel: '6.1', cpu: 'cpu', cpus: 2, memory_bytes: 4e9 },
  node: 'v20.0.0',
  startedAt: '2024-01-01T00:00:00.000Z',
};

describe('runMeta', () => {
  it('shapes meta.json from the run, its link and what was collected, keys in file order', () => {
    const m = runMeta('r1', scenario, { measuredBps: 912_345_678.9, probeBytes: 256 * 2 ** 20, requestRttMs: 10.25 }, '0.1.0', undefined, provenance);
    expect(Object.keys(m)).toEqual(['run_id', 'migbench_version', 'git_revision', 'git_dirty', 'started_at', 'host', 'node', 'tools', 'scenario', 'clone_backend', 'link', 'fault_tolerance']);
    expect(m).toMatchObject({ run_id: 'r1', migbench_version: '0.1.0', git_revision: 'abc123', git_dirty: false, started_at: provenance.startedAt, clone_backend: null });
    expect(m.link).toEqual({ requested_bps: 1e9, measured_bps: 912_345_679, probe_bytes: 256 * 2 ** 20, latency_ms: 5, request_rtt_ms: 10.25 });
    expect(runMeta('r1', scenario, { measuredBps: 1, probeBytes: 1, requestRttMs: 1 }, '0.1.0', 'qemu', provenance).clone_backend).toBe('qemu');
  });
});

describe('sweepMeta', () => {
  const meta = runMeta('r1', scenario, { measuredBps: 1, probeBytes: 1, requestRttMs: 1 }, '0.1.0', undefined, provenance);
  const point = (label: string, size: string) => ({ label, params: { size } }) as unknown as SweepPoint;

  it('adds the swept options and point labels', () => {
    expect(sweepMeta(meta, [point('size=16MiB', '16MiB'), point('size=32MiB', '32MiB')]).sweep).toEqual({
      options: ['size'],
      points: [
        { label: 'size=16MiB', params: { size: '16MiB' } },
        { label: 'size=32MiB', params: { size: '32MiB' } },
      ],
    });
  });

  it('leaves a run without a sweep unchanged', () => {
    expect(sweepMeta(meta, [point('', '64MiB')])).toBe(meta);
  });
});

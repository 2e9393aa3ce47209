import { describe, expect, it } from 'vitest';
import type { MigrationMetrics } from '../../src/measure/metrics.js';
import { Timeline } from '../../src/measure/timeline.js';
import { emptyVerification } from '../../src/measure/verifier.js';
import type { PrecopyStats } from '../../src/strategy/context.js';
import { repetitionResult, type RepetitionRecord } from '../../src/strategy/repetition-result.js';
import type { WorkloadFigures } from '../../src/workload/workload.js';

const figures: WorkloadFigures = {
  verification: { ...emptyVerification(), lostBytes: 4096, divergedBytes: 8192 },
  staleReads: 3,
  ackedWrites: 17,
  lastAckSourceNs: 100,
  metricReads: { source: [], dest: [] },
  reads: [{ scheduledNs: 1, completedNs: 2 }],
  acks: [{ type: 1, index: 0, epoch: 1, seq: 0, stampNs: 5, ackNs: 6 }],
};

function record(over: Partial<RepetitionRecord> = {}): RepetitionRecord {
  return {
    strategy: 'kill-copy-boot',
    rep: 2,
    volume: undefined,
    timeline: new Timeline(),
    metrics: { interruption_ms: 1 } as Partial<MigrationMetrics> as MigrationMetrics,
    wireBytes: 1234,
    outcome: { dest: { device: '/dev/b', firstAckNs: 50 }, copySeconds: 1.5 },
    figures,
    ...over,
  };
}

describe('repetitionResult', () => {
  it('records the strategy outcome and the workload figures in their columns', () => {
    const r = repetitionResult(record());
    expect(r).toMatchObject({
      strategy: 'kill-copy-boot',
      rep: 2,
      status: 'ok',
      error: '',
      bytesOnWire: 1234,
      copySeconds: 1.5,
      backend: undefined,
      verification: figures.verification,
      staleReads: 3,
      ackedWrites: 17,
      reads: figures.reads,
      acks: figures.acks,
    });
    // Absent, not undefined: the rows tell a stamped row without pre-copy from one with.
    expect('precopy' in r).toBe(false);
    expect('app' in r).toBe(false);
    expect('volume' in r).toBe(false);
  });

  it('carries the clone backend, pre-copy rounds, app figures and drain volume when there are some', () => {
    const precopy: PrecopyStats = { rounds: 3, converged: true, tracking: 'qemu', finalDeltaBytes: 4096, passes: [] };
    const app = { clientGapMs: 12, errors: 1, timeouts: 0, lostRequests: 0, lostSample: [], corruptSlots: 0 };
    const r = repetitionResult(record({ volume: 3, outcome: { dest: { device: '/dev/b', firstAckNs: 50 }, backend: 'qemu', precopy }, figures: { ...figures, app } }));
    expect(r.backend).toBe('qemu');
    expect(r.copySeconds).toBeUndefined();
    expect(r.precopy).toBe(precopy);
    expect(r.app).toBe(app);
    expect(r.volume).toBe(3);
  });
});

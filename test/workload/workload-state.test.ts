import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/measure/timeline.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { createWorkload } from '../../src/workload/create.js';
import { HttpWorkload } from '../../src/workload/http/http-workload.js';
import { StampedWorkload } from '../../src/workload/stamped-workload.js';
import { WorkloadStateError, type WorkloadEnv } from '../../src/workload/workload.js';

/** An environment no step below gets far enough to use (each fails on its state first). */
function env(workload: Scenario['workload']): WorkloadEnv {
  const scenario = { workload, sizeBytes: 16 * 2 ** 20, blockSize: 4096 } as Partial<Scenario> as Scenario;
  return { scenario, rep: 1, workDir: '/nonexistent', signal: new AbortController().signal } as Partial<WorkloadEnv> as WorkloadEnv;
}

describe('workloads', () => {
  it('--workload picks the implementation', () => {
    expect(createWorkload(env('stamped'))).toBeInstanceOf(StampedWorkload);
    expect(createWorkload(env('http'))).toBeInstanceOf(HttpWorkload);
  });

  it('refuse steps out of order with a WorkloadStateError', async () => {
    const stamped = new StampedWorkload(env('stamped'));
    await expect(stamped.kill()).rejects.toBeInstanceOf(WorkloadStateError);
    await expect(stamped.waitDestAck(0)).rejects.toBeInstanceOf(WorkloadStateError);
    await expect(stamped.verify('/dev/null', new Timeline())).rejects.toBeInstanceOf(WorkloadStateError);
    const http = new HttpWorkload(env('http'));
    await expect(http.start('/dev/null')).rejects.toBeInstanceOf(WorkloadStateError);
    await expect(http.kill()).rejects.toBeInstanceOf(WorkloadStateError);
    await expect(http.boot('/dev/null')).rejects.toBeInstanceOf(WorkloadStateError);
  });
});

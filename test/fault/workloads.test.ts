import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../src/fault/spec.js';
import { faultWorkloadProblem } from '../../src/fault/workloads.js';

describe('faultWorkloadProblem', () => {
  const f = parseFaultSpec;
  it('lets every fault run with the stamped and postgres workloads on one volume', () => {
    for (const spec of ['link-down@kill+1s/2s', 'source-crash@hydration:50%', 'dest-crash@hydration:50%', 'source-eio@hydration/2s']) {
      expect(faultWorkloadProblem(f(spec), 'stamped', 1), spec).toBeUndefined();
      expect(faultWorkloadProblem(f(spec), 'postgres', 1), spec).toBeUndefined();
    }
  });
  it('lets the http workload take the faults it can measure', () => {
    expect(faultWorkloadProblem(f('link-down@kill+1s/2s'), 'http', 1)).toBeUndefined();
    expect(faultWorkloadProblem(f('source-eio@hydration/2s'), 'http', 1)).toBeUndefined();
  });
  it('refuses, saying why, a drain, dest-crash without a reboot, and http with a lost source', () => {
    expect(faultWorkloadProblem(f('link-down@kill+1s/2s'), 'postgres', 2)).toMatch(/one volume.*drain of 2/);
    expect(faultWorkloadProblem(f('dest-crash@hydration:50%'), 'http', 1)).toMatch(/cannot be crashed on B and booted again/);
    expect(faultWorkloadProblem(f('source-crash@kill+1s'), 'http', 1)).toMatch(/cannot measure a source lost for good/);
  });
});

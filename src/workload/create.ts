import { HttpWorkload } from './http/http-workload.js';
import { PostgresWorkload } from './postgres/postgres-workload.js';
import { StampedWorkload } from './stamped-workload.js';
import type { Workload, WorkloadEnv } from './workload.js';

/** The workload `--workload` names, for one repetition. */
export function createWorkload(env: WorkloadEnv): Workload {
  switch (env.scenario.workload) {
    case 'stamped':
      return new StampedWorkload(env);
    case 'http':
      return new HttpWorkload(env);
    case 'postgres':
      return new PostgresWorkload(env);
  }
}

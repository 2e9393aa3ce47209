/**
 * Which workloads a `--fault` runs with (checked with the scenario, before anything is
 * provisioned). The application workloads (http, postgres) take faults like the stamped
 * one: the fault acts on the export and the link, and what the application saw is its own
 * figures (lost commits or requests, errors, client gap). What stays refused cannot be
 * measured, and the message says why.
 */
import type { FaultSpec } from './spec.js';

/** The workloads that can be crashed on B and booted again there (Workload.crashDest/rebootDest). */
const DEST_CRASHABLE: readonly string[] = ['stamped', 'postgres'];

/** Why `fault` cannot run with `workload` over `volumes` volumes, or undefined when it can. Pure. */
export function faultWorkloadProblem(fault: FaultSpec, workload: string, volumes: number): string | undefined {
  // The injector acts on one repetition's export, link and clone; a drain has N of each.
  if (volumes > 1) return `--fault ${fault.text}: faults act on one volume's export, link and clone, not on a drain of ${volumes} (--volumes 1)`;
  if (fault.kind === 'dest-crash' && !DEST_CRASHABLE.includes(workload)) {
    return `--fault ${fault.text}: the ${workload} workload cannot be crashed on B and booted again there (dest-crash runs with the stamped and postgres workloads)`;
  }
  if (fault.kind === 'source-crash' && workload === 'http') {
    // Its boot and its verifier read the service's data file; a source lost for good leaves
    // regions of B's ext4 unreadable, and the HTTP workload has no count of what that cost.
    return `--fault ${fault.text}: the http workload cannot measure a source lost for good (its boot and verifier need B's whole filesystem readable); use the postgres or stamped workload`;
  }
  return undefined;
}

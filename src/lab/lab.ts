import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from '../scenario/scenario.js';
import { createCpuGroup } from './cpu-cgroup.js';
import { createHostPair, type HostPair } from './hosts.js';
import { stateDir } from './ledger.js';
import { measureLink, type LinkMeasurement } from './link-probe.js';
import type { ResourceScope } from './scope.js';

/** The embedded lab: two hosts, the shaped link between them, and what it measured. */
export interface Lab {
  hosts: HostPair;
  link: LinkMeasurement;
  workDir: string;
}

/** Short, interface-name-safe prefix for a run's namespaces (IFNAMSIZ is 16). */
export function labPrefix(runId: string): string {
  return `mgb${runId.replace(/[^a-z0-9]/gi, '').slice(-6).toLowerCase()}`;
}

/** Provisions hosts A and B, shapes the link, and measures it. Owned by `scope`. */
export async function openLab(scope: ResourceScope, runId: string, s: Scenario): Promise<Lab> {
  const workDir = join(stateDir(), runId);
  await scope.acquire({ kind: 'dir', path: workDir }, () => mkdir(workDir, { recursive: true }), () => rm(workDir, { recursive: true, force: true }));
  const hosts = await createHostPair(scope, labPrefix(runId), { rateBps: s.linkBps });
  for (const h of [hosts.a, hosts.b]) {
    const group = await createCpuGroup(scope, runId, h.label.toLowerCase());
    if (group) h.joinCpuGroup(group);
  }
  const link = await measureLink(scope, hosts, s.latencyMs, workDir);
  return { hosts, link, workDir };
}

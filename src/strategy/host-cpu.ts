import type { HostPair } from '../lab/hosts.js';

/** CPU seconds of each host's cgroup (cpu-cgroup.ts); a side without a group is absent. */
export interface HostCpuSeconds {
  a?: number;
  b?: number;
}

/** Reads both hosts' CPU counters now. */
export async function hostCpuSeconds(hosts: HostPair): Promise<HostCpuSeconds> {
  const a = await hosts.a.cpu?.cpuSeconds();
  const b = await hosts.b.cpu?.cpuSeconds();
  return { ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) };
}

/** What each host used between two readings (pure); a side missing from either is absent. */
export function cpuSecondsSince(before: HostCpuSeconds, after: HostCpuSeconds): HostCpuSeconds {
  const d = (x: number | undefined, y: number | undefined): number | undefined => (x === undefined || y === undefined ? undefined : y - x);
  const a = d(before.a, after.a);
  const b = d(before.b, after.b);
  return { ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) };
}

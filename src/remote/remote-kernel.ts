import type { Scenario } from '../scenario/scenario.js';
import type { RemoteHost } from './remote-hosts.js';
import { aptTool, hostLacks, type HostNeed } from './host-needs.js';

/** device-mapper in the host's kernel and `dmsetup` (both kernel pieces need them). */
const DM_NEEDS: readonly HostNeed[] = [
  aptTool('dmsetup', 'dmsetup'),
  { what: 'device-mapper', test: 'grep -qw device-mapper /proc/misc', fix: 'modprobe dm-mod' },
];

/** A dm target the kernel offers now, or whose module it can load (creating a table autoloads it). */
const target = (name: string, module: string): HostNeed => ({
  what: `the ${name} target`,
  test: `dmsetup targets | grep -q '^${name} ' || modinfo ${module}`,
  fix: `a kernel with ${module} (CONFIG_DM_${name.toUpperCase()})`,
});

/**
 * `--backend dm-clone` on B: device-mapper with the clone target, and the kernel NBD client
 * (`nbd-client`, the nbd module) connecting to A's export.
 */
export const REMOTE_DM_CLONE_NEEDS: readonly HostNeed[] = [
  ...DM_NEEDS,
  target('clone', 'dm-clone'),
  aptTool('nbd-client', 'nbd-client'),
  { what: 'the kernel NBD client', test: 'test -e /sys/block/nbd0 || test -e /sys/module/nbd', fix: 'modprobe nbd' },
];

/** `--tracking dm-era` on A: device-mapper with the era target, and `era_invalidate`. */
export const REMOTE_DM_ERA_NEEDS: readonly HostNeed[] = [
  ...DM_NEEDS,
  target('era', 'dm-era'),
  aptTool('era_invalidate', 'thin-provisioning-tools'),
];

/**
 * Why the kernel pieces `s` asks for cannot run on the hosts, or undefined: dm-clone and the
 * kernel NBD client on B (`--backend dm-clone` with async-clone), dm-era on A (`--tracking
 * dm-era` with precopy). Asked on the host that will hold them, before anything is
 * provisioned (this machine's kernel says nothing about theirs); one round trip per host.
 */
export async function remoteKernelProblem(hosts: { a: RemoteHost; b: RemoteHost }, s: Pick<Scenario, 'strategies' | 'backend' | 'tracking'>): Promise<string | undefined> {
  const asks: { flag: string; h: RemoteHost; needs: readonly HostNeed[] }[] = [];
  if (s.strategies.includes('async-clone') && s.backend === 'dm-clone') asks.push({ flag: '--backend dm-clone', h: hosts.b, needs: REMOTE_DM_CLONE_NEEDS });
  if (s.strategies.includes('precopy') && s.tracking === 'dm-era') asks.push({ flag: '--tracking dm-era', h: hosts.a, needs: REMOTE_DM_ERA_NEEDS });
  const problems: string[] = [];
  for (const { flag, h, needs } of asks) {
    const missing = await hostLacks(h, needs);
    if (missing.length) problems.push(`${flag}: host ${h.spec.role} (${h.spec.target}) lacks ${missing.join(', ')}`);
  }
  return problems.length ? `on --hosts, ${problems.join('; ')}` : undefined;
}

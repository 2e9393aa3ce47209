import { shellQuote } from '../host/ssh-argv.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RemoteHost } from './remote-hosts.js';

/** One thing a host must have, the shell test that says so, and what to do when it lacks it. */
export interface KernelNeed {
  what: string;
  test: string;
  fix: string;
}

/** device-mapper in the host's kernel and `dmsetup` (both kernel pieces need them). */
const DM_NEEDS: readonly KernelNeed[] = [
  { what: 'dmsetup', test: 'command -v dmsetup', fix: 'apt-get install dmsetup' },
  { what: 'device-mapper', test: 'grep -qw device-mapper /proc/misc', fix: 'modprobe dm-mod' },
];

/** A dm target the kernel offers now, or whose module it can load (creating a table autoloads it). */
const target = (name: string, module: string): KernelNeed => ({
  what: `the ${name} target`,
  test: `dmsetup targets | grep -q '^${name} ' || modinfo ${module}`,
  fix: `a kernel with ${module} (CONFIG_DM_${name.toUpperCase()})`,
});

/**
 * `--backend dm-clone` on B: device-mapper with the clone target, and the kernel NBD client
 * (`nbd-client`, the nbd module) connecting to A's export.
 */
export const REMOTE_DM_CLONE_NEEDS: readonly KernelNeed[] = [
  ...DM_NEEDS,
  target('clone', 'dm-clone'),
  { what: 'nbd-client', test: 'command -v nbd-client', fix: 'apt-get install nbd-client' },
  { what: 'the kernel NBD client', test: 'test -e /sys/block/nbd0 || test -e /sys/module/nbd', fix: 'modprobe nbd' },
];

/** `--tracking dm-era` on A: device-mapper with the era target, and `era_invalidate`. */
export const REMOTE_DM_ERA_NEEDS: readonly KernelNeed[] = [
  ...DM_NEEDS,
  target('era', 'dm-era'),
  { what: 'era_invalidate', test: 'command -v era_invalidate', fix: 'apt-get install thin-provisioning-tools' },
];

/** One shell script printing `what<TAB>fix` for each of `needs` the host lacks (pure). */
export function kernelNeedsScript(needs: readonly KernelNeed[]): string {
  return needs.map((n) => `{ ${n.test}; } >/dev/null 2>&1 || printf '%s\\t%s\\n' ${shellQuote(n.what)} ${shellQuote(n.fix)}`).concat('true').join('\n');
}

/** The lines a {@link kernelNeedsScript} printed, as `what (fix)` (pure). */
export function parseKernelNeeds(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => `${l.slice(0, l.indexOf('\t'))} (${l.slice(l.indexOf('\t') + 1)})`);
}

/**
 * Why the kernel pieces `s` asks for cannot run on the hosts, or undefined: dm-clone and the
 * kernel NBD client on B (`--backend dm-clone` with async-clone), dm-era on A (`--tracking
 * dm-era` with precopy). Asked on the host that will hold them, before anything is
 * provisioned (this machine's kernel says nothing about theirs); one round trip per host.
 */
export async function remoteKernelProblem(hosts: { a: RemoteHost; b: RemoteHost }, s: Pick<Scenario, 'strategies' | 'backend' | 'tracking'>): Promise<string | undefined> {
  const asks: { flag: string; h: RemoteHost; needs: readonly KernelNeed[] }[] = [];
  if (s.strategies.includes('async-clone') && s.backend === 'dm-clone') asks.push({ flag: '--backend dm-clone', h: hosts.b, needs: REMOTE_DM_CLONE_NEEDS });
  if (s.strategies.includes('precopy') && s.tracking === 'dm-era') asks.push({ flag: '--tracking dm-era', h: hosts.a, needs: REMOTE_DM_ERA_NEEDS });
  const problems: string[] = [];
  for (const { flag, h, needs } of asks) {
    const missing = parseKernelNeeds(await h.host.sh(kernelNeedsScript(needs), [], { timeoutMs: 30_000 }));
    if (missing.length) problems.push(`${flag}: host ${h.spec.role} (${h.spec.target}) lacks ${missing.join(', ')}`);
  }
  return problems.length ? `on --hosts, ${problems.join('; ')}` : undefined;
}

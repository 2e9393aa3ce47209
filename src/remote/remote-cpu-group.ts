import { join } from 'node:path';
import { CpuGroup, cgroupName, findCpuHierarchy, isMigbenchCgroup } from '../lab/cpu-cgroup.js';
import type { ResourceScope } from '../lab/scope.js';
import { shellQuote } from '../host/ssh-argv.js';
import { SshHost } from '../host/ssh-host.js';
import type { RemoteSide } from './remote-side.js';

/**
 * The shell that removes migbench's CPU group `path` on a host (pure), as the lab's
 * removeCpuGroup does: whatever is still in it (all started by its run) is killed —
 * `cgroup.kill` on v2, else SIGKILL to each listed PID — and the rmdir retried while the
 * dying processes leave. Undefined for a path that is not a migbench group.
 */
export function removeCpuGroupScript(path: string, attempts = 100): string | undefined {
  if (!isMigbenchCgroup(path)) return undefined;
  const q = shellQuote(path);
  return [
    `[ -d ${q} ] || exit 0`,
    'i=0',
    `while ! rmdir ${q} 2>/dev/null; do`,
    `  [ -d ${q} ] || exit 0`,
    '  i=$((i+1))',
    `  if [ $i -gt ${attempts} ]; then echo "cgroup ${path} still holds pids $(tr '\\n' ' ' < ${q}/cgroup.procs)" >&2; exit 1; fi`,
    `  if [ -e ${q}/cgroup.kill ]; then echo 1 > ${q}/cgroup.kill; else for p in $(cat ${q}/cgroup.procs); do kill -9 "$p" 2>/dev/null; done; fi`,
    '  sleep 0.05',
    'done',
  ].join('\n');
}

/**
 * Creates run `runId`'s CPU group on a real host (ledger kind `cgroup`, on that host) and
 * puts the side in it (it leaves again as the group is removed):
 * the hierarchy is the host's own (its /proc/self/mounts), the counter is read over SSH.
 * Undefined when nothing there counts CPU. Made, read and removed by a plain connection to
 * the host: commands of the side itself join the group once it has one, and the shell that
 * removes the group must not be in it.
 */
export async function joinRemoteCpuGroup(scope: ResourceScope, side: RemoteSide, runId: string): Promise<CpuGroup | undefined> {
  const plain = new SshHost(side.name, side.endpoint);
  const h = findCpuHierarchy((await plain.readFile('/proc/self/mounts')).toString('utf8'));
  if (!h) return undefined;
  const path = join(h.root, cgroupName(runId, side.label.toLowerCase()));
  const script = removeCpuGroupScript(path);
  if (script === undefined) throw new Error(`${path}: not a migbench cgroup name`);
  await scope.acquire(
    { kind: 'cgroup', path, host: side.name },
    () => plain.run('mkdir', ['--', path]).then(() => undefined),
    async () => {
      // What the side releases after this (its work directory, its ledger) runs outside the group.
      side.leaveCpuGroup();
      await plain.sh(script);
    },
  );
  const group = new CpuGroup(h, path, async (file) => (await plain.readFile(file)).toString('utf8'));
  side.joinCpuGroup(group);
  return group;
}

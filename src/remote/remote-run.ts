import type { Scenario } from '../scenario/scenario.js';
import type { Inventory } from './inventory.js';
import type { RemoteMeta } from '../results/meta.js';
import type { RemoteSide } from './remote-side.js';

/** The strategies that run on real hosts so far (the others still use this machine's files or devices). */
export const REMOTE_STRATEGIES: readonly string[] = ['kill-copy-boot', 'async-clone', 'precopy', 'mirror', 'backup-restore', 'kill-boot-copy', 'copy-kill-boot', 'copy-boot-kill', 'boot-kill-copy', 'boot-copy-kill'];

/** The workloads that run on real hosts (every one migbench has). */
export const REMOTE_WORKLOADS: readonly string[] = ['stamped', 'http', 'postgres'];

/**
 * Why `s` cannot run on real hosts yet, or undefined (pure): the workloads of
 * {@link REMOTE_WORKLOADS}, any number of volumes, every fault (with every workload, as
 * the lab takes them: src/fault/workloads.ts refuses the same combinations on both;
 * src/remote/remote-faults.ts), the strategies of {@link REMOTE_STRATEGIES}, either clone
 * backend and either dirty tracking (whether the hosts' kernels have dm-clone / dm-era is
 * asked of them: src/remote/remote-kernel.ts).
 */
export function remoteScenarioProblem(s: Scenario): string | undefined {
  const other = s.strategies.filter((n) => !REMOTE_STRATEGIES.includes(n));
  if (other.length) return `--hosts runs ${REMOTE_STRATEGIES.join(', ')} so far, not ${other.join(', ')} (docs/remote-hosts.md, "Status")`;
  if (!REMOTE_WORKLOADS.includes(s.workload)) return `--hosts runs --workload ${REMOTE_WORKLOADS.join('|')} so far, not --workload ${s.workload} (docs/remote-hosts.md, "Status")`;
  return undefined;
}

/** meta.json's `remote.hosts` (pure). */
export function remoteHostsMeta(inv: Inventory, sides: readonly RemoteSide[]): RemoteMeta['hosts'] {
  return Object.fromEntries(
    sides.map((side) => {
      const spec = side.label === 'A' ? inv.a : inv.b;
      return [spec.role, { ssh: spec.target, data_address: spec.dataAddress, data_dir: spec.dataDir, link_interface: side.iface, shaped: spec.shapeInterface !== undefined }];
    }),
  );
}

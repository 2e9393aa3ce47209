import { tbfArgs, type HostPair } from '../lab/hosts.js';
import type { ResourceScope } from '../lab/scope.js';
import type { Inventory } from './inventory.js';
import { ledgerHost } from '../host/ledger-host.js';

/** One entry of `tc -j qdisc show dev IFACE`. */
interface QdiscInfo {
  kind: string;
  handle: string;
  root?: boolean;
}

/**
 * Whether the interface's root qdisc is the kernel's default one (pure): attached by the
 * kernel with handle `0:`, so deleting ours brings it back. A root someone configured has
 * a handle of its own, and migbench will not replace what it could not restore.
 */
export function rootIsDefault(json: string): boolean {
  const qdiscs = JSON.parse(json || '[]') as QdiscInfo[];
  const root = qdiscs.find((q) => q.root);
  return !root || root.handle === '0:' || root.kind === 'noqueue';
}

/**
 * Shapes each inventory-named interface (`shapeInterface`) to `--link` with the lab's tbf,
 * on its host; the release deletes it, which gives the interface its default qdisc back.
 * An interface with a configured root qdisc is refused rather than overwritten.
 */
export async function shapeRemoteLink(scope: ResourceScope, hosts: HostPair, inv: Inventory): Promise<void> {
  for (const [side, spec] of [[hosts.a, inv.a], [hosts.b, inv.b]] as const) {
    const dev = spec.shapeInterface;
    if (!dev) continue;
    const before = await side.run('tc', ['-j', 'qdisc', 'show', 'dev', dev]);
    if (!rootIsDefault(before)) throw new Error(`${side.name}: ${dev} has a configured root qdisc; migbench will not replace it (remove it, or drop shapeInterface)`);
    // In the host's ledger first, so `cleanup --hosts` takes it off after a killed run.
    await scope.acquire(
      { kind: 'qdisc', dev, ...ledgerHost(side) },
      () => side.run('tc', ['qdisc', 'replace', 'dev', dev, 'root', ...tbfArgs(hosts.link.rateBps)]),
      async () => {
        await side.run('tc', ['qdisc', 'del', 'dev', dev, 'root']).catch(() => undefined);
      },
    );
  }
}

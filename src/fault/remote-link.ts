/**
 * link-down and link-flap on a real host (issue 13): its end of the data link stops
 * carrying packets through a qdisc that drops them all (`pfifo limit 0`: built into every
 * kernel, where netem is a module many lack), not `ip link set down` (on a real NIC that
 * also drops its routes, and an interface down may be the one SSH needs to bring it back up). Only the link interface (`shapeInterface`, else the route to the other
 * side) is touched; a run whose SSH shares it is refused before anything is provisioned
 * (src/remote/remote-faults.ts). The qdisc is in the host's ledger before it exists, so
 * `cleanup --hosts` takes it off after a killed run.
 */
import type { Host } from '../lab/hosts.js';
import { ResourceScope } from '../lab/scope.js';
import { ledgerHost } from '../host/ledger-host.js';
import { rootIsDefault } from '../remote/remote-shaping.js';

/** Handle of the qdisc that drops everything (distinct from slow-source's netem `4d:`). */
const CUT_HANDLE = '4e:';

/** One entry of `tc -j qdisc show dev IFACE`. */
interface QdiscInfo {
  kind: string;
  handle: string;
  root?: boolean;
}

/**
 * Where the dropping qdisc goes on `dev` given its qdiscs (pure): the root when the root
 * is the kernel's default (deleting it restores that), under the run's own tbf when the
 * inventory shaped the interface (its rate stays; deleting the tbf's child restores it),
 * and nowhere (an error) under a root qdisc someone else configured.
 */
export function cutPlacement(json: string, shapedByRun: boolean, dev: string): { parent: string[]; del: string[] } {
  if (rootIsDefault(json)) return { parent: ['root'], del: ['root'] };
  const root = (JSON.parse(json) as QdiscInfo[]).find((q) => q.root)!;
  if (shapedByRun && root.kind === 'tbf') return { parent: ['parent', `${root.handle}1`], del: ['parent', `${root.handle}1`, 'handle', CUT_HANDLE] };
  throw new Error(`${dev} has a configured root qdisc (${root.kind} ${root.handle}); migbench will not change it to cut the link`);
}

/** Whether `tc -j qdisc show`'s answer still holds the cut (pure). */
export function hasCut(json: string): boolean {
  return (JSON.parse(json || '[]') as QdiscInfo[]).some((q) => q.handle === CUT_HANDLE);
}

/**
 * Cuts `side`'s end of the link: a qdisc dropping every packet it sends, recorded in the
 * host's ledger (released through `parent`'s ledger). Returns what restores it. A cut that
 * failed half-way is taken back at once, and its ledger entry with it.
 */
export async function cutRemoteEnd(parent: ResourceScope, side: Host & { shaped?: boolean }): Promise<() => Promise<void>> {
  const dev = side.iface;
  const placement = cutPlacement(await side.run('tc', ['-j', 'qdisc', 'show', 'dev', dev]), side.shaped === true, dev);
  // Its own scope: the cut comes and goes within the repetition (link-flap cuts several times).
  const scope = new ResourceScope(parent.ledger);
  try {
    await scope.acquire(
      { kind: 'qdisc', dev, ...ledgerHost(side) },
      () => side.run('tc', ['qdisc', 'add', 'dev', dev, ...placement.parent, 'handle', CUT_HANDLE, 'pfifo', 'limit', '0']),
      async () => {
        await side.run('tc', ['qdisc', 'del', 'dev', dev, ...placement.del]).catch(async (err: unknown) => {
          // Gone already (never added) is restored; still there is a failure.
          if (hasCut(await side.run('tc', ['-j', 'qdisc', 'show', 'dev', dev]))) throw err;
        });
      },
    );
  } catch (err) {
    await scope.close().catch(() => undefined);
    throw err;
  }
  return () => scope.close();
}

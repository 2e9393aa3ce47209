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
/**
 * Handle of the FIFO put back inside the tbf: another one, because `tc qdisc replace`
 * cannot change a qdisc's kind under its own handle, only graft a new one in its place.
 */
const RESTORED_HANDLE = '4f:';

/** One entry of `tc -j qdisc show dev IFACE`. */
interface QdiscInfo {
  kind: string;
  handle: string;
  root?: boolean;
  /** tbf: rate in bytes/s, burst in bytes (`BYTESb/CELL` with `-d`), latency in µs. */
  options?: { rate?: number; burst?: number | string; lat?: number };
}

/**
 * The byte limit of the FIFO tbf keeps inside (pure): what `tc` computed from its
 * latency, rate × latency + burst, from the tbf's own `tc -j` options (the kernel keeps
 * the burst in clock ticks, so this is within a few bytes of the original).
 */
export function tbfInnerLimit(tbf: QdiscInfo): number {
  const b = tbf.options?.burst;
  const burst = typeof b === 'number' ? b : Number(/^(\d+)b/.exec(b ?? '')?.[1]);
  const { rate, lat } = tbf.options ?? {};
  if (rate === undefined || lat === undefined || !Number.isFinite(burst)) throw new Error(`tbf ${tbf.handle}: no rate, burst and latency in its options (${JSON.stringify(tbf.options)})`);
  return Math.floor((rate * lat) / 1e6) + burst;
}

/**
 * How to cut `dev` given its qdiscs (pure), as `tc qdisc` verb and arguments (`dev DEV`
 * goes after the verb): at the
 * root when the root is the kernel's default (deleting it restores that); inside the
 * run's own tbf when the inventory shaped the interface (its rate stays), restored as the
 * byte FIFO tbf had there (deleting tbf's child would leave noop, which drops everything);
 * and nowhere (an error) under a root qdisc someone else configured.
 */
export function cutPlacement(json: string, shapedByRun: boolean, dev: string): { add: string[]; restore: string[] } {
  const drop = ['handle', CUT_HANDLE, 'pfifo', 'limit', '0'];
  if (rootIsDefault(json)) return { add: ['add', 'root', ...drop], restore: ['del', 'root'] };
  const root = (JSON.parse(json) as QdiscInfo[]).find((q) => q.root)!;
  if (shapedByRun && root.kind === 'tbf') {
    // replace, both ways: a link-flap cuts again over the FIFO its last restore grafted.
    return { add: ['replace', 'parent', `${root.handle}1`, ...drop], restore: ['replace', ...tbfFifoRestore(json)] };
  }
  throw new Error(`${dev} has a configured root qdisc (${root.kind} ${root.handle}); migbench will not change it to cut the link`);
}

/**
 * `tc qdisc replace dev DEV` arguments that put back, inside the root tbf of `json` (`tc -j
 * qdisc show`), the byte FIFO tbf keeps by default, in place of whatever a fault grafted
 * there (pure). Deleting that child instead would leave noop, which drops everything.
 */
export function tbfFifoRestore(json: string): string[] {
  const root = (JSON.parse(json) as QdiscInfo[]).find((q) => q.root);
  if (root?.kind !== 'tbf') throw new Error(`no root tbf to restore a FIFO under (${json.trim().slice(0, 120)})`);
  return ['parent', `${root.handle}1`, 'handle', RESTORED_HANDLE, 'bfifo', 'limit', String(tbfInnerLimit(root))];
}

/** `tc qdisc VERB dev DEV REST…` from a placement's `[VERB, …REST]`. */
function tcArgs([verb, ...rest]: string[], dev: string): string[] {
  return ['qdisc', verb!, 'dev', dev, ...rest];
}

/** Whether `tc -j qdisc show`'s answer still holds the cut (pure). */
export function hasCut(json: string): boolean {
  return (JSON.parse(json || '[]') as QdiscInfo[]).some((q) => q.handle === CUT_HANDLE && q.kind === 'pfifo');
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
      () => side.run('tc', tcArgs(placement.add, dev)),
      async () => {
        await side.run('tc', tcArgs(placement.restore, dev)).catch(async (err: unknown) => {
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

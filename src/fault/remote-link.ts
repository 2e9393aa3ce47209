/**
 * Link faults on a real host (issue 13), each a qdisc on the host's link interface
 * (`shapeInterface`, else the route to the other side), never on the one SSH uses (a run
 * whose SSH shares it is refused before anything is provisioned,
 * src/remote/remote-faults.ts):
 *
 * - link-down and link-flap: its end of the data link stops carrying packets through a
 *   qdisc that drops them all (`pfifo limit 0`: built into every kernel, where netem is a
 *   module many lack), not `ip link set down` (on a real NIC that also drops its routes,
 *   and an interface down may be the one SSH needs to bring it back up).
 * - slow-source:LATENCY: a netem delay on A's end, as in the lab (under the run's tbf), or
 *   at the root of an interface the run did not shape.
 *
 * Each qdisc is in the host's ledger before it exists, so `cleanup --hosts` takes it off
 * after a killed run.
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

/** Handle of the netem a slow-source:LATENCY adds (the lab's, src/fault/link.ts). */
const DELAY_HANDLE = '4d:';

/** A fault's qdisc on an interface, as `tc qdisc` verb and arguments (`dev DEV` goes after the verb). */
export interface Placement {
  add: string[];
  restore: string[];
}

/**
 * Where a fault's `qdisc` (handle, kind and options) goes on `dev` given its qdiscs (pure):
 * at the root when the root is the kernel's default (deleting it restores that); inside
 * the run's own tbf when the inventory shaped the interface (its rate stays), restored as
 * the byte FIFO tbf had there (deleting tbf's child would leave noop, which drops
 * everything); and nowhere (an error) under a root qdisc someone else configured.
 */
export function faultPlacement(json: string, shapedByRun: boolean, dev: string, qdisc: string[], what: string): Placement {
  if (rootIsDefault(json)) return { add: ['add', 'root', ...qdisc], restore: ['del', 'root'] };
  const root = (JSON.parse(json) as QdiscInfo[]).find((q) => q.root)!;
  if (shapedByRun && root.kind === 'tbf') {
    // replace, both ways: a link-flap cuts again over the FIFO its last restore grafted.
    return { add: ['replace', 'parent', `${root.handle}1`, ...qdisc], restore: ['replace', ...tbfFifoRestore(json)] };
  }
  throw new Error(`${dev} has a configured root qdisc (${root.kind} ${root.handle}); migbench will not change it to ${what}`);
}

/** How to cut `dev` (pure): a qdisc that drops every packet, placed by {@link faultPlacement}. */
export function cutPlacement(json: string, shapedByRun: boolean, dev: string): Placement {
  return faultPlacement(json, shapedByRun, dev, ['handle', CUT_HANDLE, 'pfifo', 'limit', '0'], 'cut the link');
}

/**
 * How to delay what `dev` sends by `latencyMs` (pure): the lab's netem (its queue holds a
 * bandwidth-delay product at the link's rates), placed by {@link faultPlacement}.
 */
export function delayPlacement(json: string, shapedByRun: boolean, dev: string, latencyMs: number): Placement {
  return faultPlacement(json, shapedByRun, dev, ['handle', DELAY_HANDLE, 'netem', 'delay', `${latencyMs}ms`, 'limit', '100000'], 'delay the link');
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

/** Whether `tc -j qdisc show`'s answer holds a qdisc of `kind` with `handle` (pure). */
function holds(json: string, handle: string, kind: string): boolean {
  return (JSON.parse(json || '[]') as QdiscInfo[]).some((q) => q.handle === handle && q.kind === kind);
}

/** Whether `tc -j qdisc show`'s answer still holds the cut (pure). */
export function hasCut(json: string): boolean {
  return holds(json, CUT_HANDLE, 'pfifo');
}

/** Whether `tc -j qdisc show`'s answer still holds the delay (pure). */
export function hasDelay(json: string): boolean {
  return holds(json, DELAY_HANDLE, 'netem');
}

/**
 * Puts a fault's qdisc on `side`'s link interface as `place` says, recorded in the host's
 * ledger (released through `parent`'s ledger). Returns what restores it. One that failed
 * half-way is taken back at once, and its ledger entry with it; `present` tells, from `tc
 * -j qdisc show`, whether a restore that failed left it there.
 */
async function remoteEndQdisc(
  parent: ResourceScope,
  side: Host & { shaped?: boolean },
  place: (json: string, shaped: boolean, dev: string) => Placement,
  present: (json: string) => boolean,
): Promise<() => Promise<void>> {
  const dev = side.iface;
  const placement = place(await side.run('tc', ['-j', 'qdisc', 'show', 'dev', dev]), side.shaped === true, dev);
  // Its own scope: the fault comes and goes within the repetition (link-flap cuts several times).
  const scope = new ResourceScope(parent.ledger);
  try {
    await scope.acquire(
      { kind: 'qdisc', dev, ...ledgerHost(side) },
      () => side.run('tc', tcArgs(placement.add, dev)),
      async () => {
        await side.run('tc', tcArgs(placement.restore, dev)).catch(async (err: unknown) => {
          // Gone already (never added) is restored; still there is a failure.
          if (present(await side.run('tc', ['-j', 'qdisc', 'show', 'dev', dev]))) throw err;
        });
      },
    );
  } catch (err) {
    await scope.close().catch(() => undefined);
    throw err;
  }
  return () => scope.close();
}

/** Cuts `side`'s end of the link: a qdisc dropping every packet it sends. Returns what restores it. */
export function cutRemoteEnd(parent: ResourceScope, side: Host & { shaped?: boolean }): Promise<() => Promise<void>> {
  return remoteEndQdisc(parent, side, cutPlacement, hasCut);
}

/**
 * Delays every packet `side` sends on its link interface by `latencyMs` (a netem). Returns
 * what restores the interface. A kernel without netem is named as such.
 */
export async function delayRemoteEnd(parent: ResourceScope, side: Host & { shaped?: boolean }, latencyMs: number): Promise<() => Promise<void>> {
  try {
    return await remoteEndQdisc(parent, side, (json, shaped, dev) => delayPlacement(json, shaped, dev, latencyMs), hasDelay);
  } catch (err) {
    const msg = (err as Error).message;
    if (/qdisc kind is unknown/i.test(msg)) throw new Error(`${side.name}: its kernel has no netem (sch_netem), which slow-source:LATENCY needs (${msg.trim()})`, { cause: err });
    throw err;
  }
}

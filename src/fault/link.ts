/**
 * Link faults through the Host seam: commands run in A's and B's namespaces on their
 * ends of the shaped link; on a real host, a dropping qdisc or a netem on its link
 * interface, in its ledger (remote-link.ts).
 */
import type { Host } from '../lab/hosts.js';
import type { ResourceScope } from '../lab/scope.js';
import { cutRemoteEnd, delayRemoteEnd, tbfFifoRestore } from './remote-link.js';

/** One end of the link: a host that runs commands and the interface it owns. */
export interface LinkEnd {
  host: Pick<Host, 'run'>;
  iface: string;
}

/**
 * Takes both ends of the link down: nothing crosses in either direction, and TCP
 * connections stay open (as in a switch outage) until `linkUp`.
 */
export async function linkDown(ends: readonly LinkEnd[]): Promise<void> {
  for (const e of ends) await e.host.run('ip', ['link', 'set', 'dev', e.iface, 'down']);
}

/** Brings both ends back up (the shaping qdiscs stay attached across down/up). */
export async function linkUp(ends: readonly LinkEnd[]): Promise<void> {
  for (const e of ends) await e.host.run('ip', ['link', 'set', 'dev', e.iface, 'up']);
}

/**
 * A link cut that can be undone: each end taken down in turn, and `up` restores exactly
 * the ends that went down (also after a partial failure). A lab end goes `ip link set
 * down`; a real host's end (one with a work path of its own) drops every packet through
 * a qdisc in its ledger, so the interface, its routes and SSH stay.
 */
export class LinkCut {
  private readonly undos: (() => Promise<void>)[] = [];

  constructor(private readonly scope: ResourceScope) {}

  /** Takes every end of `hosts` down (each host's own link interface). */
  async down(hosts: readonly Host[]): Promise<void> {
    for (const h of hosts) {
      if (h.workPath) {
        this.undos.push(await cutRemoteEnd(this.scope, h));
      } else {
        const end = { host: h, iface: h.iface };
        this.undos.push(() => linkUp([end]));
        await linkDown([end]);
      }
    }
  }

  /** Brings back every end `down` took down, in the same order. */
  async up(): Promise<void> {
    while (this.undos.length) await this.undos.shift()!();
  }
}

/** The handle of the root qdisc (the link's tbf) of `end`, e.g. `8001:`. */
async function rootHandle(end: LinkEnd): Promise<string> {
  const qdiscs = JSON.parse(await end.host.run('tc', ['-j', 'qdisc', 'show', 'dev', end.iface])) as { kind: string; handle: string; root?: boolean; parent?: string }[];
  const root = qdiscs.find((q) => q.root);
  if (!root) throw new Error(`no root qdisc on ${end.iface}`);
  return root.handle;
}

/** Handle of the netem qdisc slow-source adds under the tbf. */
const NETEM_HANDLE = '4d:';

/**
 * Adds `latencyMs` to every packet `end` sends (A's side: the source's replies), as a
 * netem qdisc under the link's tbf so that the rate shaping stays. The queue limit holds
 * a full bandwidth-delay product at the link's rates.
 */
export async function addDelay(end: LinkEnd, latencyMs: number): Promise<void> {
  const parent = `${await rootHandle(end)}1`;
  await end.host.run('tc', ['qdisc', 'add', 'dev', end.iface, 'parent', parent, 'handle', NETEM_HANDLE, 'netem', 'delay', `${latencyMs}ms`, 'limit', '100000']);
}

/**
 * Removes the delay `addDelay` added by grafting the byte FIFO tbf had in its place:
 * deleting the netem would leave tbf's child as the kernel's noop qdisc, which drops
 * every packet (the link would stay down after the fault).
 */
export async function removeDelay(end: LinkEnd): Promise<void> {
  await end.host.run('tc', ['qdisc', 'replace', 'dev', end.iface, ...tbfFifoRestore(await end.host.run('tc', ['-j', 'qdisc', 'show', 'dev', end.iface]))]);
}

/**
 * slow-source:LATENCY on `host`'s end of the link (A's: the source's replies). Returns
 * what takes it away. A lab end gets {@link addDelay}; a real host's end (one with a work
 * path of its own) a netem in its ledger, under the run's tbf or at an unshaped root.
 */
export async function delayEnd(scope: ResourceScope, host: Host, latencyMs: number): Promise<() => Promise<void>> {
  if (host.workPath) return delayRemoteEnd(scope, host, latencyMs);
  const end = { host, iface: host.iface };
  await addDelay(end, latencyMs);
  return () => removeDelay(end);
}

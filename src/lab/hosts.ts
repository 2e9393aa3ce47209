import type { Host as AnyHost } from '../host/host.js';
import { LabHost } from '../host/lab-host.js';
import { localHost } from '../host/local-host.js';
import type { CpuGroup } from './cpu-cgroup.js';
import type { ResourceScope } from './scope.js';

/**
 * One side of the migration, on whatever machine runs it: a host (commands, processes,
 * files) with one end of the link. The embedded lab's is a {@link LabSide}; a real host
 * reached over SSH can implement it too.
 */
export interface Host extends AnyHost {
  readonly label: 'A' | 'B';
  /** Its end of the link (counted by txBytes, taken down by link faults). */
  readonly iface: string;
  /** The address the other side reaches it on. */
  readonly address: string;
  /** The host's CPU-accounting group, when it has one: every process it starts from then on runs in it. */
  readonly cpu: CpuGroup | undefined;
  /** Where a real host keeps backing files (its data directory); absent: `--backing-dir` on this machine. */
  readonly dataDir?: string;
}

/**
 * A side of the embedded lab: commands and processes run in its network namespace (see
 * LabHost), with one end of the veth pair.
 */
export class LabSide extends LabHost implements Host {
  /** The host's CPU-accounting group, when it has one: every process it starts from then on runs in it. */
  cpu: CpuGroup | undefined;

  constructor(
    readonly label: 'A' | 'B',
    netns: string,
    readonly iface: string,
    readonly address: string,
  ) {
    super(netns);
  }

  /** Puts every process this host starts from now on in `group`. */
  joinCpuGroup(group: CpuGroup): void {
    this.cpu = group;
    this.cgroupProcs = group.procsFile;
  }
}

/** The link between A and B as asked for. */
export interface LinkSpec {
  /** Bits per second. */
  rateBps: number;
}

/** Hosts A and B joined by a shaped veth pair. */
export interface HostPair {
  a: Host;
  b: Host;
  link: LinkSpec;
}

/** The embedded lab's pair: both sides are namespaces of this machine. */
export interface LabPair extends HostPair {
  a: LabSide;
  b: LabSide;
}

/**
 * tbf parameters for a rate: the burst must hold at least one timer tick of traffic
 * (a too-small bucket caps the rate far below what was asked).
 */
export function tbfArgs(rateBps: number): string[] {
  const burstBytes = Math.max(256 * 1024, Math.ceil(rateBps / 8 / 250));
  return ['tbf', 'rate', `${Math.round(rateBps)}bit`, 'burst', `${burstBytes}b`, 'latency', '50ms'];
}

/**
 * Creates namespaces `<prefix>a` and `<prefix>b` joined by a veth pair, addressed
 * 10.213.0.1 (A) and 10.213.0.2 (B): the addresses live only inside these namespaces.
 * Each direction is shaped with tbf to `link.rateBps`. The namespaces are set up from
 * the root host (`ip -n`, `tc -n`).
 */
export async function createHostPair(scope: ResourceScope, prefix: string, link: LinkSpec): Promise<LabPair> {
  const a = new LabSide('A', `${prefix}a`, `${prefix}a0`, '10.213.0.1');
  const b = new LabSide('B', `${prefix}b`, `${prefix}b0`, '10.213.0.2');
  const ip = (args: string[]): Promise<string> => localHost.run('ip', args);
  for (const h of [a, b]) {
    await scope.acquire(
      { kind: 'netns', name: h.netns },
      () => ip(['netns', 'add', h.netns]),
      () => deleteNetns(h.netns),
    );
  }
  // The veth pair and its qdiscs disappear with the namespaces; no separate ledger entry.
  await ip(['link', 'add', a.iface, 'netns', a.netns, 'type', 'veth', 'peer', 'name', b.iface, 'netns', b.netns]);
  for (const h of [a, b]) {
    await ip(['-n', h.netns, 'addr', 'add', `${h.address}/30`, 'dev', h.iface]);
    await ip(['-n', h.netns, 'link', 'set', h.iface, 'up']);
    await ip(['-n', h.netns, 'link', 'set', 'lo', 'up']);
    await localHost.run('tc', ['-n', h.netns, 'qdisc', 'add', 'dev', h.iface, 'root', ...tbfArgs(link.rateBps)]);
  }
  return { a, b, link };
}

/** Deletes a namespace if it exists. */
export async function deleteNetns(name: string): Promise<void> {
  const list = await localHost.run('ip', ['netns', 'list']);
  if (list.split('\n').some((l) => l.split(' ')[0] === name)) await localHost.run('ip', ['netns', 'delete', name]);
}

/**
 * Bytes sent by `host` on its end of the link (interface counter), read on the host
 * itself (in a lab namespace, `ip` there sees its own interfaces).
 */
export async function txBytes(host: Pick<Host, 'run' | 'iface'>): Promise<number> {
  const out = await host.run('ip', ['-s', '-j', 'link', 'show', 'dev', host.iface]);
  const [info] = JSON.parse(out) as [{ stats64: { tx: { bytes: number } } }];
  return info.stats64.tx.bytes;
}

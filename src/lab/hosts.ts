import { run } from './exec.js';
import type { ResourceScope } from './scope.js';

/** One side of the migration: a network namespace with one end of the link. */
export interface Host {
  label: 'A' | 'B';
  netns: string;
  iface: string;
  address: string;
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
 * Each direction is shaped with tbf to `link.rateBps`.
 */
export async function createHostPair(scope: ResourceScope, prefix: string, link: LinkSpec): Promise<HostPair> {
  const a: Host = { label: 'A', netns: `${prefix}a`, iface: `${prefix}a0`, address: '10.213.0.1' };
  const b: Host = { label: 'B', netns: `${prefix}b`, iface: `${prefix}b0`, address: '10.213.0.2' };
  for (const h of [a, b]) {
    await scope.acquire(
      { kind: 'netns', name: h.netns },
      () => run('ip', ['netns', 'add', h.netns]),
      () => deleteNetns(h.netns),
    );
  }
  // The veth pair and its qdiscs disappear with the namespaces; no separate ledger entry.
  await run('ip', ['link', 'add', a.iface, 'netns', a.netns, 'type', 'veth', 'peer', 'name', b.iface, 'netns', b.netns]);
  for (const h of [a, b]) {
    await run('ip', ['-n', h.netns, 'addr', 'add', `${h.address}/30`, 'dev', h.iface]);
    await run('ip', ['-n', h.netns, 'link', 'set', h.iface, 'up']);
    await run('ip', ['-n', h.netns, 'link', 'set', 'lo', 'up']);
    await run('tc', ['-n', h.netns, 'qdisc', 'add', 'dev', h.iface, 'root', ...tbfArgs(link.rateBps)]);
  }
  return { a, b, link };
}

/** Deletes a namespace if it exists. */
export async function deleteNetns(name: string): Promise<void> {
  const list = await run('ip', ['netns', 'list']);
  if (list.split('\n').some((l) => l.split(' ')[0] === name)) await run('ip', ['netns', 'delete', name]);
}

/** Bytes sent by `host` on its end of the link (interface counter). */
export async function txBytes(host: Host): Promise<number> {
  const out = await run('ip', ['-n', host.netns, '-s', '-j', 'link', 'show', 'dev', host.iface]);
  const [info] = JSON.parse(out) as [{ stats64: { tx: { bytes: number } } }];
  return info.stats64.tx.bytes;
}

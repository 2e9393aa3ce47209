import { cleanupLeftovers, type CleanupReport } from '../lab/cleanup.js';
import { stateDir } from '../lab/ledger.js';
import { cleanupHosts } from '../remote/remote-cleanup.js';
import { closeConnections, remoteHosts } from '../remote/remote-hosts.js';
import { inventoryOf, type HostsOptions } from './hosts-option.js';

/**
 * `migbench cleanup [--hosts FILE]`: releases what killed runs left, from their ledgers
 * only: this machine's, then (with --hosts) each host's own.
 */
export async function cleanupCommand(opts: HostsOptions = {}): Promise<number> {
  const inventory = inventoryOf(opts);
  const reports: CleanupReport[] = [await cleanupLeftovers()];
  if (inventory) {
    const hosts = remoteHosts(inventory);
    try {
      reports.push(await cleanupHosts([hosts.a, hosts.b]));
    } finally {
      await closeConnections([hosts.a, hosts.b]);
    }
  }
  const r: CleanupReport = { released: reports.flatMap((x) => x.released), skippedLive: reports.flatMap((x) => x.skippedLive), failed: reports.flatMap((x) => x.failed) };
  for (const x of r.released) process.stdout.write(`released ${x}\n`);
  for (const x of r.skippedLive) process.stdout.write(`left alone (run still alive): ${x}\n`);
  for (const x of r.failed) process.stdout.write(`FAILED ${x}\n`);
  if (!r.released.length && !r.failed.length) process.stdout.write(`nothing to clean up (ledgers in ${stateDir()}${inventory ? ' and in each host\'s data directory' : ''})\n`);
  return r.failed.length ? 1 : 0;
}

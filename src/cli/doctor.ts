import { runChecks, type Check } from '../lab/doctor.js';
import { Ledger } from '../lab/ledger.js';
import { ResourceScope } from '../lab/scope.js';
import { closeConnections, remoteHosts } from '../remote/remote-hosts.js';
import { remoteChecks } from '../remote/remote-doctor.js';
import { inventoryOf, type HostsOptions } from './hosts-option.js';

/** `migbench doctor [--hosts FILE]`: prints each check; exit 1 if a required one fails. */
export async function doctorCommand(opts: HostsOptions = {}): Promise<number> {
  const inventory = inventoryOf(opts);
  let checks: Check[];
  if (inventory) {
    const hosts = remoteHosts(inventory);
    const ledger = new Ledger(`doctor-${process.pid}`);
    const scope = new ResourceScope(ledger);
    try {
      checks = await remoteChecks(scope, hosts);
    } finally {
      await scope.close();
      ledger.finished();
      await closeConnections([hosts.a, hosts.b]);
    }
  } else {
    checks = await runChecks(`mgbdoctor${process.pid}`);
  }
  for (const c of checks) {
    const mark = c.ok ? 'ok  ' : c.optional ? 'skip' : 'FAIL';
    process.stdout.write(`${mark}  ${c.name.padEnd(34)} ${c.detail}\n`);
  }
  return checks.some((c) => !c.ok && !c.optional) ? 1 : 0;
}

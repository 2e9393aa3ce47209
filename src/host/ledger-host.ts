import { ExecaHost } from './execa-host.js';
import type { Host } from './host.js';

/**
 * The `host` tag of a ledger entry for a resource created on `host` (pure): none for this
 * machine and its lab namespaces (the controller's cleanup releases those), the host's
 * name for any other machine (its own ledger and `cleanup --hosts` do).
 */
export function ledgerHost(host: Host): { host?: string } {
  return host instanceof ExecaHost ? {} : { host: host.name };
}

import { localHost } from '../host/local-host.js';
import type { Host } from '../host/host.js';

/**
 * `era_invalidate --metadata-snapshot --written-since ERA META` (thin-provisioning-tools):
 * the XML list of blocks written in `era` or later, read from the metadata snapshot the
 * era device holds (so the live metadata is never read while the kernel changes it); on
 * the host whose kernel holds the era device.
 */
export function eraInvalidate(metaDevice: string, writtenSince: number, host: Host = localHost): Promise<string> {
  return host.run('era_invalidate', ['--metadata-snapshot', '--written-since', String(writtenSince), metaDevice]);
}

import { localHost } from '../host/local-host.js';

/**
 * `era_invalidate --metadata-snapshot --written-since ERA META` (thin-provisioning-tools):
 * the XML list of blocks written in `era` or later, read from the metadata snapshot the
 * era device holds (so the live metadata is never read while the kernel changes it).
 */
export function eraInvalidate(metaDevice: string, writtenSince: number): Promise<string> {
  return localHost.run('era_invalidate', ['--metadata-snapshot', '--written-since', String(writtenSince), metaDevice]);
}

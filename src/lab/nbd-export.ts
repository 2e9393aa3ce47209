import { join } from 'node:path';
import { onHost, type HostProcess } from '../host/host.js';
import { startUntilPidfile } from '../host/pidfile.js';
import type { Host } from './hosts.js';
import { NBD_PORT } from './ports.js';
import type { ResourceScope } from './scope.js';

/** An NBD export served by nbdkit inside a host's namespace. */
export interface NbdExport {
  uri: string;
  host: string;
  port: number;
  daemon: HostProcess;
}

export interface ExportOptions {
  /** nbdkit plugin and its arguments, e.g. ['file', 'file=/dev/loop3']. */
  plugin: string[];
  /** Per-request delay (the link's latency), ms; 0 for none. */
  latencyMs: number;
  port?: number;
  readonly?: boolean;
  workDir: string;
  name: string;
  /** More nbdkit filters (after the delay filter) and their parameters: a fault's triggers (src/fault/source-files.ts). */
  extraFilters?: { filters: string[]; params: string[] };
}

/**
 * Starts nbdkit in the foreground inside `host`'s namespace; ready when nbdkit has
 * written its pidfile (it does so once it listens). `--exit-with-parent` ends it if
 * migbench dies.
 */
export async function startNbdExport(scope: ResourceScope, host: Host, o: ExportOptions): Promise<NbdExport> {
  const port = o.port ?? NBD_PORT;
  // On the export's host: a real host keeps the work directory under its data directory.
  const pidfile = onHost(host, join(o.workDir, `${o.name}.pid`));
  const filters = o.latencyMs > 0 ? ['--filter=delay'] : [];
  const delay = o.latencyMs > 0 ? [`delay-read=${o.latencyMs}ms`, `delay-write=${o.latencyMs}ms`] : [];
  const daemon = await startUntilPidfile(
    scope,
    host,
    'nbdkit',
    ['--foreground', '--exit-with-parent', '--ipaddr', host.address, '--port', String(port), '--pidfile', pidfile, ...(o.readonly ? ['--readonly'] : []), ...filters, ...(o.extraFilters?.filters ?? []), ...o.plugin, ...delay, ...(o.extraFilters?.params ?? [])],
    pidfile,
    `nbdkit ${o.name} to listen`,
  );
  return { uri: `nbd://${host.address}:${port}`, host: host.address, port, daemon };
}

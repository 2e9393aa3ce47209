/** What the delta server is told on its command line (JSON in argv[2]). */
export interface DeltaServerConfig {
  /** Address in A's namespace to listen on, and the port. */
  address: string;
  port: number;
  /** A's device holding the volume's current bytes. */
  device: string;
  /** The link's added latency, ms: paid once per request, as the NBD export pays it per read. */
  latencyMs: number;
}

/** The server entry point, relative to the compiled package. */
export const DELTA_SERVER_ENTRY = 'dist/src/transfer/dirty/delta-server-main.js';

/** Checks a parsed config (the server's side of its command line). */
export function decodeDeltaServerConfig(v: unknown): DeltaServerConfig {
  const c = v as Partial<Record<keyof DeltaServerConfig, unknown>> | null;
  if (typeof c?.address !== 'string' || !Number.isInteger(c.port) || typeof c.device !== 'string' || typeof c.latencyMs !== 'number') throw new TypeError('not a delta server config');
  return { address: c.address, port: c.port as number, device: c.device, latencyMs: c.latencyMs };
}

/** What the HTTP service process is told on its command line (JSON in argv[2]). */
export interface ServiceConfig {
  /** The data file on the mounted filesystem (preallocated, SLOT_BYTES per request id). */
  dataFile: string;
  /** Address and port to listen on, inside the process's network namespace. */
  host: string;
  port: number;
  /** Service epoch, stamped into every record and echoed in every response: 1 on A, 2 on B. */
  epoch: number;
}

/** The service entry point, relative to the compiled package. */
export const SERVICE_ENTRY = 'dist/src/workload/http/service-main.js';

/**
 * What the service tells the controller, one NDJSON record each on its stdout: `started`
 * (the process runs and waits for `open`), then `listening` (its data file is open and it
 * accepts requests).
 */
export type ServiceEvent = { kind: 'started' } | { kind: 'listening' };

/** What the controller tells the service, one NDJSON record on its stdin: open the data file and listen. */
export type ServiceCommand = { kind: 'open' };

/** Checks one parsed record of the service's stdout (the controller's side of the wire). */
export function decodeServiceEvent(v: unknown): ServiceEvent {
  const kind = (v as { kind?: unknown } | null)?.kind;
  if (kind === 'started' || kind === 'listening') return { kind };
  throw new TypeError('not an http service event');
}

/** Checks one parsed record of the service's stdin (the service's side of the wire). */
export function decodeServiceCommand(v: unknown): ServiceCommand {
  if ((v as { kind?: unknown } | null)?.kind === 'open') return { kind: 'open' };
  throw new TypeError('not an http service command');
}

import type { Target } from './front-door.js';

/** What the load process is told on its command line (JSON in argv[2]). */
export interface LoadConfig {
  /** The service's first address (A). */
  target: Target;
  /** Concurrent client connections (closed loop: each has one request in flight). */
  connections: number;
  /** Seconds a request may wait for its response before the client gives up. */
  timeoutS: number;
  /** The repetition's work directory: names the run this process belongs to (in `ps`). */
  workDir: string;
}

/** The load entry point, relative to the compiled package. */
export const LOAD_ENTRY = 'dist/src/workload/http/load-main.js';

/**
 * What the load process tells the controller, one NDJSON record each on its stdout (times
 * are `process.hrtime.bigint()` ns as numbers, the clock every process on the host shares):
 * `ready`; a successful response (`ack`: request id, answering service epoch, arrival);
 * a connection error (`err`), a client timeout (`timeout`), a non-2xx response (`status`);
 * at the end, `done` with autocannon's own totals.
 */
export type LoadEvent =
  | { kind: 'ready' }
  | { kind: 'ack'; id: number; epoch: number; tNs: number }
  | { kind: 'err'; tNs: number }
  | { kind: 'timeout'; tNs: number }
  | { kind: 'status'; code: number; tNs: number }
  | { kind: 'done'; errors: number; timeouts: number; non2xx: number };

/**
 * What the controller tells the load process, one NDJSON record each on its stdin:
 * send new client connections to `target`, or stop (EOF on stdin stops too).
 */
export type LoadCommand = { kind: 'target'; target: Target } | { kind: 'stop' };

/** The fields each event carries, all finite numbers. */
const EVENT_FIELDS: Record<LoadEvent['kind'], readonly string[]> = {
  ready: [],
  ack: ['id', 'epoch', 'tNs'],
  err: ['tNs'],
  timeout: ['tNs'],
  status: ['code', 'tNs'],
  done: ['errors', 'timeouts', 'non2xx'],
};

/** Checks one parsed record of the load process's stdout (the controller's side of the wire). */
export function decodeLoadEvent(v: unknown): LoadEvent {
  const r = v as Record<string, unknown> | null;
  const kind = r?.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(EVENT_FIELDS, kind)) throw new TypeError('not an http load event');
  const fields = EVENT_FIELDS[kind as LoadEvent['kind']];
  const event: Record<string, unknown> = { kind };
  for (const f of fields) {
    const x = r![f];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`http load event ${kind}: ${f} is not a number`);
    event[f] = x;
  }
  return event as LoadEvent;
}

/** Checks one parsed record of the load process's stdin (the load process's side of the wire). */
export function decodeLoadCommand(v: unknown): LoadCommand {
  const r = v as { kind?: unknown; target?: { host?: unknown; port?: unknown } } | null;
  if (r?.kind === 'stop') return { kind: 'stop' };
  const t = r?.target;
  if (r?.kind === 'target' && typeof t?.host === 'string' && typeof t.port === 'number' && Number.isInteger(t.port)) return { kind: 'target', target: { host: t.host, port: t.port } };
  throw new TypeError('not an http load command');
}

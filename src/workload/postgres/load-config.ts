import type { Target } from '../http/front-door.js';

/** What the database load process is told on its command line (JSON in argv[2]). */
export interface DbLoadConfig {
  /** The server's first address (A). */
  target: Target;
  /** Server address → epoch: which server a connection reached (`inet_server_addr()`). */
  epochs: Record<string, number>;
  /** Client connections, each running one transaction at a time. */
  clients: number;
  /** Transactions started per second over all clients (open loop); absent: closed loop. */
  tps?: number;
  /** Seconds a transaction may wait for its answer before the client gives up on it. */
  timeoutS: number;
  /** The repetition's work directory: names the run this process belongs to (in `ps`). */
  workDir: string;
}

/** The load entry point, relative to the compiled package. */
export const DB_LOAD_ENTRY = 'dist/src/workload/postgres/load-main.js';

/**
 * What the load process tells the controller, one NDJSON record each on its stdout (times
 * are `process.hrtime.bigint()` ns): `ready`; `commit`: transaction `id` was committed
 * (COMMIT answered) by server `epoch`; `fail`: it was not acknowledged — rolled back by
 * the server (`indeterminate` 0) or its connection lost with the COMMIT maybe applied
 * (`indeterminate` 1); `timeout`: no answer within the timeout (indeterminate too);
 * `done` at the end.
 */
export type DbLoadEvent =
  | { kind: 'ready' }
  | { kind: 'commit'; id: number; epoch: number; tNs: number }
  | { kind: 'fail'; id: number; tNs: number; indeterminate: number }
  | { kind: 'timeout'; id: number; tNs: number }
  | { kind: 'done' };

/** What the controller tells the load process: send new connections to `target`, or stop (EOF stops too). */
export type DbLoadCommand = { kind: 'target'; target: Target } | { kind: 'stop' };

const EVENT_FIELDS: Record<DbLoadEvent['kind'], readonly string[]> = {
  ready: [],
  commit: ['id', 'epoch', 'tNs'],
  fail: ['id', 'tNs', 'indeterminate'],
  timeout: ['id', 'tNs'],
  done: [],
};

/** Checks one parsed record of the load process's stdout (the controller's side of the wire). */
export function decodeDbLoadEvent(v: unknown): DbLoadEvent {
  const r = v as Record<string, unknown> | null;
  const kind = r?.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(EVENT_FIELDS, kind)) throw new TypeError('not a database load event');
  const event: Record<string, unknown> = { kind };
  for (const f of EVENT_FIELDS[kind as DbLoadEvent['kind']]) {
    const x = r![f];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`database load event ${kind}: ${f} is not a number`);
    event[f] = x;
  }
  return event as DbLoadEvent;
}

/** Checks one parsed record of the load process's stdin. */
export function decodeDbLoadCommand(v: unknown): DbLoadCommand {
  const r = v as { kind?: unknown; target?: { host?: unknown; port?: unknown } } | null;
  if (r?.kind === 'stop') return { kind: 'stop' };
  const t = r?.target;
  if (r?.kind === 'target' && typeof t?.host === 'string' && typeof t.port === 'number' && Number.isInteger(t.port)) return { kind: 'target', target: { host: t.host, port: t.port } };
  throw new TypeError('not a database load command');
}

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
 * Lines the load process prints on stdout, one event each (times are
 * `process.hrtime.bigint()` ns, the clock every process on the host shares):
 * `ready`, `ack <id> <epoch> <t>`, `err <t>`, `timeout <t>`, `status <code> <t>`,
 * `done <autocannon errors> <timeouts> <non2xx>`.
 */
export type LoadEvent =
  | { kind: 'ready' }
  | { kind: 'ack'; id: number; epoch: number; tNs: number }
  | { kind: 'err'; tNs: number }
  | { kind: 'timeout'; tNs: number }
  | { kind: 'status'; code: number; tNs: number }
  | { kind: 'done'; errors: number; timeouts: number; non2xx: number };

/** Parses one line of the load process's output (pure); undefined for anything else. */
export function parseLoadLine(line: string): LoadEvent | undefined {
  const f = line.trim().split(' ');
  const n = f.slice(1).map(Number);
  if (n.some((x) => !Number.isFinite(x))) return undefined;
  switch (f[0]) {
    case 'ready':
      return { kind: 'ready' };
    case 'ack':
      return n.length === 3 ? { kind: 'ack', id: n[0]!, epoch: n[1]!, tNs: n[2]! } : undefined;
    case 'err':
      return n.length === 1 ? { kind: 'err', tNs: n[0]! } : undefined;
    case 'timeout':
      return n.length === 1 ? { kind: 'timeout', tNs: n[0]! } : undefined;
    case 'status':
      return n.length === 2 ? { kind: 'status', code: n[0]!, tNs: n[1]! } : undefined;
    case 'done':
      return n.length === 3 ? { kind: 'done', errors: n[0]!, timeouts: n[1]!, non2xx: n[2]! } : undefined;
    default:
      return undefined;
  }
}

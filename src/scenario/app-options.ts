import { DEFAULTS, WORKLOADS, type ChoiceOf, type RawScenario } from './options.js';
import { parseCount, parseDuration, parseEventRate } from './units.js';

export { WORKLOADS } from './options.js';
export type WorkloadName = ChoiceOf<'workload'>;

/**
 * Strategies the HTTP workload can run: the destination is booted by mounting its
 * filesystem, so the data must be there (copied) or reachable (cloned) before boot.
 * An ordering that boots before the copy would mount an empty volume.
 */
export const HTTP_STRATEGIES: readonly string[] = ['kill-copy-boot', 'copy-kill-boot', 'copy-boot-kill', 'async-clone'];

/** System tools the HTTP workload needs besides the lab's (checked before provisioning). */
export const HTTP_TOOLS = ['mkfs.ext4', 'mount', 'umount', 'nsenter', 'fsfreeze'] as const;

/** Tools the PostgreSQL workload needs besides the HTTP workload's (its server binaries are checked by path). */
export const POSTGRES_TOOLS = ['setpriv', 'pgrep', 'kill'] as const;

/** Smallest volume the PostgreSQL workload's cluster (≈ 30 MiB after initdb) and its WAL fit on. */
export const MIN_POSTGRES_SIZE = 64 * 2 ** 20;

/** Most volumes one drain may move at once (each has its own devices, export and workload). */
export const MAX_VOLUMES = 16;

/** Smallest volume an ext4 filesystem with a journal and a data file fits on. */
export const MIN_HTTP_SIZE = 16 * 2 ** 20;

export interface AppOptions {
  workload: WorkloadName;
  httpConnections: number;
  /** PostgreSQL workload: client connections. */
  dbClients: number;
  /** PostgreSQL workload: transactions started per second (open loop), undefined: closed loop. */
  tps: number | undefined;
  volumes: number;
  staggerMs: number;
}

type AppProp = 'workload' | 'httpConnections' | 'dbClients' | 'volumes' | 'stagger';
/** The application options as typed; unset ones take their defaults. */
export type RawAppOptions = Partial<Pick<RawScenario, AppProp | 'tps'>>;

export const APP_DEFAULTS: Pick<RawScenario, AppProp> = {
  workload: DEFAULTS.workload,
  httpConnections: DEFAULTS.httpConnections,
  dbClients: DEFAULTS.dbClients,
  volumes: DEFAULTS.volumes,
  stagger: DEFAULTS.stagger,
};

/**
 * Validates `--workload`, `--http-connections`, `--db-clients`, `--tps`, `--volumes`, `--stagger` (pure). Errors
 * are plain Errors whose message names the option; the caller wraps them.
 */
export function validateAppOptions(raw: RawAppOptions, strategies: readonly string[], sizeBytes: number): AppOptions {
  const workload = raw.workload ?? APP_DEFAULTS.workload;
  if (!(WORKLOADS as readonly string[]).includes(workload)) throw new Error(`--workload: unknown workload "${workload}" (${WORKLOADS.join(', ')})`);
  const httpConnections = wrap('http-connections', () => parseCount(raw.httpConnections ?? APP_DEFAULTS.httpConnections, 'connections'));
  if (httpConnections > 256) throw new Error('--http-connections: at most 256');
  const dbClients = wrap('db-clients', () => parseCount(raw.dbClients ?? APP_DEFAULTS.dbClients, 'clients'));
  if (dbClients > 64) throw new Error('--db-clients: at most 64');
  const tps = raw.tps === undefined ? undefined : wrap('tps', () => parseEventRate(raw.tps!));
  if (tps !== undefined && !(tps > 0)) throw new Error('--tps: must be greater than 0');
  const volumes = wrap('volumes', () => parseCount(raw.volumes ?? APP_DEFAULTS.volumes, 'volumes'));
  if (volumes > MAX_VOLUMES) throw new Error(`--volumes: at most ${MAX_VOLUMES}`);
  const staggerMs = wrap('stagger', () => parseDuration(raw.stagger ?? APP_DEFAULTS.stagger));
  if (workload !== 'stamped') {
    // The PostgreSQL workload boots the same way (mount, then start the server): same strategies.
    const bad = strategies.filter((s) => !HTTP_STRATEGIES.includes(s));
    if (bad.length) {
      throw new Error(`--workload ${workload} cannot run ${bad.join(', ')}: booting before the copy mounts an empty volume (use ${HTTP_STRATEGIES.join(', ')})`);
    }
    if (sizeBytes < MIN_HTTP_SIZE) throw new Error(`--workload ${workload} needs --size of at least 16MiB (ext4 with a journal and the data file)`);
    if (workload === 'postgres' && sizeBytes < MIN_POSTGRES_SIZE) throw new Error('--workload postgres needs --size of at least 64MiB (ext4 with the cluster and its WAL)');
  }
  return { workload: workload as WorkloadName, httpConnections, dbClients, tps, volumes, staggerMs };
}

function wrap<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new Error(`--${name}: ${(err as Error).message}`);
  }
}

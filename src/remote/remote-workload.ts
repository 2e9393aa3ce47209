import { join } from 'node:path';
import { shellQuote } from '../host/ssh-argv.js';
import { PG_BIN, PG_USER } from '../workload/postgres/server.js';
import type { Check } from '../lab/doctor.js';
import type { RemoteHost } from './remote-hosts.js';
import { aptTool, hostLacks, type HostNeed } from './host-needs.js';

/**
 * What `--workload http` runs on each real host (the volume's owner makes and mounts ext4
 * and writes the service's data file with `dd`; the service and B's clients are
 * migbench's own Node entries), with the Debian package that brings each.
 */
export const REMOTE_HTTP_NEEDS: readonly HostNeed[] = [
  aptTool('mkfs.ext4', 'e2fsprogs'),
  ...['mount', 'umount'].map((t) => aptTool(t, 'mount')),
  aptTool('fsfreeze', 'util-linux'),
  ...['dd', 'sync'].map((t) => aptTool(t, 'coreutils')),
];

/**
 * What `--workload postgres` runs on each real host (the volume's owner makes and mounts
 * ext4, runs e2fsck, the server, `pg_isready`; B's clients are migbench's own Node entry),
 * with the Debian package that brings each.
 */
export const REMOTE_POSTGRES_NEEDS: readonly HostNeed[] = [
  ...['mkfs.ext4', 'e2fsck'].map((t) => aptTool(t, 'e2fsprogs')),
  ...['mount', 'umount', 'fsfreeze', 'setpriv'].map((t) => aptTool(t, t === 'mount' || t === 'umount' ? 'mount' : 'util-linux')),
  ...['pgrep', 'kill'].map((t) => aptTool(t, 'procps')),
  ...['postgres', 'initdb', 'pg_isready'].map((t) => ({ what: join(PG_BIN, t), test: `test -x ${shellQuote(join(PG_BIN, t))}`, fix: 'apt-get install postgresql-15' })),
  { what: `user ${PG_USER}`, test: `id -u ${PG_USER}`, fix: 'apt-get install postgresql-15' },
  { what: 'amcheck', test: `test -f /usr/share/postgresql/15/extension/amcheck.control`, fix: 'apt-get install postgresql-15' },
];

/** What each workload needs on a real host beyond `doctor --hosts`'s tools (the stamped workload: nothing). */
const NEEDS: Record<string, readonly HostNeed[]> = { http: REMOTE_HTTP_NEEDS, postgres: REMOTE_POSTGRES_NEEDS };

/**
 * Why `workload` cannot run on the hosts, or undefined: what each host lacks of
 * {@link REMOTE_HTTP_NEEDS} or {@link REMOTE_POSTGRES_NEEDS}. Asked before anything is
 * provisioned; one SSH round trip per host.
 */
export async function remoteWorkloadProblem(hosts: readonly RemoteHost[], workload: string): Promise<string | undefined> {
  const needs = NEEDS[workload];
  if (!needs) return undefined;
  const problems: string[] = [];
  for (const h of hosts) {
    const missing = await hostLacks(h, needs);
    if (missing.length) problems.push(`${h.spec.role} (${h.spec.target}) lacks ${missing.join(', ')}`);
  }
  return problems.length ? `--workload ${workload} on --hosts: ${problems.join('; ')}` : undefined;
}

/**
 * `doctor --hosts`'s check of `--workload postgres` on one host (optional: the stamped
 * workload runs without it): what is missing, with the package to install.
 */
export async function postgresCheck(h: RemoteHost): Promise<Check> {
  const name = `${h.spec.role}: --workload postgres`;
  const missing = await hostLacks(h, REMOTE_POSTGRES_NEEDS);
  return missing.length
    ? { name, ok: false, optional: true, detail: `missing: ${missing.join(', ')}` }
    : { name, ok: true, optional: true, detail: `PostgreSQL 15 at ${PG_BIN}, user ${PG_USER}, amcheck, ext4 tools` };
}

/** `doctor --hosts`'s check of `--workload http` on one host (optional, like {@link postgresCheck}). */
export async function httpCheck(h: RemoteHost): Promise<Check> {
  const name = `${h.spec.role}: --workload http`;
  const missing = await hostLacks(h, REMOTE_HTTP_NEEDS);
  return missing.length ? { name, ok: false, optional: true, detail: `missing: ${missing.join(', ')}` } : { name, ok: true, optional: true, detail: 'ext4 tools, fsfreeze, dd' };
}

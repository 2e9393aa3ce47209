import { join } from 'node:path';
import { shellQuote } from '../host/ssh-argv.js';
import { PG_BIN, PG_USER } from '../workload/postgres/server.js';
import type { Check } from '../lab/doctor.js';
import type { RemoteHost } from './remote-hosts.js';

/**
 * What `--workload http` runs on each real host (the volume's owner makes and mounts ext4
 * and writes the service's data file with `dd`; the service and B's clients are
 * migbench's own Node entries), with the Debian package that brings each.
 */
export const REMOTE_HTTP_NEEDS: readonly { what: string; test: string; install: string }[] = [
  { what: 'mkfs.ext4', test: 'command -v mkfs.ext4', install: 'e2fsprogs' },
  ...['mount', 'umount'].map((t) => ({ what: t, test: `command -v ${t}`, install: 'mount' })),
  { what: 'fsfreeze', test: 'command -v fsfreeze', install: 'util-linux' },
  ...['dd', 'sync'].map((t) => ({ what: t, test: `command -v ${t}`, install: 'coreutils' })),
];

/**
 * What `--workload postgres` runs on each real host (the volume's owner makes and mounts
 * ext4, runs e2fsck, the server, `pg_isready`; B's clients are migbench's own Node entry),
 * with the Debian package that brings each.
 */
export const REMOTE_POSTGRES_NEEDS: readonly { what: string; test: string; install: string }[] = [
  ...['mkfs.ext4', 'e2fsck'].map((t) => ({ what: t, test: `command -v ${t}`, install: 'e2fsprogs' })),
  ...['mount', 'umount', 'fsfreeze', 'setpriv'].map((t) => ({ what: t, test: `command -v ${t}`, install: t === 'mount' || t === 'umount' ? 'mount' : 'util-linux' })),
  ...['pgrep', 'kill'].map((t) => ({ what: t, test: `command -v ${t}`, install: 'procps' })),
  ...['postgres', 'initdb', 'pg_isready'].map((t) => ({ what: join(PG_BIN, t), test: `test -x ${shellQuote(join(PG_BIN, t))}`, install: 'postgresql-15' })),
  { what: `user ${PG_USER}`, test: `id -u ${PG_USER}`, install: 'postgresql-15' },
  { what: 'amcheck', test: `test -f /usr/share/postgresql/15/extension/amcheck.control`, install: 'postgresql-15' },
];

/** One shell script listing what of `needs` is missing on a host, one `what<TAB>install` line each (pure). */
export function missingScript(needs: readonly { what: string; test: string; install: string }[]): string {
  return needs.map((n) => `${n.test} >/dev/null 2>&1 || printf '%s\\t%s\\n' ${shellQuote(n.what)} ${shellQuote(n.install)}`).concat('true').join('\n');
}

/** The missing lines a {@link missingScript} printed, as `what (apt-get install PKG)` (pure). */
export function parseMissing(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => `${l.slice(0, l.indexOf('\t'))} (apt-get install ${l.slice(l.indexOf('\t') + 1)})`);
}

/** What each workload needs on a real host beyond `doctor --hosts`'s tools (the stamped workload: nothing). */
const NEEDS: Record<string, readonly { what: string; test: string; install: string }[]> = { http: REMOTE_HTTP_NEEDS, postgres: REMOTE_POSTGRES_NEEDS };

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
    const missing = parseMissing(await h.host.sh(missingScript(needs), [], { timeoutMs: 30_000 }));
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
  const missing = parseMissing(await h.host.sh(missingScript(REMOTE_POSTGRES_NEEDS), [], { timeoutMs: 30_000 }));
  return missing.length
    ? { name, ok: false, optional: true, detail: `missing: ${missing.join(', ')}` }
    : { name, ok: true, optional: true, detail: `PostgreSQL 15 at ${PG_BIN}, user ${PG_USER}, amcheck, ext4 tools` };
}

/** `doctor --hosts`'s check of `--workload http` on one host (optional, like {@link postgresCheck}). */
export async function httpCheck(h: RemoteHost): Promise<Check> {
  const name = `${h.spec.role}: --workload http`;
  const missing = parseMissing(await h.host.sh(missingScript(REMOTE_HTTP_NEEDS), [], { timeoutMs: 30_000 }));
  return missing.length ? { name, ok: false, optional: true, detail: `missing: ${missing.join(', ')}` } : { name, ok: true, optional: true, detail: 'ext4 tools, fsfreeze, dd' };
}

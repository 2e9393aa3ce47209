import { join } from 'node:path';
import type { Host } from '../../host/host.js';
import { fileHost, removeOn } from '../../host/host-files.js';
import { localHost } from '../../host/local-host.js';
import type { ResourceScope } from '../../lab/scope.js';
import { mountFilesystem, type MountedFs } from '../http/filesystem.js';
import { PG_DATA, PgServer } from './server.js';

/** What e2fsck did to the destination's filesystem. */
export interface FsckRun {
  /** e2fsck's exit status: 0 clean, 1 errors corrected, 2 corrected (reboot), 4 errors left, 8 operational error. */
  exitCode: number;
  /** Problems it answered "yes" to fix. */
  fixes: number;
  /** Its last lines, for the row's warnings. */
  summary: string;
}

/** How booting the database on B went. */
export type DestBoot =
  | { ok: true; fs: MountedFs; server: PgServer; acceptingNs: number; fsck: FsckRun | undefined }
  | { ok: false; error: string; fsck: FsckRun | undefined; fs: MountedFs | undefined; server: PgServer | undefined };

/** Where and how B's server runs. */
export interface DestBootConfig {
  /** The device, as `host` names it. */
  device: string;
  /** The repetition's shared mount tree on `host`: B's filesystem goes under it. */
  mountDir: string;
  /** The server's host; its file-system work (mount, e2fsck) is done on `fileHost(host)`. */
  host: Host;
  address: string;
  port: number;
  /** The server's log, a path on `host`. */
  logFile: string;
  signal: AbortSignal;
  /** The mountpoints' name under `mountDir` ('b' by default; e2fsck's second try adds '-fsck'). */
  name?: string;
  /** A unix socket directory instead of the host's address (the verification's server). */
  socketDir?: string;
}

/**
 * Boots PostgreSQL on B as a careful operator would: mount B's ext4 (journal replay) and
 * start the server (crash recovery). If either fails — a volume copied while A's ext4 was
 * mounted and written is torn: the mount is refused, or ext4 reports corruption (EBADMSG)
 * to the server during recovery — unmount, run `e2fsck -fy` on the device, and try once
 * more. If that fails too, the database does not come up on B: a result (the row says why),
 * not a failure of the benchmark. Resolves once the server accepts connections, or with
 * the reason it never did.
 */
export async function bootDestination(scope: ResourceScope, c: DestBootConfig): Promise<DestBoot> {
  const name = c.name ?? 'b';
  const first = await attempt(scope, c, name);
  if (first.ok) return { ...first, fsck: undefined };
  await release(first);
  const fsck = await runFsck(c.device, fileHost(c.host));
  const second = await attempt(scope, c, `${name}-fsck`);
  if (second.ok) return { ...second, fsck };
  await release(second);
  return { ...second, error: `${second.error} (first attempt, before e2fsck: ${first.error})`, fsck };
}

type Attempt =
  | { ok: true; fs: MountedFs; server: PgServer; acceptingNs: number }
  | { ok: false; error: string; fs: MountedFs | undefined; server: PgServer | undefined };

/** One mount + start on a fresh mountpoint; what failed, in words, if it did. */
async function attempt(scope: ResourceScope, c: DestBootConfig, dir: string): Promise<Attempt> {
  let fs: MountedFs | undefined;
  let server: PgServer | undefined;
  try {
    const files = fileHost(c.host);
    fs = await mountFilesystem(scope, c.device, join(c.mountDir, dir), { host: files });
    const dataDir = join(fs.mountpoint, PG_DATA);
    // The lock file names A's postmaster. On a host of its own B would not know that PID;
    // in the lab A and B share one PID space, and A may still run (copy-boot-kill).
    await removeOn(files, join(dataDir, 'postmaster.pid'));
    server = PgServer.start(scope, c.host, { dataDir, address: c.address, port: c.port, logFile: c.logFile, ...(c.socketDir ? { socketDir: c.socketDir } : {}) });
    const acceptingNs = await server.waitAccepting(c.signal);
    return { ok: true, fs, server, acceptingNs };
  } catch (err) {
    if (c.signal.aborted) throw err;
    return { ok: false, error: oneLine(err), fs, server };
  }
}

/** Stops what a failed attempt left (a server still recovering, the mount) before e2fsck takes the device. */
async function release(a: { fs: MountedFs | undefined; server: PgServer | undefined }): Promise<void> {
  await a.server?.stop();
  await a.fs?.unmount();
}

/** `e2fsck -fy` on `device` (on `host`): forced full check, every fix accepted (what an operator does to a volume that will not mount cleanly). */
export async function runFsck(device: string, host: Host = localHost): Promise<FsckRun> {
  // Exit codes 1 and 2 mean "fixed": read them, and the output, rather than take them for failures.
  const out = await host.run('sh', ['-c', 'e2fsck -fy "$0" 2>&1; echo "e2fsck-exit=$?"', device]);
  return parseFsck(out);
}

/** e2fsck's output and exit status (the `e2fsck-exit=N` line runFsck appends) as a {@link FsckRun} (pure). */
export function parseFsck(out: string): FsckRun {
  const lines = out.trim().split('\n');
  const exit = /^e2fsck-exit=(\d+)$/.exec(lines.at(-1) ?? '');
  const body = exit ? lines.slice(0, -1) : lines;
  return {
    exitCode: exit ? Number(exit[1]) : 8,
    fixes: body.filter((l) => /\?\s+yes\s*$/.test(l)).length,
    summary: body.filter((l) => l.trim()).slice(-2).join(' | '),
  };
}

const oneLine = (err: unknown): string => ((err as Error)?.message ?? String(err)).replace(/\s+/g, ' ').trim();

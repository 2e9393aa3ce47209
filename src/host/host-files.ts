import { appendFile, chown, mkdir, open, rm } from 'node:fs/promises';
import { ExecaHost } from './execa-host.js';
import type { Host } from './host.js';
import { initNamespaceHost } from './init-namespace-host.js';

/*
 * File-system chores (directories, ownership, appends, mounts) on the host that owns the
 * files. The controller and its lab namespaces share one filesystem and one mount table,
 * so there they are done here with Node's own calls, as before; on any other host (a real
 * one, over SSH) each is one command run there.
 */

/**
 * The host that does `h`'s file-system work: this machine for a lab namespace (they share
 * its files and mounts; done outside the namespace, nothing is charged to the lab host's
 * CPU group), `h` itself for any other host.
 */
export function fileHost(h: Host): Host {
  return initNamespaceHost(h);
}

const local = (h: Host): boolean => h instanceof ExecaHost;

/** `mkdir` on `host` (`recursive`: `-p`; `mode`: created with it). */
export async function mkdirOn(host: Host, path: string, { recursive = false, mode }: { recursive?: boolean; mode?: number } = {}): Promise<void> {
  if (local(host)) {
    await mkdir(path, { recursive, ...(mode !== undefined ? { mode } : {}) });
    return;
  }
  await host.run('mkdir', [...(recursive ? ['-p'] : []), ...(mode !== undefined ? ['-m', mode.toString(8)] : []), '--', path]);
}

/** `rm -rf` on `host`. */
export async function removeOn(host: Host, path: string): Promise<void> {
  if (local(host)) await rm(path, { recursive: true, force: true });
  else await host.run('rm', ['-rf', '--', path]);
}

/** `chown uid:gid` on `host`. */
export async function chownOn(host: Host, path: string, uid: number, gid: number): Promise<void> {
  if (local(host)) await chown(path, uid, gid);
  else await host.run('chown', [`${uid}:${gid}`, '--', path]);
}

/** Appends `text` to the file `path` on `host`. */
export async function appendFileOn(host: Host, path: string, text: string): Promise<void> {
  if (local(host)) await appendFile(path, text);
  else await host.run('sh', ['-c', 'cat >> "$0"', path], { input: text });
}

/**
 * Writes out the page cache of the block device `device` on `host` (fsync on the device):
 * what a copy wrote through it reaches the device before a filesystem reads it directly.
 */
export async function syncDeviceOn(host: Host, device: string): Promise<void> {
  if (local(host)) {
    const dev = await open(device, 'r');
    try {
      await dev.sync();
    } finally {
      await dev.close();
    }
    return;
  }
  // coreutils' `sync FILE` opens the file and fsyncs it.
  await host.run('sync', ['--', device]);
}

/** Whether `path` is a mount point in `host`'s mount table right now. */
export async function isMountedOn(host: Host, path: string): Promise<boolean> {
  const mounts = (await host.readFile('/proc/self/mounts')).toString();
  return mounts.split('\n').some((l) => l.split(' ')[1] === path);
}

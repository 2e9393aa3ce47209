import { join } from 'node:path';
import { socketOn, type Host, type HostProcess } from '../../host/host.js';
import { localHost } from '../../host/local-host.js';
import { startUntilPidfile } from '../../host/pidfile.js';
import { attachLoop } from '../../lab/loop-device.js';
import { isMounted } from '../../lab/release-entry.js';
import type { ResourceScope } from '../../lab/scope.js';
import { QmpClient } from './qmp-client.js';
import { SshHost } from '../../host/ssh-host.js';
import { forwardUnixSocket } from '../../host/ssh-forward.js';
import { ledgerHost } from '../../host/ledger-host.js';
import { sshControlDir } from '../../remote/remote-hosts.js';

/**
 * How long a fresh qemu-storage-daemon may take to greet on QMP. It greets within
 * milliseconds, but CI once saw one stay silent for 10 s right after the previous
 * repetition's teardown on a loaded 2-core machine; the bound is generous because it
 * only costs time when the daemon really is stuck.
 */
export const QSD_GREETING_TIMEOUT_MS = 30_000;

/** A qemu-storage-daemon driven over QMP. */
export interface Qsd {
  daemon: HostProcess;
  qmp: QmpClient;
}

/**
 * Starts qemu-storage-daemon on `on` (the root host unless given) with a QMP monitor on
 * `<dir>/qmp.sock` (`dir`: a directory on that host) and connects to it — on a host over
 * SSH through a forwarded socket. On release: `quit` (which flushes every node), then wait.
 */
export async function startQsd(scope: ResourceScope, dir: string, o: { on?: Host | undefined; signal?: AbortSignal } = {}): Promise<Qsd> {
  const on = o.on ?? localHost;
  const qmpSock = socketOn(on, join(dir, 'qmp.sock'));
  const daemon = on.start(scope, 'qemu-storage-daemon', ['--chardev', `socket,path=${qmpSock},server=on,wait=off,id=qmp0`, '--monitor', 'chardev=qmp0']);
  const local = on instanceof SshHost ? await forwardUnixSocket(scope, on, qmpSock, sshControlDir(), o.signal) : qmpSock;
  let qmp: QmpClient;
  try {
    qmp = await QmpClient.connect(local, { ...(o.signal ? { signal: o.signal } : {}), timeoutMs: QSD_GREETING_TIMEOUT_MS });
  } catch (error) {
    // Say what the daemon was doing: exited, or alive but silent (a stalled machine).
    const state = daemon.hasExited() ? 'qemu-storage-daemon had exited' : 'qemu-storage-daemon still running';
    const tail = daemon.stderrTail().trim();
    throw new Error(`${(error as Error).message}; ${state}${tail ? `, stderr: ${tail}` : ''}`, { cause: error });
  }
  scope.defer('QMP connection', async () => {
    await qmp.execute('quit').catch(() => undefined);
    await qmp.close();
    await daemon.exited;
  });
  return { daemon, qmp };
}

/**
 * nbdfuse's NBD connections (`-C`; it opens them when the export advertises multi-conn, as
 * qemu-storage-daemon 7.2's exports do, writable ones included). nbdfuse 1.14 (fuse/operations.c)
 * deals each request round-robin to one of `C − 1` connections, and a connection's
 * operations thread sits in `nbd_poll()` holding that handle's lock while any request on it
 * is in flight, so a new request on a busy connection cannot even be sent until a reply
 * arrives there: two server round trips per read under load. libfuse 3.14 runs at most 10
 * worker threads, so at most 10 requests are in flight; with 31 connections the
 * connection a request lands on is almost always idle (bench/fuse-capacity.sh: 4 KiB reads
 * at 20 ms server delay, p50 41 → 21 ms, 250 → 450 reads/s; docs/strategies.md).
 */
export const NBDFUSE_CONNECTIONS = 32;

/**
 * Attaches an NBD export as a block device: `nbdfuse` mounts it over a file, then
 * `losetup --direct-io=on` (the stack that kept ext4 and fio verify clean; qsd's own FUSE
 * export did not). In the embedded lab both run on the root host (the default): the
 * NBD socket is a path, reachable from anywhere, and lab hosts share the root mount
 * namespace (see LabHost). On a real host (`host`) both run there, with its paths.
 */
export async function attachNbdAsLoop(scope: ResourceScope, uri: string, fuseFile: string, host: Host = localHost): Promise<string> {
  // nbdfuse mounts over an existing file; over a missing path it would hide the whole
  // directory (sockets included).
  await host.writeFile(fuseFile, '');
  const pidfile = `${fuseFile}.pid`;
  // On a real host, its mount table (a mount over a file: `mountpoint` wants a directory).
  const mounted = (): Promise<boolean> =>
    host === localHost
      ? Promise.resolve(isMounted(fuseFile))
      : host.run('awk', ['-v', `p=${fuseFile}`, '$2 == p { f = 1 } END { exit !f }', '/proc/self/mounts']).then(() => true, () => false);
  await scope.acquire(
    { kind: 'mount', path: fuseFile, ...ledgerHost(host) },
    async () => {
      return startUntilPidfile(scope, host, 'nbdfuse', ['-C', String(NBDFUSE_CONNECTIONS), '-P', pidfile, fuseFile, uri], pidfile, 'nbdfuse to mount the export');
    },
    async (d) => {
      // nbdfuse exits by itself once unmounted (killing it leaves a dead mount).
      if (await mounted()) await host.run('fusermount3', ['-u', fuseFile]);
      await d?.stop();
    },
  );
  return attachLoop(scope, fuseFile, { directIo: true, host });
}

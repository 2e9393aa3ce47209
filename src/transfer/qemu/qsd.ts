import { join } from 'node:path';
import type { Host, HostProcess } from '../../host/host.js';
import { localHost } from '../../host/local-host.js';
import { waitForPidfile } from '../../host/pidfile.js';
import { attachLoop } from '../../lab/loop-device.js';
import { isMounted } from '../../lab/release-entry.js';
import type { ResourceScope } from '../../lab/scope.js';
import { QmpClient } from './qmp-client.js';

/** A qemu-storage-daemon driven over QMP. */
export interface Qsd {
  daemon: HostProcess;
  qmp: QmpClient;
}

/**
 * Starts qemu-storage-daemon on `on` (the root host unless given) with a QMP monitor on
 * `<dir>/qmp.sock` and connects to it. On release: `quit` (which flushes every node),
 * then wait.
 */
export async function startQsd(scope: ResourceScope, dir: string, o: { on?: Host | undefined; signal?: AbortSignal } = {}): Promise<Qsd> {
  const qmpSock = join(dir, 'qmp.sock');
  const daemon = (o.on ?? localHost).start(scope, 'qemu-storage-daemon', ['--chardev', `socket,path=${qmpSock},server=on,wait=off,id=qmp0`, '--monitor', 'chardev=qmp0']);
  const qmp = await QmpClient.connect(qmpSock, { ...(o.signal ? { signal: o.signal } : {}), timeoutMs: 10_000 });
  scope.defer('QMP connection', async () => {
    await qmp.execute('quit').catch(() => undefined);
    await qmp.close();
    await daemon.exited;
  });
  return { daemon, qmp };
}

/**
 * Attaches an NBD export as a local block device: `nbdfuse` mounts it over a file, then
 * `losetup --direct-io=on` (the stack that kept ext4 and fio verify clean; qsd's own FUSE
 * export did not). Both run on the root host: the device is the controller's, and the
 * NBD socket is a path, reachable from anywhere. (Lab hosts share the root mount
 * namespace — see LabHost — so the FUSE mount would be visible either way.)
 */
export async function attachNbdAsLoop(scope: ResourceScope, uri: string, fuseFile: string): Promise<string> {
  // nbdfuse mounts over an existing file; over a missing path it would hide the whole
  // directory (sockets included).
  await localHost.writeFile(fuseFile, '');
  const pidfile = `${fuseFile}.pid`;
  await scope.acquire(
    { kind: 'mount', path: fuseFile },
    async () => {
      const d = localHost.start(scope, 'nbdfuse', ['-P', pidfile, fuseFile, uri]);
      await waitForPidfile(d, pidfile, 'nbdfuse to mount the export');
      return d;
    },
    async (d) => {
      // nbdfuse exits by itself once unmounted (killing it leaves a dead mount).
      if (isMounted(fuseFile)) await localHost.run('fusermount3', ['-u', fuseFile]);
      await d?.stop();
    },
  );
  return attachLoop(scope, fuseFile, { directIo: true });
}

import { QEMU_NBD_CLIENT } from '../../fault/timeouts.js';
import type { QmpClient } from '../qemu/qmp-client.js';
import type { CloneOptions } from './backend.js';

/** The clone's block nodes in qemu-storage-daemon. */
export const NODE = { source: 'src', data: 'dest-data', meta: 'meta-file', overlay: 'overlay', cor: 'cor' } as const;
/** The NBD export B's device reads through. */
export const EXPORT = 'clone';
/** One bit per cluster present on B's device (see `addOverlayAndExport`). */
export const PRESENT_BITMAP = 'present';

/**
 * The nodes below the overlay: A's export over NBD (read-only; a handshake, no data),
 * B's raw device, and the qcow2 metadata file. Shared by the first assembly and the one
 * after a dest-crash, which differ only in whether the qcow2 image is created in between.
 */
export async function addBaseNodes(qmp: QmpClient, o: CloneOptions, metaFile: string): Promise<void> {
  await qmp.execute('blockdev-add', {
    driver: 'nbd',
    'node-name': NODE.source,
    server: { type: 'inet', host: o.sourceHost, port: String(o.sourcePort) },
    'read-only': true,
    // Ride out a restarted source (fault/timeouts.ts, recorded in meta.json).
    ...QEMU_NBD_CLIENT,
  });
  await qmp.execute('blockdev-add', { driver: 'host_device', 'node-name': NODE.data, filename: o.destDevice, cache: { direct: true }, aio: 'native' });
  await qmp.execute('blockdev-add', { driver: 'file', 'node-name': NODE.meta, filename: metaFile });
}

/**
 * The overlay over the base nodes, the presence bitmap, copy-on-read on top, exported over
 * NBD on `nbdSock`; returns the export's URI.
 */
export async function addOverlayAndExport(qmp: QmpClient, o: CloneOptions, nbdSock: string): Promise<string> {
  await qmp.execute('blockdev-add', { driver: 'qcow2', 'node-name': NODE.overlay, file: NODE.meta, backing: NODE.source, 'data-file': NODE.data });
  // One bit per cluster written to B's device (copy-on-read fills, block-stream, the
  // workload's writes; guest offset = device offset): once set, that cluster is on B, and
  // the count is hydration progress. On the data-file node, because copy-on-read writes
  // into the overlay below the generic write path that marks the overlay's own bitmaps.
  await qmp.execute('block-dirty-bitmap-add', { node: NODE.data, name: PRESENT_BITMAP, granularity: o.regionSizeBytes });
  await qmp.execute('blockdev-add', { driver: 'copy-on-read', 'node-name': NODE.cor, file: NODE.overlay });
  await qmp.execute('nbd-server-start', { addr: { type: 'unix', data: { path: nbdSock } } });
  await qmp.execute('block-export-add', { type: 'nbd', id: EXPORT, 'node-name': NODE.cor, name: EXPORT, writable: true });
  return `nbd+unix:///${EXPORT}?socket=${nbdSock}`;
}

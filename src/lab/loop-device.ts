import { rm, truncate, writeFile } from 'node:fs/promises';
import { localHost } from '../host/local-host.js';
import type { ResourceScope } from './scope.js';

/**
 * Creates a sparse backing file and attaches it as a loop device. Both are in the
 * ledger before they exist; the device is found again by its backing file, so cleanup
 * never detaches a loop device migbench did not attach.
 */
export async function createLoopDevice(
  scope: ResourceScope,
  backingFile: string,
  sizeBytes: number,
  { directIo = false }: { directIo?: boolean } = {},
): Promise<string> {
  await scope.acquire(
    { kind: 'file', path: backingFile },
    async () => {
      await writeFile(backingFile, '', { flag: 'wx' });
      await truncate(backingFile, sizeBytes);
    },
    () => rm(backingFile, { force: true }),
  );
  return attachLoop(scope, backingFile, { directIo });
}

/** Attaches an existing file (e.g. an nbdfuse file) as a loop device owned by `scope`. */
export async function attachLoop(scope: ResourceScope, file: string, { directIo = false } = {}): Promise<string> {
  return scope.acquire(
    { kind: 'loop', backingFile: file },
    () => localHost.run('losetup', ['--find', '--show', ...(directIo ? ['--direct-io=on'] : []), file]),
    () => detachLoopsOf(file),
  );
}

/** Detaches every loop device whose backing file is `file` (the ledger's identity for it). */
export async function detachLoopsOf(file: string): Promise<void> {
  const out = await localHost.run('losetup', ['--associated', file, '--noheadings', '--output', 'NAME']);
  for (const dev of out.split('\n').map((s) => s.trim()).filter(Boolean)) {
    await localHost.run('losetup', ['--detach', dev]);
  }
}

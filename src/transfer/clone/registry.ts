import type { CloneBackend } from './backend.js';
import { DmCloneBackend } from './dm-clone.js';
import { QemuCloneBackend } from './qemu-clone.js';

export type BackendName = 'qemu' | 'dm-clone';

const BACKENDS: Record<BackendName, () => CloneBackend> = {
  qemu: () => new QemuCloneBackend(),
  'dm-clone': () => new DmCloneBackend(),
};

/** The backend called `name`. */
export function cloneBackend(name: BackendName): CloneBackend {
  return BACKENDS[name]();
}

/** `auto` picks the kernel backend where it can run, else userspace. */
export async function resolveBackend(requested: 'auto' | BackendName): Promise<CloneBackend> {
  if (requested !== 'auto') return cloneBackend(requested);
  const kernel = cloneBackend('dm-clone');
  return (await kernel.unavailable()) === undefined ? kernel : cloneBackend('qemu');
}

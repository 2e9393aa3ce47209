import type { CloneBackend } from './backend.js';
import { DmCloneBackend } from './dm-clone.js';
import { QemuCloneBackend } from './qemu-clone.js';

export type BackendName = 'qemu' | 'dm-clone';

const BACKENDS: Partial<Record<BackendName, () => CloneBackend>> = {
  qemu: () => new QemuCloneBackend(),
  'dm-clone': () => new DmCloneBackend(),
};

/** The backend called `name`; throws if this build has none by that name. */
export function cloneBackend(name: BackendName): CloneBackend {
  const make = BACKENDS[name];
  if (!make) throw new Error(`clone backend ${name} is not implemented yet`);
  return make();
}

/** `auto` picks the kernel backend where it can run, else userspace. */
export async function resolveBackend(requested: 'auto' | BackendName): Promise<CloneBackend> {
  if (requested !== 'auto') return cloneBackend(requested);
  for (const name of ['dm-clone', 'qemu'] as const) {
    const make = BACKENDS[name];
    if (make && !(await make().unavailable())) return make();
  }
  return cloneBackend('qemu');
}

import type { Host } from './host.js';
import { ExecaHost } from './execa-host.js';
import { localHost } from './local-host.js';

/**
 * The host that runs work in `h`'s initial namespaces: this machine's for a lab side (a
 * network namespace of this kernel, which shares its files and mounts), `h` itself for a
 * real host (its SSH session already is in them).
 */
export function initNamespaceHost(h: Host): Host {
  return h instanceof ExecaHost ? localHost : h;
}

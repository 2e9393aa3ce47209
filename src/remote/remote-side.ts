import type { CpuGroup } from '../lab/cpu-cgroup.js';
import type { Host } from '../lab/hosts.js';
import { SshHost } from '../host/ssh-host.js';
import type { SshEndpoint } from '../host/ssh-argv.js';
import type { RemoteHostSpec } from './inventory.js';
import { mapSocketPath, mapWorkPath } from './work-path.js';

/**
 * A side of a migration on a real host: the {@link SshHost} plus what the lab's side
 * carries (role, data address, its end of the link) and where its files go (`dataDir`).
 */
export class RemoteSide extends SshHost implements Host {
  /** The host's CPU-accounting group (remote-cpu-group.ts), when it has one: every command and process it starts from then on runs in it. */
  cpu: CpuGroup | undefined;

  /** Puts every command and process this host starts from now on in `group`. */
  joinCpuGroup(group: CpuGroup): void {
    this.cpu = group;
    this.cgroupProcs = group.procsFile;
  }

  /** Runs what it starts from now on outside the group again (the group is about to go). */
  leaveCpuGroup(): void {
    this.cgroupProcs = undefined;
  }

  constructor(
    name: string,
    endpoint: SshEndpoint,
    readonly label: 'A' | 'B',
    /** The data address the other side reaches this one at. */
    readonly address: string,
    /** Its end of the link: `shapeInterface`, else the interface of the route to the other side. */
    readonly iface: string,
    /** Backing files and work directories on this host. */
    readonly dataDir: string,
    /** The run shapes `iface` with its own tbf (the inventory named it `shapeInterface`). */
    readonly shaped = false,
  ) {
    super(name, endpoint);
  }

  /** The controller's work root and where this host keeps it (set by the remote lab). */
  workRoot: { controller: string; host: string } | undefined;

  /**
   * host clock − controller clock, ns, as measured before the run: subtracted from every
   * timestamp a process on this host reports (see src/remote/clock.ts). 0 until measured.
   */
  clockOffsetNs = 0;

  /** A controller work path as this host keeps it: under `<dataDir>/work`. */
  workPath(path: string): string {
    if (!this.workRoot) throw new Error(`${this.name}: no work directory yet (the remote lab sets it)`);
    return mapWorkPath(this.workRoot.controller, this.workRoot.host, path);
  }

  /** The run's short link to its work directory on this host (set by the remote lab once made; see socketLinkPath). */
  socketLink: { link: string; target: string } | undefined;

  /** A socket under the run's work directory here, named through the short link (unchanged before it exists). */
  socketPath(path: string): string {
    return this.socketLink ? mapSocketPath(this.socketLink.link, this.socketLink.target, path) : path;
  }
}

/** The device of `ip -j route get ADDRESS`'s answer (pure); throws when it names none. */
export function parseRouteDevice(json: string, address: string): string {
  const routes = JSON.parse(json) as { dev?: string }[];
  const dev = routes[0]?.dev;
  if (!dev) throw new Error(`no route to ${address}: ip route get answered ${json.trim()}`);
  return dev;
}

/**
 * Makes the side for `spec` from its SSH host: its end of the link is the inventory's
 * `shapeInterface`, or the interface the host routes the other side's data address over
 * (asked on the host, never assumed).
 */
export async function remoteSide(host: SshHost, spec: RemoteHostSpec, peer: RemoteHostSpec): Promise<RemoteSide> {
  const iface = spec.shapeInterface ?? parseRouteDevice(await host.run('ip', ['-j', 'route', 'get', peer.dataAddress]), peer.dataAddress);
  return new RemoteSide(host.name, host.endpoint, spec.role === 'a' ? 'A' : 'B', spec.dataAddress, iface, spec.dataDir, spec.shapeInterface !== undefined);
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { localHost } from '../host/local-host.js';
import { ExecaHost } from '../host/execa-host.js';
import { ledgerHost } from '../host/ledger-host.js';
import type { Host as AnyHost } from '../host/host.js';
import type { Host } from './hosts.js';
import { ProcessExitedError } from '../host/errors.js';
import { ResourceScope } from './scope.js';
import { waitFor } from './wait.js';

/** True while the kernel NBD device `device` (/dev/nbdN) has a live connection. */
export function nbdConnected(device: string): boolean {
  return existsSync(`/sys/block/${device.replace('/dev/', '')}/pid`);
}

function nbdSizeBytes(device: string): number {
  try {
    return Number(readFileSync(`/sys/block/${device.replace('/dev/', '')}/size`, 'utf8').trim()) * 512;
  } catch {
    return -1;
  }
}

/** Why the kernel NBD client cannot be used here, or undefined. */
export function nbdClientProblem(): string | undefined {
  if (!existsSync('/sys/block/nbd0') && !existsSync('/sys/module/nbd')) return 'the running kernel has no NBD client (nbd module)';
  return undefined;
}

/**
 * The state of every kernel NBD device on `host` (one `sh` there): device → its size in
 * bytes, -1 when not connected. A lab namespace shares this kernel: read here.
 */
export async function nbdDevicesOn(host: AnyHost): Promise<Map<string, number>> {
  if (host instanceof ExecaHost) {
    const local = readdirSync('/sys/block').filter((n) => /^nbd\d+$/.test(n)).map((n) => `/dev/${n}`);
    return new Map(local.map((d) => [d, nbdConnected(d) ? nbdSizeBytes(d) : -1]));
  }
  const out = await host.run('sh', ['-c', 'for d in /sys/block/nbd*; do [ -e "$d" ] || continue; n=${d#/sys/block/}; if [ -e "$d/pid" ]; then echo "/dev/$n $(cat "$d/size")"; else echo "/dev/$n -"; fi; done']);
  return parseNbdList(out);
}

/** Parses `/dev/nbdN <sectors|->` lines into device → bytes (-1 unconnected) (pure). */
export function parseNbdList(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [dev, size] = line.trim().split(/\s+/);
    if (dev && /^\/dev\/nbd\d+$/.test(dev)) map.set(dev, size === '-' || size === undefined ? -1 : Number(size) * 512);
  }
  return map;
}

/** Free (unconnected) kernel NBD devices on `host`, in number order. */
export async function freeNbdDevicesOn(host: AnyHost): Promise<string[]> {
  const all = await nbdDevicesOn(host);
  return [...all].filter(([, size]) => size === -1).map(([d]) => d).sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));
}

/** Kernel NBD devices with no connection, in number order. */
export function freeNbdDevices(): string[] {
  return readdirSync('/sys/block')
    .filter((n) => /^nbd\d+$/.test(n))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)))
    .map((n) => `/dev/${n}`)
    .filter((d) => !nbdConnected(d));
}

export interface NbdAttachOptions {
  host: string;
  port: number;
  exportName: string;
  sizeBytes: number;
  /** The TCP connection is made from this host's namespace. */
  from: Host;
  readonly: boolean;
}

/**
 * Connects a free /dev/nbdN to an NBD export with the kernel client, the TCP connection
 * made from `from`'s namespace. The nbd generic-netlink family exists only in the initial
 * network namespace, so the client runs in ioctl mode (`-nonetlink`) and in the foreground
 * (`-nofork`): it is a daemon migbench owns and waits for, and killing it drops the
 * connection. The ledger records the device before the connection exists; cleanup
 * disconnects it only while it is connected with the recorded size. Another run may take
 * the same free device first: then the next one is tried.
 */
export async function attachNbd(scope: ResourceScope, o: NbdAttachOptions): Promise<string> {
  const candidates = await freeNbdDevicesOn(o.from);
  const sizeOn = async (device: string): Promise<number> => (await nbdDevicesOn(o.from)).get(device) ?? -1;
  if (candidates.length === 0) throw new Error('no free /dev/nbdN device (all connected)');
  let lastError: unknown;
  for (const device of candidates.slice(0, 4)) {
    // Released after the disconnect below, by which time the client has exited by itself.
    const clientScope = new ResourceScope(scope.ledger);
    scope.defer(`nbd-client for ${device}`, () => clientScope.close());
    try {
      return await scope.acquire(
        { kind: 'nbd', device, sizeBytes: o.sizeBytes, ...ledgerHost(o.from) },
        async () => {
          // -b 4096: the workload's block size, so no request is split into 512 B sectors.
          const args = ['-N', o.exportName, o.host, String(o.port), device, '-b', '4096', '-t', '60', '-nonetlink', '-nofork', ...(o.readonly ? ['-R'] : [])];
          const client = o.from.start(clientScope, 'nbd-client', args);
          // The kernel shows the connection (sysfs `pid`) a moment before it sets the
          // device's size (nbd_start_device), so both are waited for.
          await waitFor(`${device} to connect and take the export's size`, async () => {
            if ((await sizeOn(device)) > 0) return true;
            if (client.hasExited()) throw new ProcessExitedError(`nbd-client ${device}`, await client.exited);
            return undefined;
          });
          const size = await sizeOn(device);
          if (size !== o.sizeBytes) {
            await disconnect(device, o.from);
            throw new SizeMismatch(`${device} connected with ${size} bytes, expected ${o.sizeBytes}`);
          }
          return device;
        },
        () => disconnectNbdIfOurs(device, o.sizeBytes, o.from),
      );
    } catch (err) {
      if (err instanceof SizeMismatch) throw err;
      lastError = err;
    }
  }
  throw lastError;
}

/** The kernel connected the device with another size than the export's: trying another device would not help. */
class SizeMismatch extends Error {
  override readonly name = 'SizeMismatch';
}

/** Disconnects `device` on `host` if it is still connected with the size migbench recorded. */
export async function disconnectNbdIfOurs(device: string, sizeBytes: number, host: AnyHost = localHost): Promise<void> {
  if ((await nbdDevicesOn(host)).get(device) !== sizeBytes) return;
  await disconnect(device, host);
}

/**
 * `nbd-client -d` for a device on `host`. A plain `-d` goes through the nbd generic-netlink
 * family, which a network namespace other than the initial one does not see ("Couldn't
 * resolve the nbd netlink family"): a lab side's runs in this machine's root namespace. On
 * another host it runs there, in ioctl mode ({@link NBD_IOCTL_DISCONNECT}), as the connect
 * did: sshd may itself run in a namespace (the SSH test hosts do, and their kernel's plain
 * `-d` fails there, checked in the kernel lab).
 */
function disconnect(device: string, host: AnyHost): Promise<string> {
  if (host instanceof ExecaHost) return localHost.run('nbd-client', ['-d', device]);
  return host.run('nbd-client', [...NBD_IOCTL_DISCONNECT, device]);
}

/** The disconnect of a device connected with `-nonetlink`, in the same mode (the ioctl). */
export const NBD_IOCTL_DISCONNECT: readonly string[] = ['-nonetlink', '-d'];

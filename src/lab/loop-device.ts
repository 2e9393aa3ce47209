import { readdirSync, readFileSync } from 'node:fs';
import { localHost } from '../host/local-host.js';
import { ToolError } from '../host/errors.js';
import type { Host as AnyHost } from '../host/host.js';
import { ExecaHost } from '../host/execa-host.js';
import { ledgerHost } from '../host/ledger-host.js';
import type { ResourceScope } from './scope.js';
import { describeHolders, deviceHolders, killOurHolders, type DeviceHolder, type DeviceHolders } from './loop-holders.js';
import { waitFor } from './wait.js';

/** How long one `losetup` may take before a release gives up on it (a starved machine, a dead FUSE file). */
const LOSETUP_TIMEOUT_MS = 20_000;
/** Attempts at attaching when another program takes the device `losetup --find` named first. */
const ATTACH_ATTEMPTS = 5;

/** The ledger's identity of a loop device: its backing path and, once reserved, the device. */
export interface LoopIdentity {
  backingFile: string;
  /** `/dev/loopN`, recorded before the attach (absent in ledgers written before it was). */
  device?: string | undefined;
}

/**
 * Creates a sparse backing file and attaches it as a loop device. Both are in the
 * ledger before they exist (see {@link attachLoop}), so cleanup never detaches a loop
 * device migbench did not attach.
 */
export async function createLoopDevice(
  scope: ResourceScope,
  backingFile: string,
  sizeBytes: number,
  { directIo = false, host = localHost }: { directIo?: boolean; host?: AnyHost } = {},
): Promise<string> {
  await scope.acquire(
    { kind: 'file', path: backingFile, ...ledgerHost(host) },
    // On the host that attaches it (`set -C`: refuses an existing file, as `wx` did).
    () => host.run('sh', ['-c', 'set -C && : > "$1" && truncate -s "$2" "$1"', 'sh', backingFile, String(sizeBytes)]),
    async () => {
      await host.run('rm', ['-f', backingFile]);
    },
  );
  return attachLoop(scope, backingFile, { directIo, host });
}

/**
 * Attaches `file` (a sparse image, an nbdfuse file) as a loop device owned by `scope`.
 * The device is reserved first (`losetup --find`) and written to the ledger with the
 * file *before* the attach, so a run killed while `losetup` runs still names it. The
 * name matters for a loop over a FUSE file: once the FUSE daemon is gone the kernel shows
 * its backing file as `/`, and no path lookup finds it again.
 */
export async function attachLoop(scope: ResourceScope, file: string, { directIo = false, host = localHost }: { directIo?: boolean; host?: AnyHost } = {}): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const device = (await host.run('losetup', ['--find'], { timeoutMs: LOSETUP_TIMEOUT_MS })).trim();
    const identity = { backingFile: file, device };
    const attached = await scope.acquire(
      { kind: 'loop', ...identity, ...ledgerHost(host) },
      async () => {
        try {
          await host.run('losetup', [...(directIo ? ['--direct-io=on'] : []), device, file], { timeoutMs: LOSETUP_TIMEOUT_MS });
          return true;
        } catch (err) {
          // Another program attached the device between --find and here: reserve anew.
          if (err instanceof ToolError && attempt < ATTACH_ATTEMPTS && (await loopBackingOn(host, device)) !== undefined) return false;
          throw err;
        }
      },
      // The identity check makes the release of a lost reservation a no-op.
      () => detachLoop(identity, host),
    );
    if (attached) return device;
  }
}

/**
 * The backing path the kernel shows for `/dev/loopN` (sysfs), or undefined when the
 * device is not attached. Read from sysfs, not through `losetup --associated`: that
 * stats the path, which after a FUSE daemon died is the plain file under the mount.
 */
export function loopBacking(device: string): string | undefined {
  try {
    return readFileSync(`/sys/block/${device.replace(/^\/dev\//, '')}/loop/backing_file`, 'utf8').replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

/**
 * Loop devices attached over the ledger entry `e` (pure, given the kernel's view
 * `backings`: device → backing path): every device backed by its path (or by its path
 * deleted), and its recorded device when that shows `/` — the root of a detached mount,
 * which is what a loop over an nbdfuse file shows once nbdfuse has unmounted.
 */
export function loopsOf(e: LoopIdentity, backings: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [device, back] of backings) {
    if (back === e.backingFile || back === `${e.backingFile} (deleted)` || (device === e.device && back === '/')) found.push(device);
  }
  return found;
}

/** Every attached loop device and its backing path, from sysfs. */
export function attachedLoops(): Map<string, string> {
  const map = new Map<string, string>();
  for (const name of readdirSync('/sys/block').filter((n) => /^loop\d+$/.test(n))) {
    const back = loopBacking(name);
    if (back !== undefined) map.set(`/dev/${name}`, back);
  }
  return map;
}

/** {@link loopBacking} on `host` (its sysfs, read through the host). */
export async function loopBackingOn(host: AnyHost, device: string): Promise<string | undefined> {
  // A lab namespace or the controller itself: this kernel's sysfs, read here.
  if (host instanceof ExecaHost) return loopBacking(device);
  return host.readFile(`/sys/block/${device.replace(/^\/dev\//, '')}/loop/backing_file`).then(
    (b) => b.toString().replace(/\n$/, ''),
    () => undefined,
  );
}

/**
 * {@link attachedLoops} on `host`: one `sh` over the host prints `device<TAB>backing` per
 * attached loop device (only what that host's kernel shows).
 */
export async function attachedLoopsOn(host: AnyHost): Promise<Map<string, string>> {
  if (host instanceof ExecaHost) return attachedLoops();
  const out = await host.run('sh', ['-c', 'for f in /sys/block/loop*/loop/backing_file; do [ -r "$f" ] && d=${f#/sys/block/} && printf "/dev/%s\\t%s\\n" "${d%%/*}" "$(cat "$f")"; done; true']);
  return parseLoopList(out);
}

/** Parses `device<TAB>backing` lines (pure). */
export function parseLoopList(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) map.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return map;
}

/** How long a detached loop device may stay attached (held open) before its holders are looked for, and again after ours are killed. */
export const DETACH_WAIT_MS = 5000;

/** A loop device that stays attached after `losetup --detach`: something still holds it open. */
export class LoopBusyError extends Error {
  override readonly name = 'LoopBusyError';
  constructor(
    readonly device: string,
    readonly holders: DeviceHolders,
    readonly killed: readonly DeviceHolder[],
    waitedMs: number,
  ) {
    super(`${device} is still attached ${(waitedMs / 1000).toFixed(1)} s after losetup --detach: ${describeHolders(holders, killed)}`);
  }
}

/** True once `device` no longer shows `backing` (detached, or reused for another file), within `ms`. */
async function detachedWithin(host: AnyHost, device: string, backing: string, ms: number): Promise<boolean> {
  return waitFor(`${device} to detach`, async () => ((await loopBackingOn(host, device)) !== backing ? true : undefined), { timeoutMs: ms, intervalMs: 50 }).then(
    () => true,
    () => false,
  );
}

/**
 * Detaches every loop device the ledger entry `e` names on `host` (see {@link loopsOf});
 * bounded. `losetup --detach` of a device something still holds open only marks it
 * (autoclear: it goes at the last close) and returns at once; a device still attached
 * after {@link DETACH_WAIT_MS} has its holders looked up (/proc/PID/fd, device-mapper
 * holders, mounts): those migbench started (the run's or this controller's marks, see
 * loop-holders.ts) are SIGKILLed — a fio job orphaned by its main process was one — and
 * the rest are named, never signalled, in a {@link LoopBusyError}.
 */
export async function detachLoop(e: LoopIdentity, host: AnyHost = localHost, { runId }: { runId?: string | undefined } = {}): Promise<void> {
  const attached = await attachedLoopsOn(host);
  for (const dev of loopsOf(e, attached)) {
    const backing = attached.get(dev)!;
    await host.run('losetup', ['--detach', dev], { timeoutMs: LOSETUP_TIMEOUT_MS });
    const t0 = Date.now();
    if (await detachedWithin(host, dev, backing, DETACH_WAIT_MS)) continue;
    const holders = await deviceHolders(host, dev, runId);
    const killed = await killOurHolders(host, holders);
    if (killed.length && (await detachedWithin(host, dev, backing, DETACH_WAIT_MS))) continue;
    throw new LoopBusyError(dev, holders, killed, Date.now() - t0);
  }
}

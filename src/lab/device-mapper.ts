import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { localHost } from '../host/local-host.js';
import type { Host as AnyHost } from '../host/host.js';
import { ExecaHost } from '../host/execa-host.js';
import { ledgerHost } from '../host/ledger-host.js';
import { ToolError } from '../host/errors.js';
import type { ResourceScope } from './scope.js';
import { waitFor } from './wait.js';

/**
 * Without udev (containers, the kernel lab's VM) dmsetup must create the /dev/mapper
 * nodes itself, or it waits for a udev cookie nobody answers.
 */
const env = (): Record<string, string> => (existsSync('/run/udev/control') ? {} : { DM_DISABLE_UDEV: '1' });

/**
 * `dmsetup args` on `host`. A lab namespace shares this kernel (and its udev); on another
 * machine the same udev check runs there, in the one shell that runs dmsetup.
 */
const dmsetup = (args: string[], signal?: AbortSignal, host: AnyHost = localHost, timeoutS?: number): Promise<string> => {
  const opts = signal ? { signal } : {};
  if (host instanceof ExecaHost) return host.run('dmsetup', args, { env: env(), ...opts });
  // `timeout` (exit 124 when it fires) bounds a command on the host itself, see waitForEvent.
  const bound = timeoutS ? `timeout ${timeoutS} ` : '';
  return host.run('sh', ['-c', `[ -e /run/udev/control ] || export DM_DISABLE_UDEV=1; exec ${bound}dmsetup "$@"`, 'sh', ...args], opts);
};

/** Seconds one `dmsetup wait` may block on a real host before it is asked again. */
const REMOTE_WAIT_S = 5;

const safe = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '');

/**
 * The name of a repetition's device-mapper device `what` (`clone`, `era`) on `host`,
 * migbench's and unique per run (pure). A lab side's name is its namespace, made per run;
 * a real host's name is its SSH target, the same for every run there (and both test hosts
 * share one kernel), so there the run id (the work directory's parent, `$STATE/<run>/<rep>`)
 * makes it unique: `migbench-<run>-<rep>-<what>`.
 */
export function dmDeviceName(host: AnyHost, workDir: string, what: string): string {
  const rep = safe(basename(workDir));
  if (host instanceof ExecaHost) return `${host.name}-${rep}-${what}`;
  return `migbench-${safe(basename(dirname(workDir)))}-${rep}-${what}`;
}

/** Why device-mapper cannot be used here, or undefined. */
export function deviceMapperProblem(): string | undefined {
  const misc = existsSync('/proc/misc') ? readFileSync('/proc/misc', 'utf8') : '';
  if (!/\bdevice-mapper\b/.test(misc)) return 'the running kernel has no device-mapper (dm-mod)';
  return undefined;
}

/** Target names the kernel offers right now (`dmsetup targets`). */
export async function dmTargets(): Promise<string[]> {
  const out = await dmsetup(['targets']);
  return out.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter(Boolean);
}

/**
 * Whether the kernel offers `target` (`dmsetup targets` lists loaded ones only; creating
 * a table autoloads the module, so whether the module exists is what counts).
 */
export async function hasDmTarget(target: string, module: string): Promise<boolean> {
  if ((await dmTargets()).includes(target)) return true;
  return localHost.run('modinfo', [module]).then(
    () => true,
    () => false,
  );
}

/** A device-mapper device migbench created (its name carries the lab prefix). */
export class DmDevice {
  constructor(
    readonly name: string,
    /** The host whose kernel holds it. */
    readonly host: AnyHost = localHost,
  ) {}

  private dm(args: string[], signal?: AbortSignal, timeoutS?: number): Promise<string> {
    return dmsetup(args, signal, this.host, timeoutS);
  }

  get path(): string {
    return `/dev/mapper/${this.name}`;
  }

  status(): Promise<string> {
    return this.dm(['status', this.name]);
  }

  async message(...words: string[]): Promise<void> {
    await this.dm(['message', this.name, '0', ...words]);
  }

  /**
   * Suspends (flushing in-flight I/O), loads `table` and resumes: an atomic table swap.
   * `--nolockfs`: a filesystem mounted on the device is not frozen for it. A swap to a
   * mapping of the same data needs no frozen filesystem (in-flight I/O is drained either
   * way), and a freeze can fail on its own: the clone's detach under `--workload postgres`
   * after a dest-crash failed with EIO in the kernel lab, and passes with `--nolockfs`
   * (docs/workloads-postgres.md, "Faults").
   */
  async swapTable(table: string): Promise<void> {
    await this.dm(['suspend', '--nolockfs', this.name]);
    try {
      await this.dm(['load', this.name, '--table', table]);
    } finally {
      await this.dm(['resume', this.name]);
    }
  }

  /**
   * Waits until every write already submitted to the device has completed: suspend
   * (which waits for in-flight I/O; `--nolockfs` so a mounted filesystem is not frozen)
   * then resume. New I/O waits meanwhile.
   */
  async drainInFlight(): Promise<void> {
    await this.dm(['suspend', '--nolockfs', this.name]);
    await this.dm(['resume', this.name]);
  }

  /** The device's event counter (targets raise events on state changes). */
  async eventCount(): Promise<number> {
    const out = (await this.dm(['info', '-c', '--noheadings', '-o', 'events', this.name])).trim();
    if (!/^\d+$/.test(out)) throw new Error(`unparseable dmsetup event count for ${this.name}: ${out}`);
    return Number(out);
  }

  /**
   * Resolves once the event counter exceeds `seen` (`dmsetup wait`, which blocks in the kernel).
   * Over SSH an abort kills only the local ssh: the host's `dmsetup wait` would hold the device
   * until its next event (and a removal would fail meanwhile), so there each wait is bounded
   * (`timeout`, {@link REMOTE_WAIT_S}) and asked again while nothing aborted it.
   */
  async waitForEvent(seen: number, signal?: AbortSignal): Promise<void> {
    if (this.host instanceof ExecaHost) {
      await this.dm(['wait', this.name, String(seen)], signal);
      return;
    }
    for (;;) {
      signal?.throwIfAborted();
      try {
        await this.dm(['wait', this.name, String(seen)], signal, REMOTE_WAIT_S);
        return;
      } catch (err) {
        if (!(err instanceof ToolError && err.exitCode === 124) || signal?.aborted) throw err;
      }
    }
  }

  async table(): Promise<string> {
    return this.dm(['table', this.name]);
  }
}

/** Creates a device-mapper device from one table, owned by `scope` (and the ledger). */
export async function createDmDevice(scope: ResourceScope, name: string, table: string, host: AnyHost = localHost): Promise<DmDevice> {
  return scope.acquire(
    { kind: 'dm', name, ...ledgerHost(host) },
    async () => {
      await dmsetup(['create', name, '--table', table], undefined, host);
      const dev = new DmDevice(name, host);
      const appeared = async (): Promise<boolean> => (host instanceof ExecaHost ? existsSync(dev.path) : host.run('test', ['-e', dev.path]).then(() => true, () => false));
      await waitFor(`${dev.path} to appear`, async () => ((await appeared()) ? true : undefined), { timeoutMs: 10_000 });
      return dev;
    },
    () => removeDmDeviceIfPresent(name, host),
  );
}

/**
 * Removes the device `name` if it exists (retrying while a closing opener lets go). A run
 * killed between a suspend and its resume leaves the device suspended, with its openers'
 * I/O queued and the openers unkillable until it is resumed: so resume first.
 */
export async function removeDmDeviceIfPresent(name: string, host: AnyHost = localHost): Promise<void> {
  const info = await dmsetup(['info', name], undefined, host).catch(() => undefined);
  if (info === undefined) return;
  if (/^State:\s+SUSPENDED/m.test(info)) await dmsetup(['resume', name], undefined, host);
  await dmsetup(['remove', '--retry', name], undefined, host);
}

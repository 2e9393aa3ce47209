import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostPair } from '../lab/hosts.js';
import { stateDir, type Ledger } from '../lab/ledger.js';
import { measureLink, type LinkMeasurement } from '../lab/link-probe.js';
import type { ResourceScope } from '../lab/scope.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Inventory } from './inventory.js';
import { joinRemoteCpuGroup } from './remote-cpu-group.js';
import { RemoteLedger } from './remote-ledger.js';
import { remoteHosts } from './remote-hosts.js';
import { remoteSide, type RemoteSide } from './remote-side.js';
import { shapeRemoteLink } from './remote-shaping.js';
import { socketLinkPath } from './work-path.js';

/** The remote lab: the two real hosts as the lab's sides, the link between them, what it measured. */
export interface RemoteLab {
  hosts: HostPair & { a: RemoteSide; b: RemoteSide };
  link: LinkMeasurement;
  /** The controller's work path of the run (each host maps it under its data directory). */
  workDir: string;
  /** Each host's ledger of the run (removed with the scope once empty). */
  ledgers: RemoteLedger[];
}

/**
 * Opens the run's sides on the inventory's hosts instead of namespaces: each host's ledger
 * (mirrored from the controller's), its work directory under its data directory, the link
 * optionally shaped with tc on the inventory's interface (restored on release), and the
 * real network between them measured with the lab's own probe (nbdkit on A, nbdcopy on B).
 */
export async function openRemoteLab(
  scope: ResourceScope,
  ledger: Ledger,
  runId: string,
  s: Scenario,
  inv: Inventory,
  /** Runs once the sides are open, before anything is shaped or measured (the clocks: a refusal costs no probe). */
  beforeLink?: (sides: [RemoteSide, RemoteSide]) => Promise<void>,
): Promise<RemoteLab> {
  const workDir = join(stateDir(), runId);
  await scope.acquire({ kind: 'dir', path: workDir }, () => mkdir(workDir, { recursive: true }), () => rm(workDir, { recursive: true, force: true }));
  const { a, b } = remoteHosts(inv);
  const sides = { a: await remoteSide(a.host, a.spec, b.spec), b: await remoteSide(b.host, b.spec, a.spec) };
  // Each host's ledger is open before anything is created there, and closed (if empty) with the scope.
  const ledgers: RemoteLedger[] = [];
  for (const [side, spec] of [[sides.a, a.spec], [sides.b, b.spec]] as const) {
    const remote = await RemoteLedger.open(side, spec, runId);
    ledgers.push(remote);
    ledger.mirror(side.name, remote);
    // Released last of the lab: once every release is appended there, an empty ledger goes.
    scope.defer(`ledger on ${side.name}`, async () => {
      await ledger.synced().catch(() => undefined);
      await remote.finished();
    });
    side.workRoot = { controller: stateDir(), host: spec.dataDir };
    const dir = side.workPath(workDir);
    await scope.acquire({ kind: 'dir', path: dir, host: side.name }, () => side.run('mkdir', ['-p', dir]), () => side.run('rm', ['-rf', dir]).then(() => undefined));
    // Sockets are named through a short link to it (a long data directory would pass sun_path's 107 bytes).
    const link = socketLinkPath(runId, spec.role);
    await scope.acquire({ kind: 'file', path: link, host: side.name }, () => side.run('ln', ['-sn', dir, link]), () => side.run('rm', ['-f', link]).then(() => undefined));
    side.socketLink = { link, target: dir };
  }
  for (const side of [sides.a, sides.b]) await joinRemoteCpuGroup(scope, side, runId);
  await beforeLink?.([sides.a, sides.b]);
  const hosts = { a: sides.a, b: sides.b, link: { rateBps: s.linkBps } };
  if (inv.a.shapeInterface || inv.b.shapeInterface) await shapeRemoteLink(scope, hosts, inv);
  const link = await measureLink(scope, hosts, s.latencyMs, workDir);
  return { hosts, link, workDir, ledgers };
}

import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingToolError } from '../../src/host/errors.js';
import type { HostProcess } from '../../src/host/host.js';
import { onLines } from '../../src/host/lines.js';
import { untilExit } from '../../src/host/race.js';
import { isSameProcess, processStartTime } from '../../src/host/proc.js';
import { createHostPair, type HostPair } from '../../src/lab/hosts.js';
import { Ledger } from '../../src/lab/ledger.js';
import { ResourceScope } from '../../src/lab/scope.js';

/**
 * A Node child that prints `ready` (with its network namespace), then `got SIGTERM` /
 * `got SIGINT` for each of those it receives, and otherwise ignores them: only SIGKILL
 * ends it.
 */
const STUBBORN = `
  for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => console.log('got ' + s));
  console.log('ready ' + require('node:fs').readlinkSync('/proc/self/ns/net'));
  setInterval(() => {}, 1000);
`;

let state: string;
let scope: ResourceScope;
let hosts: HostPair;

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'migbench-host-'));
  const id = Math.random().toString(16).slice(2, 8);
  scope = new ResourceScope(new Ledger(`host-${id}`, state));
  hosts = await createHostPair(scope, `mgbh${id}`, { rateBps: 1e9 });
});

afterAll(async () => {
  await scope?.close();
  rmSync(state, { recursive: true, force: true });
});

/** Starts STUBBORN on B and waits until it is ready; returns it and the lines it printed. */
async function stubborn(owner: ResourceScope, stopGraceMs: number): Promise<{ p: HostProcess; lines: string[] }> {
  const p = hosts.b.start(owner, process.execPath, ['-e', STUBBORN], { stdout: 'pipe', stopGraceMs });
  const lines: string[] = [];
  const ready = new Promise<void>((resolve) =>
    onLines(p.stdout!, (l) => {
      lines.push(l);
      if (l.startsWith('ready')) resolve();
    }),
  );
  await untilExit(p, ready, 'stubborn child');
  return { p, lines };
}

describe('LabHost', () => {
  it('runs commands in the namespace, in the controller’s mount namespace', async () => {
    const mntNs = readlinkSync('/proc/self/ns/mnt');
    const netNs = readlinkSync('/proc/self/ns/net');
    const inside = (await hosts.b.run('sh', ['-c', 'readlink /proc/self/ns/mnt; readlink /proc/self/ns/net'])).split('\n');
    expect(inside[0]).toBe(mntNs);
    expect(inside[1]).not.toBe(netNs);
    expect(await hosts.b.run('ip', ['-br', 'addr', 'show', 'dev', hosts.b.iface])).toContain(hosts.b.address);
  });

  it('reports a command missing inside the namespace as a MissingToolError', async () => {
    const err = await hosts.a.run('migbench-no-such-tool', ['x']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as MissingToolError).tool).toBe('migbench-no-such-tool');
  });

  it('gives a daemon the configured 10 s grace after SIGTERM before SIGKILL', async () => {
    const own = new ResourceScope(scope.ledger);
    const { p, lines } = await stubborn(own, 10_000);
    // It runs in B's namespace.
    expect(lines[0]).toBe(`ready ${await hosts.b.run('readlink', ['/proc/self/ns/net'])}`);
    expect(lines[0]).not.toContain(readlinkSync('/proc/self/ns/net'));
    // Recorded in the ledger with its identity at once.
    expect(readFileSync(scope.ledger.path, 'utf8')).toContain(`"pid":${p.pid},"startTime":${processStartTime(p.pid)}`);
    const t0 = Date.now();
    await own.close(); // the scope's release is the daemon's stop
    const waited = Date.now() - t0;
    const status = await p.exited;
    expect(lines).toContain('got SIGTERM');
    expect(status.signal).toBe('SIGKILL');
    // Not killed before the grace (execa's own default would have killed it after 5 s).
    expect(waited).toBeGreaterThanOrEqual(9_500);
    expect(p.hasExited()).toBe(true);
    expect(isSameProcess(p.pid, processStartTime(p.pid) ?? -1)).toBe(false);
  });

  it('escalates to SIGKILL after the grace for another stop signal too', async () => {
    const own = new ResourceScope(scope.ledger);
    const { p, lines } = await stubborn(own, 1_500);
    const t0 = Date.now();
    await p.stop('SIGINT');
    const waited = Date.now() - t0;
    expect(lines).toContain('got SIGINT');
    expect((await p.exited).signal).toBe('SIGKILL');
    expect(waited).toBeGreaterThanOrEqual(1_400);
    await own.close();
  });

  it('stops a daemon that honours SIGTERM at once, with SIGTERM', async () => {
    const own = new ResourceScope(scope.ledger);
    const p = hosts.a.start(own, 'sleep', ['600'], { stopGraceMs: 10_000 });
    const t0 = Date.now();
    await own.close();
    expect((await p.exited).signal).toBe('SIGTERM');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

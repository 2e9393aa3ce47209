/**
 * A loop device something still holds open stays attached after `losetup --detach` (the
 * kernel only marks it to go at the last close). detachLoop must not wait for that
 * unboundedly: after a bounded time it names the holders, kills those migbench started
 * (a process carrying the run's mark) and never another process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localHost } from '../../src/host/local-host.js';
import { newProcessMark } from '../../src/host/process-mark.js';
import { DETACH_WAIT_MS, detachLoop, LoopBusyError, loopBacking } from '../../src/lab/loop-device.js';
import { RUN_ID_ENV } from '../../src/lab/run-marker.js';

const dir = mkdtempSync(join(tmpdir(), 'migbench-loop-holders-'));
const children: ChildProcess[] = [];
const devices: string[] = [];

async function attach(name: string): Promise<{ backingFile: string; device: string }> {
  const backingFile = join(dir, name);
  writeFileSync(backingFile, Buffer.alloc(1 << 20));
  const device = (await localHost.run('losetup', ['--find', '--show', backingFile])).trim();
  devices.push(device);
  return { backingFile, device };
}

/** A shell that opens `device` and becomes `sleep` (which keeps the fd); resolves once it holds it. */
async function holder(device: string, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn('sh', ['-c', 'exec 3<"$0" && echo ready && exec sleep 1000', device], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', () => reject(new Error('holder exited')));
  });
  return child;
}

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  for (const d of devices) if (loopBacking(d)?.startsWith(dir)) await localHost.run('losetup', ['--detach', d]).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('detachLoop on a device still held open', () => {
  it('names a holder migbench did not start and leaves it alone, within a bounded time', async () => {
    const loop = await attach('foreign.img');
    const other = await holder(loop.device);
    const t0 = performance.now();
    const err = await detachLoop(loop).then(() => undefined, (e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(LoopBusyError);
    expect((err as Error).message).toContain(`sleep (pid ${other.pid}, state S, not started by migbench: left alone)`);
    expect(ms).toBeGreaterThanOrEqual(DETACH_WAIT_MS - 100);
    expect(ms).toBeLessThan(DETACH_WAIT_MS + 5000);
    expect(other.exitCode).toBeNull();
    expect(other.signalCode).toBeNull();
    // The detach stands: the device goes at the holder's last close.
    other.kill('SIGKILL');
    for (let i = 0; i < 100 && loopBacking(loop.device) !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
    expect(loopBacking(loop.device)).toBeUndefined();
  }, 30_000);

  it("kills a holder carrying the run's mark, and names one of another run, left alone", async () => {
    const runId = `20261201-000000-${process.pid.toString(16).padStart(6, '0')}`;
    const loop = await attach('ours.img');
    const ours = await holder(loop.device, { [RUN_ID_ENV]: runId });
    const bystander = await holder(loop.device, { [RUN_ID_ENV]: `${runId}0` });
    const exited = new Promise<NodeJS.Signals | null>((r) => ours.once('exit', (_c, s) => r(s)));
    // The bystander (another run's mark) keeps it attached: named, not killed.
    const err = await detachLoop(loop, localHost, { runId }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(LoopBusyError);
    expect(await exited).toBe('SIGKILL');
    expect((err as Error).message).toContain(`sleep (pid ${ours.pid}, started by migbench) was SIGKILLed`);
    expect((err as Error).message).toContain(`sleep (pid ${bystander.pid}, state S, not started by migbench: left alone)`);
    expect(bystander.exitCode).toBeNull();
    bystander.kill('SIGKILL');
    await new Promise((r) => bystander.once('exit', r));
  }, 30_000);

  it('detaches once the only holder, one this process started (its process mark), is killed', async () => {
    const loop = await attach('ours-only.img');
    const ours = await holder(loop.device, { [newProcessMark()]: '1' });
    const exited = new Promise<NodeJS.Signals | null>((r) => ours.once('exit', (_c, s) => r(s)));
    const t0 = performance.now();
    await detachLoop(loop);
    expect(performance.now() - t0).toBeLessThan(2 * DETACH_WAIT_MS);
    expect(await exited).toBe('SIGKILL');
    expect(loopBacking(loop.device)).toBeUndefined();
  }, 30_000);

  it('returns at once for a device nothing holds', async () => {
    const loop = await attach('free.img');
    const t0 = performance.now();
    await detachLoop(loop);
    expect(performance.now() - t0).toBeLessThan(DETACH_WAIT_MS);
    expect(loopBacking(loop.device)).toBeUndefined();
  });
});

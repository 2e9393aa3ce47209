/**
 * fio forks a job process that runs in a session of its own (setsid) and outlives a main
 * process that died: seen after a run SIGINTed at `settle`, the job orphaned (parent PID
 * 1) still held B's loop device open, and the release waited for good (execa's result
 * waits for the job to close the stderr pipe it inherited), leaving the device attached.
 * Here the main process is SIGKILLed under a running probe: the release must still end,
 * kill the job and detach the device.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localHost } from '../../src/host/local-host.js';
import { createLoopDevice, loopBacking } from '../../src/lab/loop-device.js';
import { Ledger } from '../../src/lab/ledger.js';
import { ResourceScope } from '../../src/lab/scope.js';
import { startFioProbe } from '../../src/workload/fio-probe.js';
import { freshStateDir } from '../support/cli.js';
import { holdersOf, isAlive, procStat } from '../support/proc-stat.js';

describe("fio's job outliving its main process", () => {
  const dir = mkdtempSync(join(tmpdir(), 'migbench-fio-orphan-'));
  let job = 0;
  let device = '';
  // A failed release must not leave the next tests a mess: the job and the device, only if still ours.
  afterAll(async () => {
    if (job && isAlive(job) && readFileSync(`/proc/${job}/cmdline`, 'utf8').includes(dir)) process.kill(job, 'SIGKILL');
    if (device && loopBacking(device)?.startsWith(dir)) await localHost.run('losetup', ['--detach', device]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('release kills the orphaned job and detaches the device, within bounds', async () => {
    const ledger = new Ledger(`fio-orphan-${process.pid}`, freshStateDir());
    const scope = new ResourceScope(ledger);
    try {
      device = await createLoopDevice(scope, join(dir, 'volume.img'), 16 << 20);
      const probe = startFioProbe(scope, { device, host: localHost, blockSize: 4096, readRate: 200, workDir: dir, name: `orphan-${process.pid}`, nice: 0 });
      await probe.ready;
      // The main process (this process's child, via nice's exec) and its job (the main's child, holding the device).
      const holders = holdersOf(device);
      job = holders.find((p) => procStat(procStat(p)?.ppid ?? 0)?.ppid === process.pid)!;
      expect(job, `holders ${holders.join(',')}`).toBeGreaterThan(0);
      const main = procStat(job)!.ppid;
      process.kill(main, 'SIGKILL');
      for (let i = 0; i < 200 && procStat(job)?.ppid === main; i++) await new Promise((r) => setTimeout(r, 25));
      expect(procStat(job)?.ppid, 'the job is orphaned, still alive').not.toBe(main);
      expect(isAlive(job)).toBe(true);
      expect(holdersOf(device)).toContain(job);
    } finally {
      const t0 = performance.now();
      // Bounded here, so a release that hangs fails the test instead of timing it out.
      const closed = await Promise.race([scope.close().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 30_000).unref())]);
      expect(closed, 'release still waiting after 30 s').toBe(true);
      expect(performance.now() - t0).toBeLessThan(15_000);
      ledger.finished();
    }
    expect(job && isAlive(job), `job ${job} still alive`).toBe(false);
    expect(loopBacking(device), `${device} still attached`).toBeUndefined();
  }, 60_000);
});

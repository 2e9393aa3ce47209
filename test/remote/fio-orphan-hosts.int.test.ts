/**
 * The orphaned fio job (test/workload/fio-orphan.int.test.ts) on a host reached over SSH:
 * there stop() signals the remote PID, and the job, in a session of its own, carries on
 * after its main process died, holding the device and the SSH session's stderr. The
 * release must kill it on the host and detach the device.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localHost } from '../../src/host/local-host.js';
import { Ledger } from '../../src/lab/ledger.js';
import { createLoopDevice, loopBacking } from '../../src/lab/loop-device.js';
import { ResourceScope } from '../../src/lab/scope.js';
import { startFioProbe } from '../../src/workload/fio-probe.js';
import { freshStateDir } from '../support/cli.js';
import { useSshTestHosts } from '../support/ssh-test-hosts.js';
import { holdersOf, isAlive, procStat } from '../support/proc-stat.js';

// The test hosts share this machine's kernel: their processes are in this /proc.
const state = freshStateDir();
const env = useSshTestHosts(state);
let job = 0;
let device = '';
// A failed release must not leave the next tests a mess: the job and the device, only if still ours.
afterAll(async () => {
  if (job && isAlive(job) && readFileSync(`/proc/${job}/cmdline`, 'utf8').includes(env.dir)) process.kill(job, 'SIGKILL');
  if (device && loopBacking(device)?.startsWith(env.dir)) await localHost.run('losetup', ['--detach', device]).catch(() => undefined);
});

describe("fio's job outliving its main process on a host over SSH", () => {
  it('release kills the job on the host and detaches the device', async () => {
    const host = env.hosts.b.host;
    const work = join(env.dir, 'data-b');
    const ledger = new Ledger(`fio-orphan-ssh-${process.pid}`, state);
    const scope = new ResourceScope(ledger);
    try {
      device = await createLoopDevice(scope, join(work, 'volume.img'), 16 << 20, { host });
      const probe = startFioProbe(scope, { device, host, blockSize: 4096, readRate: 200, workDir: work, name: `orphan-${process.pid}`, nice: 0 });
      await probe.ready;
      const holders = holdersOf(device);
      // The job: the holder whose parent is fio (its main process).
      job = holders.find((p) => readFileSync(`/proc/${procStat(p)?.ppid ?? 0}/cmdline`, 'utf8').startsWith('fio\0'))!;
      expect(job, `holders ${holders.join(',')}`).toBeGreaterThan(0);
      const main = procStat(job)!.ppid;
      process.kill(main, 'SIGKILL');
      for (let i = 0; i < 200 && procStat(job)?.ppid === main; i++) await new Promise((r) => setTimeout(r, 25));
      expect(procStat(job)?.ppid).not.toBe(main);
      expect(isAlive(job)).toBe(true);
    } finally {
      const closed = await Promise.race([scope.close().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 40_000).unref())]);
      expect(closed, 'release still waiting after 40 s').toBe(true);
      ledger.finished();
    }
    expect(isAlive(job), `job ${job} still alive`).toBe(false);
    expect(loopBacking(device), `${device} still attached`).toBeUndefined();
  }, 90_000);
});

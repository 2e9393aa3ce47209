/**
 * The orphaned fio job (test/workload/fio-orphan.int.test.ts) on a host reached over SSH:
 * there stop() signals the remote PID, and the job, in a session of its own, carries on
 * after its main process died, holding the device and the SSH session's stderr. The
 * release must kill it on the host and detach the device.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localHost } from '../../src/host/local-host.js';
import { Ledger } from '../../src/lab/ledger.js';
import { createLoopDevice, loopBacking } from '../../src/lab/loop-device.js';
import { ResourceScope } from '../../src/lab/scope.js';
import { startFioProbe } from '../../src/workload/fio-probe.js';
import { freshStateDir } from '../support/cli.js';
import { useSshTestHosts } from '../support/ssh-test-hosts.js';

const state = freshStateDir();
const env = useSshTestHosts(state);
let job = 0;
let device = '';
// A failed release must not leave the next tests a mess: the job and the device, only if still ours.
afterAll(async () => {
  if (job && alive(job) && readFileSync(`/proc/${job}/cmdline`, 'utf8').includes(env.dir)) process.kill(job, 'SIGKILL');
  if (device && loopBacking(device)?.startsWith(env.dir)) await localHost.run('losetup', ['--detach', device]).catch(() => undefined);
});

// The test hosts share this machine's kernel: their processes are in this /proc.
function stat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0]!, ppid: Number(f[1]) };
  } catch {
    return undefined;
  }
}
const alive = (pid: number): boolean => { const s = stat(pid); return s !== undefined && s.state !== 'Z'; };
function holdersOf(path: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      return readdirSync(`/proc/${d}/fd`).some((fd) => { try { return readlinkSync(`/proc/${d}/fd/${fd}`) === path; } catch { return false; } });
    } catch {
      return false;
    }
  }).map(Number);
}

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
      job = holders.find((p) => readFileSync(`/proc/${stat(p)?.ppid ?? 0}/cmdline`, 'utf8').startsWith('fio\0'))!;
      expect(job, `holders ${holders.join(',')}`).toBeGreaterThan(0);
      const main = stat(job)!.ppid;
      process.kill(main, 'SIGKILL');
      for (let i = 0; i < 200 && stat(job)?.ppid === main; i++) await new Promise((r) => setTimeout(r, 25));
      expect(stat(job)?.ppid).not.toBe(main);
      expect(alive(job)).toBe(true);
    } finally {
      const closed = await Promise.race([scope.close().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 40_000).unref())]);
      expect(closed, 'release still waiting after 40 s').toBe(true);
      ledger.finished();
    }
    expect(alive(job), `job ${job} still alive`).toBe(false);
    expect(loopBacking(device), `${device} still attached`).toBeUndefined();
  }, 90_000);
});

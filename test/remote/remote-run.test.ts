import { describe, expect, it } from 'vitest';
import { isSocketLinkPath, mapSocketPath, mapWorkPath, socketLinkPath } from '../../src/remote/work-path.js';
import { rootIsDefault } from '../../src/remote/remote-shaping.js';
import { clockRecord } from '../../src/remote/run-clocks.js';
import { hostClock } from '../../src/remote/clock.js';
import { releaseScript } from '../../src/remote/remote-cleanup.js';
import { remoteScenarioProblem } from '../../src/remote/remote-run.js';
import { DEFAULTS, validateScenario } from '../../src/scenario/scenario.js';
import { resolveStrategies } from '../../src/strategy/registry.js';
import { parseFaultSpec } from '../../src/fault/spec.js';
import type { Scenario } from '../../src/scenario/scenario.js';

describe('work paths on a real host', () => {
  it('maps a controller work path under <dataDir>/work', () => {
    expect(mapWorkPath('/run/mb', '/var/tmp/migbench', '/run/mb/r1/async-clone-1/qemu-clone')).toBe('/var/tmp/migbench/work/r1/async-clone-1/qemu-clone');
  });

  it('refuses a path outside the work root', () => {
    expect(() => mapWorkPath('/run/mb', '/data', '/etc/passwd')).toThrow(/not a work path/);
  });
});

describe('socket names on a real host', () => {
  const longDir = `/srv/${'d'.repeat(60)}/migbench`;
  const target = `${longDir}/work/20261201-112134-0a1b2c`;
  const link = socketLinkPath('20261201-112134-0a1b2c', 'b');

  it('names a socket under the run’s work directory through a short link, within sun_path’s 107 bytes', () => {
    const sock = `${target}/backup-restore-10-v10/qemu-clone/qmp.sock`;
    expect(sock.length).toBeGreaterThan(107);
    expect(link).toBe('/run/migbench-20261201-112134-0a1b2c-b');
    const short = mapSocketPath(link, target, sock);
    expect(short).toBe(`${link}/backup-restore-10-v10/qemu-clone/qmp.sock`);
    expect(short.length).toBeLessThanOrEqual(107);
    expect(mapSocketPath(link, target, `${target}/kill-copy-boot-1-v2/pgsock`)).toBe(`${link}/kill-copy-boot-1-v2/pgsock`);
  });

  it('leaves a path outside the run’s work directory as it is', () => {
    expect(mapSocketPath(link, target, '/tmp/x.sock')).toBe('/tmp/x.sock');
    expect(mapSocketPath(link, target, `${target}-other/x.sock`)).toBe(`${target}-other/x.sock`);
    expect(mapSocketPath(link, target, target)).toBe(target);
  });

  it('cleanup --hosts removes the run’s link outside the data directory only while it is a link, and no other path there', () => {
    expect(isSocketLinkPath(link)).toBe(true);
    expect(releaseScript({ kind: 'file', path: link }, '/d')).toBe(`if [ -L ${link} ]; then rm -f -- ${link}; fi`);
    for (const p of ['/run/migbench-wt-x', '/run/migbench-20261201-112134-0a1b2c-b/x', '/etc/passwd', '/run/migbench-20261201-112134-0a1b2c-c']) {
      expect(releaseScript({ kind: 'file', path: p }, '/d'), p).toBeUndefined();
    }
  });
});

describe('tc shaping on a real host', () => {
  it('takes the kernel default root qdisc (handle 0:) or none, never a configured one', () => {
    expect(rootIsDefault('[{"kind":"noqueue","handle":"0:","root":true}]')).toBe(true);
    expect(rootIsDefault('[{"kind":"fq_codel","handle":"0:","root":true}]')).toBe(true);
    expect(rootIsDefault('[]')).toBe(true);
    expect(rootIsDefault('[{"kind":"htb","handle":"1:","root":true}]')).toBe(false);
  });
});

describe('clock records', () => {
  it('records before, after, mean offset and drift in ms', () => {
    const before = { offsetNs: 1_000_000, uncertaintyNs: 100_000, rttNs: 200_000, samples: 16 };
    const after = { offsetNs: 1_200_000, uncertaintyNs: 150_000, rttNs: 300_000, samples: 16 };
    expect(clockRecord(hostClock(before, after))).toEqual({
      offset_ms: 1.1,
      uncertainty_ms: 0.25,
      drift_ms: 0.2,
      before: { offset_ms: 1, uncertainty_ms: 0.1, rtt_ms: 0.2 },
      after: { offset_ms: 1.2, uncertainty_ms: 0.15, rtt_ms: 0.3 },
    });
  });
});

describe('cleanup --hosts of a loop over an nbdfuse file', () => {
  it('also detaches the recorded device once it shows `/` (its FUSE daemon gone)', () => {
    const s = releaseScript({ kind: 'loop', backingFile: '/d/work/r/clone.raw', device: '/dev/loop7' }, '/d')!;
    expect(s).toContain('losetup -n -O NAME -j /d/work/r/clone.raw');
    expect(s).toContain('cat /sys/block/loop7/loop/backing_file');
    expect(s).toContain('losetup -d /dev/loop7');
  });

  it('never a device name that is not a loop device', () => {
    expect(releaseScript({ kind: 'loop', backingFile: '/d/x', device: '/dev/sda; rm -rf /' }, '/d')).not.toContain('sda');
  });
});

describe('cleanup --hosts of a kernel NBD connection', () => {
  it('disconnects in ioctl mode, as it was connected (netlink is not seen from a network namespace)', () => {
    const s = releaseScript({ kind: 'nbd', device: '/dev/nbd3', sizeBytes: 1 << 25 }, '/d')!;
    expect(s).toContain('nbd-client -c /dev/nbd3');
    expect(s).toContain('nbd-client -nonetlink -d /dev/nbd3');
  });
});

describe('what run --hosts takes', () => {
  const scenario = (o: Record<string, string>) => validateScenario({ ...DEFAULTS, strategy: 'kill-copy-boot', size: '64MiB', ...o }, resolveStrategies);
  it('runs every workload, http included', () => {
    for (const workload of ['stamped', 'http', 'postgres']) expect(remoteScenarioProblem(scenario({ workload }))).toBeUndefined();
  });

  it('runs a fault or a drain with the application workloads too (issue 13: as the lab does)', () => {
    for (const workload of ['http', 'postgres']) {
      expect(remoteScenarioProblem(scenario({ workload, strategy: 'async-clone', fault: 'link-down@hydration+300ms/1s' })), workload).toBeUndefined();
      expect(remoteScenarioProblem(scenario({ workload, volumes: '2' })), workload).toBeUndefined();
    }
  });

  it('still refuses what the lab refuses (the scenario says why, not --hosts)', () => {
    expect(() => scenario({ workload: 'http', strategy: 'async-clone', fault: 'dest-crash@hydration:50%' })).toThrow(/cannot be crashed on B/);
    expect(() => scenario({ workload: 'postgres', volumes: '2', fault: 'link-down@start/1s' })).toThrow(/not on a drain/);
  });
});

describe('faults on real hosts', () => {
  it('runs every fault kind with every workload (slow-source:LATENCY too: a netem on A’s link interface)', () => {
    const at = (f: string, workload = 'stamped'): string | undefined =>
      remoteScenarioProblem({ strategies: ['kill-copy-boot'], workload, volumes: 1, fault: parseFaultSpec(f) } as unknown as Scenario);
    for (const f of ['link-down@start/1s', 'link-flap:2@kill/1s', 'source-eio@start/1s', 'source-crash@start', 'source-restart@kill/1s', 'dest-crash@boot', 'slow-source:20Mbit/s@start/1s', 'slow-source:50ms@start/1s']) {
      expect(at(f), f).toBeUndefined();
    }
    for (const workload of ['http', 'postgres']) expect(at('slow-source:50ms@start/1s', workload), workload).toBeUndefined();
  });

  it('cleanup --hosts takes a fault qdisc off by deleting the root (a run’s tbf, a root netem or cut alike)', () => {
    expect(releaseScript({ kind: 'qdisc', dev: 'eth1' } as never, '/d')).toBe('tc qdisc del dev eth1 root 2>/dev/null || true');
  });
});

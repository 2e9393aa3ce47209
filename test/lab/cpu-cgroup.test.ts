import { describe, expect, it } from 'vitest';
import { cgroupName, findCpuHierarchy, isMigbenchCgroup, parseCpuSeconds } from '../../src/lab/cpu-cgroup.js';
import { inCgroupArgv } from '../../src/host/lab-host.js';
import { cpuColumns, cpuSecondsPerGiB } from '../../src/results/cpu-cells.js';
import { cpuSecondsSince } from '../../src/strategy/host-cpu.js';

const HYBRID = [
  'tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0',
  'cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0',
  'cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0',
  'cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0',
].join('\n');

describe('cgroup hierarchy', () => {
  it('prefers a cgroup2 mount, else the v1 mount with cpuacct, else none', () => {
    expect(findCpuHierarchy(HYBRID)).toEqual({ version: 2, root: '/sys/fs/cgroup/unified' });
    expect(findCpuHierarchy(HYBRID.replace(/^cgroup2.*$/m, ''))).toEqual({ version: 1, root: '/sys/fs/cgroup/cpuacct' });
    expect(findCpuHierarchy('cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0')).toEqual({ version: 1, root: '/sys/fs/cgroup/cpu,cpuacct' });
    expect(findCpuHierarchy('cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0')).toBeUndefined();
  });

  it('reads v2 usage_usec and v1 nanoseconds as seconds', () => {
    expect(parseCpuSeconds(2, 'usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n')).toBe(1.5);
    expect(parseCpuSeconds(1, '2500000000\n')).toBe(2.5);
    expect(() => parseCpuSeconds(2, 'user_usec 1\n')).toThrow(/usage_usec/);
    expect(() => parseCpuSeconds(1, 'x')).toThrow(/cpuacct/);
  });

  it('names groups by run and side, and removes only such groups', () => {
    const name = cgroupName('20261130-170525-abc123', 'a');
    expect(name).toBe('migbench-20261130-170525-abc123-a');
    expect(isMigbenchCgroup(`/sys/fs/cgroup/unified/${name}`)).toBe(true);
    expect(isMigbenchCgroup('/sys/fs/cgroup/unified/system.slice')).toBe(false);
    expect(isMigbenchCgroup('/sys/fs/cgroup/unified')).toBe(false);
  });

  it('joins the group before exec, keeping the argv', () => {
    expect(inCgroupArgv('/cg/cgroup.procs', ['nsenter', ['--net=/run/netns/x', '--', 'nbdcopy', 'a b']])).toEqual([
      'sh',
      ['-c', 'echo $$ > "$0" && exec "$@"', '/cg/cgroup.procs', 'nsenter', '--net=/run/netns/x', '--', 'nbdcopy', 'a b'],
    ]);
  });
});

describe('CPU cost cells', () => {
  it('CPU seconds per GiB on the wire, empty without a group or bytes', () => {
    expect(cpuSecondsPerGiB(3, 2 * 2 ** 30)).toBe(1.5);
    expect(cpuSecondsPerGiB(3, 0)).toBeUndefined();
    expect(cpuSecondsSince({ a: 1, b: 2 }, { a: 4, b: 2.5 })).toEqual({ a: 3, b: 0.5 });
    expect(cpuSecondsSince({ a: 1 }, { a: 4, b: 2.5 })).toEqual({ a: 3 });
    expect(cpuColumns({ cpuSeconds: { a: 3, b: 0.5 }, bytesOnWire: 2 ** 30 })).toEqual({ cpu_s_a: 3, cpu_s_b: 0.5, cpu_s_per_gib_a: 3, cpu_s_per_gib_b: 0.5 });
    expect(cpuColumns({ cpuSeconds: { a: 3 }, bytesOnWire: 0 })).toEqual({ cpu_s_a: 3, cpu_s_b: '', cpu_s_per_gib_a: '', cpu_s_per_gib_b: '' });
    expect(cpuColumns({ bytesOnWire: 5 })).toEqual({ cpu_s_a: '', cpu_s_b: '', cpu_s_per_gib_a: '', cpu_s_per_gib_b: '' });
  });
});

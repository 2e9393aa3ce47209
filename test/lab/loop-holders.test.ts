import { describe, expect, it } from 'vitest';
import { hasProcessMark, isOurs, newProcessMark, sessionMarkPrefix } from '../../src/host/process-mark.js';
import { describeHolders, parseDeviceHolders } from '../../src/lab/loop-holders.js';

describe('parseDeviceHolders', () => {
  it('reads processes and kernel holders; a command name may hold spaces, tabs are the separators', () => {
    const h = parseDeviceHolders(['4242\t123456\t1\tS\tfio', '77\t99\t0\tD\tmy (odd) name', 'kernel\tdevice-mapper migbench-x-clone', 'kernel\tmounted on /mnt/x', ''].join('\n'));
    expect(h.processes).toEqual([
      { pid: 4242, startTime: 123456, ours: true, state: 'S', comm: 'fio' },
      { pid: 77, startTime: 99, ours: false, state: 'D', comm: 'my (odd) name' },
    ]);
    expect(h.kernel).toEqual(['device-mapper migbench-x-clone', 'mounted on /mnt/x']);
  });

  it('skips malformed lines (no PID, no start time, too few fields)', () => {
    expect(parseDeviceHolders('x\t1\t1\tS\tfio\n12\t\t1\tS\tfio\n12\t5\t1\n-3\t5\t0\tS\tsh').processes).toEqual([]);
  });
});

describe('describeHolders', () => {
  it('names each holder, whether migbench started it, and what was killed', () => {
    const h = parseDeviceHolders('10\t1\t0\tS\tsleep\nkernel\tmounted on /m');
    const killed = parseDeviceHolders('11\t2\t1\tS\tfio').processes;
    expect(describeHolders(h, killed)).toBe('sleep (pid 10, state S, not started by migbench: left alone); mounted on /m; fio (pid 11, started by migbench) was SIGKILLed');
  });

  it('says so when no process holds it', () => {
    expect(describeHolders({ processes: [], kernel: [] })).toMatch(/no process has it open/);
  });
});

describe('process marks', () => {
  const env = (...vars: string[]): string => [...vars, 'PATH=/usr/bin'].join('\0');

  it('a mark is an exact variable, never a prefix of another', () => {
    const m = newProcessMark();
    expect(hasProcessMark(env(`${m}=1`), m)).toBe(true);
    expect(hasProcessMark(env(`${m}0=1`), m)).toBe(false);
    expect(newProcessMark()).not.toBe(m);
  });

  it("ours: this controller's process marks or the run's mark, nothing else", () => {
    const sessionPrefix = sessionMarkPrefix();
    const runMark = 'MIGBENCH_RUN_ID=20261201-000000-abcdef';
    expect(isOurs(env(`${newProcessMark()}=1`), { sessionPrefix })).toBe(true);
    expect(isOurs(env(runMark), { runMark, sessionPrefix })).toBe(true);
    expect(isOurs(env(`${runMark}0`), { runMark, sessionPrefix })).toBe(false);
    expect(isOurs(env('MIGBENCH_PROC_00000000_1=1'), { runMark, sessionPrefix })).toBe(sessionPrefix === 'MIGBENCH_PROC_00000000_');
    expect(isOurs(env(runMark), { sessionPrefix })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { longestGapNs, resumeNs } from '../../src/fault/cells.js';
import { descendants, parseStat } from '../../src/fault/d-state.js';
import { ioErrorCounts } from '../../src/fault/io-errors.js';
import { decodeRecord, encodeRecord, IoOp, RECORD_BYTES, RecordType } from '../../src/workload/records.js';

describe('stall_ms', () => {
  it('is the longest gap between completions, the window edges included', () => {
    expect(longestGapNs([10, 20, 70, 80], 0, 100)).toBe(50);
    // Nothing completes after 20: the stall runs to the end.
    expect(longestGapNs([10, 20], 0, 100)).toBe(80);
    expect(longestGapNs([], 0, 100)).toBe(100);
    // Completions outside the window do not count.
    expect(longestGapNs([-5, 50, 150], 0, 100)).toBe(50);
  });
});

describe('resume_ms', () => {
  const samples = [0, 100, 200, 300, 400].map((tNs, i) => ({ tNs, txBytes: [0, 1e6, 1e6 + 100, 1e6 + 200, 3e6][i]! }));
  it('is the first window after the fault end that carried migration traffic', () => {
    expect(resumeNs(samples, 150)).toBe(250);
    expect(resumeNs(samples, 50)).toBe(50);
    expect(resumeNs(samples, 450)).toBeUndefined();
  });
});

describe('D state', () => {
  it('parses /proc/PID/stat with spaces and parentheses in the name', () => {
    expect(parseStat('42 (qemu (x) y) D 7 42 42 0 -1')).toEqual({ pid: 42, ppid: 7, state: 'D', comm: 'qemu (x) y' });
  });
  it('finds the descendants of a process only', () => {
    const p = (pid: number, ppid: number) => ({ pid, ppid, state: 'S', comm: 'x' });
    expect(descendants([p(2, 1), p(3, 2), p(4, 3), p(5, 9)], 2).map((s) => s.pid).sort()).toEqual([3, 4]);
  });
});

describe('I/O error records', () => {
  it('round-trip and are counted by operation', () => {
    const buf = Buffer.alloc(RECORD_BYTES);
    const r = { type: RecordType.IoError, op: IoOp.Write, index: 77, timeNs: 123456789 } as const;
    encodeRecord(buf, 0, r);
    expect(decodeRecord(buf, 0)).toEqual(r);
    expect(ioErrorCounts([r, { ...r, op: IoOp.Read }, { ...r, op: IoOp.Read }])).toEqual({ read: 2, write: 1 });
  });
});

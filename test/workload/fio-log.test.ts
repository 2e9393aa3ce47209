import { describe, expect, it } from 'vitest';
import { parseFioJson, parseLatLog, readSamples } from '../../src/workload/fio-log.js';

describe('parseLatLog', () => {
  it('reads fio 3.x latency lines with and without priority', () => {
    expect(parseLatLog('3247462, 442962, 0, 4096, 0\n3247467, 255566, 0, 4096, 8192, 0\n')).toEqual([
      { timeMs: 3247462, latNs: 442962, ddir: 0, bs: 4096, offset: 0 },
      { timeMs: 3247467, latNs: 255566, ddir: 0, bs: 4096, offset: 8192 },
    ]);
  });

  it('rejects a torn line', () => {
    expect(() => parseLatLog('1, 2, 0, 4096, 0\n5, 6, 0')).toThrow(/line 2/);
  });
});

describe('readSamples', () => {
  it('puts each read on the monotonic clock, issued at completion minus latency', () => {
    const s = readSamples(parseLatLog('1000, 250000, 0, 4096, 0\n1001, 7, 1, 4096, 0\n'));
    expect(s).toEqual([{ scheduledNs: 1000e6 - 250000, completedNs: 1000e6 }]);
  });
});

describe('parseFioJson', () => {
  it('skips the signal notice fio prints before the JSON', () => {
    const text = 'fio: terminating on signal 2\n{"fio version":"fio-3.33","jobs":[{"jobname":"probe","error":0,"read":{"total_ios":126}}]}';
    expect(parseFioJson(text)).toEqual({ error: 0, readIos: 126 });
  });

  it('fails without output or jobs', () => {
    expect(() => parseFioJson('')).toThrow(/no JSON/);
    expect(() => parseFioJson('{"jobs":[]}')).toThrow(/no job/);
  });
});

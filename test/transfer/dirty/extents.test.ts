import { describe, expect, it } from 'vitest';
import { extentBytes, parseDirtyMap, splitRequests } from '../../../src/transfer/dirty/extents.js';

describe('parseDirtyMap', () => {
  it('keeps dirty extents, merges adjacent ones, skips clean ones', () => {
    const map = ['         0       81920    0  clean', '     81920        4096    1  dirty', '     86016        8192    1  dirty', '     94208       16384    0  clean', '    110592        4096    1  dirty', ''].join('\n');
    expect(parseDirtyMap(map)).toEqual([
      { offset: 81920, length: 12288 },
      { offset: 110592, length: 4096 },
    ]);
  });

  it('returns nothing for a clean bitmap', () => {
    expect(parseDirtyMap('0 134217728 0 clean\n')).toEqual([]);
  });

  it('rejects garbage rather than copying the wrong bytes', () => {
    expect(() => parseDirtyMap('zero x 1 dirty')).toThrow(/unparseable/);
  });
});

describe('splitRequests', () => {
  it('splits long extents and keeps short ones, covering the same bytes', () => {
    const ext = [
      { offset: 0, length: 10 },
      { offset: 100, length: 3 },
    ];
    const reqs = splitRequests(ext, 4);
    expect(reqs).toEqual([
      { offset: 0, length: 4 },
      { offset: 4, length: 4 },
      { offset: 8, length: 2 },
      { offset: 100, length: 3 },
    ]);
    expect(extentBytes(reqs)).toBe(extentBytes(ext));
  });
});

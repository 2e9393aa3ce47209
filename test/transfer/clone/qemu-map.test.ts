import { describe, expect, it } from 'vitest';
import { type QemuMapExtent, zeroExtentsToFill } from '../../../src/transfer/clone/qemu-map.js';

const MiB = 2 ** 20;

/** One `qemu-img map --output=json` extent; present unless said otherwise. */
const ext = (start: number, length: number, kind: 'data' | 'zero' | 'zero-data', present?: boolean): QemuMapExtent => ({
  start,
  length,
  depth: 0,
  zero: kind !== 'data',
  data: kind !== 'zero',
  ...(present === undefined ? {} : { present }),
  ...(kind === 'zero' ? {} : { offset: start }),
});

describe('zeroExtentsToFill', () => {
  it('has nothing to fill for an empty map or an all-data map', () => {
    expect(zeroExtentsToFill([])).toEqual([]);
    expect(zeroExtentsToFill([ext(0, MiB, 'data', true), ext(MiB, MiB, 'data', true)])).toEqual([]);
  });

  it('fills every extent qcow2 reads as zeros, exactly where it lies', () => {
    const map = [ext(0, 64 * 1024, 'data', true), ext(64 * 1024, 128 * 1024, 'zero', true), ext(192 * 1024, MiB, 'data', true)];
    expect(zeroExtentsToFill(map)).toEqual([{ start: 64 * 1024, length: 128 * 1024 }]);
  });

  it('merges adjacent zero extents, keeps extents separated by data apart', () => {
    const map = [
      ext(0, 4096, 'zero', true),
      ext(4096, 8192, 'zero', true),
      ext(12288, 4096, 'zero', true),
      ext(16384, 4096, 'data', true),
      ext(20480, 4096, 'zero', true),
    ];
    expect(zeroExtentsToFill(map)).toEqual([
      { start: 0, length: 16384 },
      { start: 20480, length: 4096 },
    ]);
  });

  it('does not merge zero extents that only follow each other in the list (a gap between them)', () => {
    expect(zeroExtentsToFill([ext(0, 4096, 'zero'), ext(8192, 4096, 'zero')])).toEqual([
      { start: 0, length: 4096 },
      { start: 8192, length: 4096 },
    ]);
  });

  it('leaves data extents that also read as zeros alone: the raw device already holds those bytes', () => {
    expect(zeroExtentsToFill([ext(0, MiB, 'zero-data', true)])).toEqual([]);
  });

  it('treats a map without `present` fields (older qemu-img) as present', () => {
    expect(zeroExtentsToFill([ext(0, 4096, 'zero'), ext(4096, 4096, 'data')])).toEqual([{ start: 0, length: 4096 }]);
  });

  it('refuses a map with a never-hydrated extent, naming it, even after zero extents', () => {
    const map = [ext(0, 4096, 'zero', true), ext(4096, 65536, 'zero', false), ext(69632, 4096, 'data', true)];
    expect(() => zeroExtentsToFill(map)).toThrow('clone incomplete: 65536 bytes at 4096 were never hydrated');
    expect(() => zeroExtentsToFill([ext(0, 4096, 'data', false)])).toThrow(/clone incomplete/);
  });

  it('does not alias its input: merging leaves the map untouched', () => {
    const map = [ext(0, 4096, 'zero', true), ext(4096, 4096, 'zero', true)];
    const copy = structuredClone(map);
    const out = zeroExtentsToFill(map);
    expect(out).toEqual([{ start: 0, length: 8192 }]);
    expect(map).toEqual(copy);
  });
});

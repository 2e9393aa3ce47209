import { describe, expect, it } from 'vitest';
import { cloneTable, linearTable, parseCloneStatus, regionSizeProblem, tuningMessages } from '../../../src/transfer/clone/dm-clone-table.js';

describe('cloneTable', () => {
  const base = { sizeBytes: 64 * 2 ** 20, metaDevice: '/dev/loop3', destDevice: '/dev/loop2', sourceDevice: '/dev/nbd0', regionSizeBytes: 65536 };

  it('starts without hydration and no core args by default', () => {
    expect(cloneTable({ ...base, noHydration: true })).toBe('0 131072 clone /dev/loop3 /dev/loop2 /dev/nbd0 128 1 no_hydration');
  });

  it('has no features when hydrating from the start', () => {
    expect(cloneTable({ ...base, noHydration: false })).toBe('0 131072 clone /dev/loop3 /dev/loop2 /dev/nbd0 128 0');
  });

  it('refuses region sizes the kernel refuses', () => {
    expect(regionSizeProblem(4096)).toBeUndefined();
    expect(regionSizeProblem(2 ** 30)).toBeUndefined();
    expect(regionSizeProblem(2048)).toMatch(/4KiB to 1GiB/);
    expect(regionSizeProblem(96 * 1024)).toMatch(/power-of-two/);
    expect(regionSizeProblem(2 ** 31)).toMatch(/1GiB/);
    expect(() => cloneTable({ ...base, regionSizeBytes: 3000, noHydration: true })).toThrow(/power-of-two/);
  });
});

describe('tuningMessages', () => {
  it('sends only what was asked for', () => {
    expect(tuningMessages({})).toEqual([]);
    expect(tuningMessages({ hydrationThreshold: 256, hydrationBatch: 16 })).toEqual([
      ['hydration_threshold', '256'],
      ['hydration_batch_size', '16'],
    ]);
  });
});

describe('linearTable', () => {
  it('maps the whole volume onto the destination', () => {
    expect(linearTable(2 ** 20, '/dev/loop2')).toBe('0 2048 linear /dev/loop2 0');
  });
});

describe('parseCloneStatus', () => {
  it('reads hydrated and total regions past features and core args', () => {
    const s = parseCloneStatus('0 131072 clone 8 72/4096 128 300/1024 4 1 no_hydration 4 hydration_threshold 64 hydration_batch_size 1 rw');
    expect(s).toEqual({ regionSizeBytes: 65536, hydrated: 300, total: 1024, hydrating: 4, mode: 'rw' });
  });

  it('reads a line without features or core args', () => {
    expect(parseCloneStatus('0 2048 clone 8 5/4096 8 256/256 0 0 0 rw').hydrated).toBe(256);
  });

  it('fails on a failed target and on garbage', () => {
    expect(() => parseCloneStatus('0 2048 clone Fail')).toThrow(/failed/);
    expect(() => parseCloneStatus('0 2048 linear 7:2 0')).toThrow(/not a dm-clone/);
    expect(() => parseCloneStatus('0 2048 clone 8 5/4096 8 x/256 0 0 0 rw')).toThrow(/cannot parse/);
    expect(() => parseCloneStatus('0 2048 clone 8 5/4096 8 1/256 0 1 no_hydration 0')).toThrow(/cannot parse/);
  });
});

import { describe, expect, it } from 'vitest';
import { checkCapacity, METADATA_FLOOR_BYTES, neededBytes, TMPFS_MEMORY_MARGIN_BYTES } from '../../src/scenario/capacity.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const point = (sizeBytes: number, o: { volumes?: number; strategies?: string[]; regionSizeBytes?: number } = {}) => ({
  sizeBytes,
  regionSizeBytes: o.regionSizeBytes ?? 64 * 1024,
  volumes: o.volumes ?? 1,
  strategies: o.strategies ?? ['kill-copy-boot'],
});

describe('capacity', () => {
  it('needs source + destination + metadata per volume, and a backup for backup-restore', () => {
    const meta = METADATA_FLOOR_BYTES + (GiB / (64 * 1024)) * 16;
    expect(neededBytes(point(GiB))).toBe(2 * GiB + meta);
    expect(neededBytes(point(GiB, { volumes: 3 }))).toBe(3 * (2 * GiB + meta));
    expect(neededBytes(point(GiB, { strategies: ['precopy', 'backup-restore'] }))).toBe(3 * GiB + meta);
    // Finer regions, more metadata.
    expect(neededBytes(point(GiB, { regionSizeBytes: 4096 }))).toBe(2 * GiB + METADATA_FLOOR_BYTES + (GiB / 4096) * 16);
  });

  it('refuses 30GiB on a 24GiB tmpfs, by memory, with both numbers', () => {
    const v = checkCapacity([point(30 * GiB)], { dir: '/dev/shm', freeBytes: 24 * GiB, tmpfs: true, memAvailableBytes: 22 * GiB });
    expect(v.fits).toBe(false);
    // 10 % of 22 GiB (2.2 GiB) is more than the 1 GiB floor.
    expect(v.availableBytes).toBe(22 * GiB - Math.round(2.2 * GiB));
    expect(v.text).toMatch(/needs 60\.\d GiB in \/dev\/shm; 19\.8 GiB available \(memory available 22 GiB less a 2\.2 GiB margin, as \/dev\/shm is tmpfs\)/);
  });

  it('takes the largest sweep point', () => {
    const space = { dir: '/var/tmp', freeBytes: 1 * GiB, tmpfs: false };
    expect(checkCapacity([point(64 * MiB), point(256 * MiB)], space).neededBytes).toBe(neededBytes(point(256 * MiB)));
    expect(checkCapacity([point(64 * MiB), point(512 * MiB)], space).fits).toBe(false);
    expect(checkCapacity([point(64 * MiB), point(256 * MiB)], space).fits).toBe(true);
  });

  it('counts free space alone on a disk, and the tighter of space and memory on tmpfs', () => {
    const disk = checkCapacity([point(GiB)], { dir: '/var/tmp', freeBytes: 3 * GiB, tmpfs: false, memAvailableBytes: 0 });
    expect(disk.availableBytes).toBe(3 * GiB);
    expect(disk.fits).toBe(true);
    const smallTmpfs = checkCapacity([point(GiB)], { dir: '/dev/shm', freeBytes: 2 * GiB, tmpfs: true, memAvailableBytes: 20 * GiB });
    expect(smallTmpfs.availableBytes).toBe(2 * GiB);
    expect(smallTmpfs.fits).toBe(false);
    const lowMemory = checkCapacity([point(256 * MiB)], { dir: '/dev/shm', freeBytes: 20 * GiB, tmpfs: true, memAvailableBytes: GiB + 100 * MiB });
    expect(lowMemory.availableBytes).toBe(GiB + 100 * MiB - TMPFS_MEMORY_MARGIN_BYTES);
    expect(lowMemory.fits).toBe(false);
  });
});

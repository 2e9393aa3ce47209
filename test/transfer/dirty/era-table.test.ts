import { describe, expect, it } from 'vitest';
import { eraBlockBytes, eraMetadataBytes, eraTable, parseEraInvalidate, parseEraStatus } from '../../../src/transfer/dirty/era-table.js';

describe('eraTable', () => {
  it('maps the whole volume with the block size in sectors', () => {
    expect(eraTable({ sizeBytes: 16 * 2 ** 20, metaDevice: '/dev/loop1', originDevice: '/dev/loop0', blockBytes: 4096 })).toBe('0 32768 era /dev/loop1 /dev/loop0 8');
    expect(eraTable({ sizeBytes: 2 ** 30, metaDevice: 'M', originDevice: 'O', blockBytes: 65536 })).toBe('0 2097152 era M O 128');
  });

  it('refuses what the kernel refuses', () => {
    expect(() => eraTable({ sizeBytes: 4096, metaDevice: 'M', originDevice: 'O', blockBytes: 2048 })).toThrow(/multiple of 4KiB/);
    expect(() => eraTable({ sizeBytes: 1000, metaDevice: 'M', originDevice: 'O', blockBytes: 4096 })).toThrow(/multiple of 512/);
  });

  it('tracks at the workload block size, never below 4 KiB', () => {
    expect(eraBlockBytes(512)).toBe(4096);
    expect(eraBlockBytes(4096)).toBe(4096);
    expect(eraBlockBytes(65536)).toBe(65536);
  });

  it('sizes the metadata for the era array and whole-MiB devices', () => {
    expect(eraMetadataBytes(16 * 2 ** 20, 4096)).toBe(17 * 2 ** 20);
    // 2 GiB of 4 KiB blocks: 524288 blocks × 16 B = 8 MiB on top of 16 MiB.
    expect(eraMetadataBytes(2 ** 31, 4096)).toBe(24 * 2 ** 20);
    expect(eraMetadataBytes(2 ** 31, 4096) % 2 ** 20).toBe(0);
  });
});

describe('parseEraStatus', () => {
  it('reads the current era and whether a metadata snapshot is held', () => {
    expect(parseEraStatus('0 32768 era 8 13/2048 1 -\n')).toEqual({ metadataBlockSectors: 8, usedMetadataBlocks: 13, totalMetadataBlocks: 2048, currentEra: 1, heldRoot: undefined });
    expect(parseEraStatus('0 32768 era 8 16/2048 3 60')).toMatchObject({ currentEra: 3, heldRoot: 60 });
  });

  it('refuses anything else', () => {
    expect(() => parseEraStatus('0 32768 linear')).toThrow(/unparseable/);
    expect(() => parseEraStatus('0 32768 era Error')).toThrow(/unparseable/);
  });
});

describe('parseEraInvalidate', () => {
  const BS = 4096;
  // As thin-provisioning-tools 0.9 prints it (note `end = "13"`).
  const xml = '<blocks>\n  <range begin="10" end = "13"/>\n  <block block="100"/>\n  <range begin="200" end = "202"/>\n</blocks>\n';

  it('turns block ranges (end exclusive) and single blocks into byte extents', () => {
    expect(parseEraInvalidate(xml, BS, 2 ** 20 * 16)).toEqual([
      { offset: 10 * BS, length: 3 * BS },
      { offset: 100 * BS, length: BS },
      { offset: 200 * BS, length: 2 * BS },
    ]);
  });

  it('merges adjacent entries and clips the last block to the volume', () => {
    const adjacent = '<blocks>\n  <range begin="0" end = "2"/>\n  <block block="2"/>\n  <block block="3"/>\n</blocks>';
    expect(parseEraInvalidate(adjacent, BS, 4 * BS)).toEqual([{ offset: 0, length: 4 * BS }]);
    expect(parseEraInvalidate('<blocks>\n  <block block="3"/>\n</blocks>', BS, 3 * BS + 512)).toEqual([{ offset: 3 * BS, length: 512 }]);
  });

  it('reads an empty list as no extents', () => {
    expect(parseEraInvalidate('<blocks>\n</blocks>\n', BS, BS)).toEqual([]);
  });

  it('refuses output that is not a block list, and blocks beyond the volume', () => {
    expect(() => parseEraInvalidate('era_invalidate: bad checksum', BS, BS)).toThrow(/no <blocks>/);
    expect(() => parseEraInvalidate('<blocks>\n  <block block="5"/>\n</blocks>', BS, 4 * BS)).toThrow(/beyond the volume/);
    expect(() => parseEraInvalidate('<blocks>\n  <range begin="5" end = "5"/>\n</blocks>', BS, 8 * BS)).toThrow(/bad era_invalidate range/);
  });
});

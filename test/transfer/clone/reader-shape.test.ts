import { describe, expect, it } from 'vitest';
import { readerShape } from '../../../src/transfer/clone/qemu-clone.js';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('readerShape (hydration reader in flight)', () => {
  it('keeps a small budget on one connection, all of it in flight, in at least 8 requests', () => {
    // 2 × BDP at 180 Mbit/s, 20 ms: 960 KiB → fifteen 64 KiB requests (not three of 256 KiB).
    expect(readerShape(960 * KiB, 64 * KiB, 256 * MiB)).toEqual({ connections: 1, requests: 15, requestSize: 64 * KiB });
    expect(readerShape(2 * MiB, 64 * KiB, 256 * MiB)).toEqual({ connections: 1, requests: 8, requestSize: 256 * KiB });
  });

  it('never plans more connections than nbdcopy has 128 MiB ranges to deal', () => {
    const s = readerShape(64 * MiB, 64 * KiB, 256 * MiB);
    expect(s.connections).toBe(2);
    expect(s.connections * s.requests * s.requestSize).toBe(64 * MiB);
  });

  it('spreads a large budget over up to 4 connections on a large volume', () => {
    const s = readerShape(64 * MiB, 64 * KiB, 4096 * MiB);
    expect(s).toEqual({ connections: 4, requests: 64, requestSize: 256 * KiB });
  });

  it('never exceeds the budget, and keeps at least one request', () => {
    for (const budget of [4 * KiB, 300 * KiB, 1 * MiB, 5 * MiB + 1, 17 * MiB]) {
      for (const size of [32 * MiB, 200 * MiB, 1024 * MiB]) {
        const s = readerShape(budget, 64 * KiB, size);
        expect(s.requests).toBeGreaterThanOrEqual(1);
        expect(s.connections * s.requests * s.requestSize).toBeLessThanOrEqual(Math.max(budget, s.requestSize));
        expect(s.connections).toBeLessThanOrEqual(Math.max(1, Math.ceil(size / (128 * MiB))));
      }
    }
  });

  it('uses requests of one region when regions are larger than 256 KiB', () => {
    expect(readerShape(4 * MiB, 1 * MiB, 256 * MiB)).toEqual({ connections: 1, requests: 4, requestSize: 1 * MiB });
  });
});

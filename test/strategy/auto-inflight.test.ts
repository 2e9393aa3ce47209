import { describe, expect, it } from 'vitest';
import { autoInflight } from '../../src/strategy/async-clone.js';

describe('autoInflight (--hydration-inflight auto)', () => {
  it('is one bandwidth-delay product, rounded up to 64 KiB', () => {
    // 400 Mbit/s × 20 ms = 1,000,000 bytes → 16 × 64 KiB.
    expect(autoInflight({ measuredBps: 400e6, requestRttMs: 20, probeBytes: 0 })).toBe(16 * 65536);
  });

  it('is at least 512 KiB (no latency, or a slow link)', () => {
    expect(autoInflight({ measuredBps: 1e9, requestRttMs: 0.08, probeBytes: 0 })).toBe(512 * 1024);
    expect(autoInflight({ measuredBps: 180e6, requestRttMs: 20.4, probeBytes: 0 })).toBe(512 * 1024);
  });
});

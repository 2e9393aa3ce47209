import { describe, expect, it } from 'vitest';
import { latestAcks } from '../../src/measure/journal.js';
import { divergedBytes, emptyVerification, verifyBlocks } from '../../src/measure/verifier.js';
import { BS, put, volumeFixture, zero } from './fixture.js';

function verify(image: Uint32Array, latest: ReturnType<typeof latestAcks>, blocks: number) {
  const v = emptyVerification();
  verifyBlocks(image, BS, 0, blocks, latest, v);
  return v;
}

describe('verifier (mutation test: injected losses come back exactly)', () => {
  it('finds nothing wrong in an intact destination', () => {
    const { image, latest } = volumeFixture();
    const v = verify(image, latest, 64);
    expect(v).toMatchObject({ lostBytes: 0, corruptBytes: 0, blocksChecked: 64 });
  });

  it('counts rolled-back, zeroed and corrupted blocks exactly', () => {
    const { image, latest } = volumeFixture();
    // Rolled back: blocks 3, 4, 5 hold the fill version although epoch 1 acked a newer one.
    for (const i of [3, 4, 5]) put(image, i, 0, i, 1_000);
    // Zeroed: an acknowledged block (7) and a fill-only block (40).
    zero(image, 7);
    zero(image, 40);
    // Corrupt: garbage in block 50, a torn payload in block 10.
    image.fill(0xabad1dea, 50 * 1024, 51 * 1024);
    image[10 * 1024 + 900]! ^= 1;
    const v = verify(image, latest, 64);
    expect(v.lostBytes).toBe(5 * BS);
    expect(v.lostSample.sort((a, b) => a - b)).toEqual([3, 4, 5, 7, 40]);
    expect(v.corruptBytes).toBe(2 * BS);
    expect(v.corruptSample.sort((a, b) => a - b)).toEqual([10, 50]);
  });

  it('accepts a newer, unacknowledged write that supersedes the last ack', () => {
    const { image, latest } = volumeFixture();
    // Block 2's last ack was at 10_250; a write issued after it (acked or not) is fine…
    put(image, 2, 1, 999, 20_000);
    // …but an unacknowledged write issued *before* that ack cannot have superseded it.
    put(image, 6, 2, 1, 10_000);
    const v = verify(image, latest, 64);
    expect(v.lostSample).toEqual([6]);
    expect(v.lostBytes).toBe(BS);
  });

  it('counts split-brain blocks from the journal', () => {
    const { journal } = volumeFixture();
    // Instance 2 started acknowledging at 11_000: epoch 1's acks after that (blocks 10..31,
    // acked at 11_050 and later) diverged; a block epoch 2 overwrote later did not.
    const acks = [...journal.acks, { type: 1 as const, index: 31, epoch: 2, seq: 0, stampNs: 50_000, ackNs: 50_010 }];
    const latest = latestAcks({ ...journal, acks });
    expect(divergedBytes(latest, BS, new Map([[2, 11_000]]))).toBe(21 * BS);
  });
});

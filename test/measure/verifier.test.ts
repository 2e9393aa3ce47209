import { describe, expect, it } from 'vitest';
import { latestAcks } from '../../src/measure/journal.js';
import { emptyVerification, forkedBlocks, verifyBlocks } from '../../src/measure/verifier.js';
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

  it('counts split-brain blocks as diverged, not lost, and only where the destination lacks them', () => {
    const { journal, image } = volumeFixture();
    // Instance 2 started acknowledging at 11_000: epoch 1's acks after that (blocks 10..31,
    // acked at 11_050 and later) forked; block 31 epoch 2 overwrote later did not.
    const acks = [...journal.acks, { type: 1 as const, index: 31, epoch: 2, seq: 0, stampNs: 50_000, ackNs: 50_010 }];
    const latest = latestAcks({ ...journal, acks });
    const forked = forkedBlocks(latest, new Map([[2, 11_000]]));
    expect([...forked.keys()].filter((i) => forked[i])).toEqual(Array.from({ length: 21 }, (_, k) => 10 + k));
    // B's side never saw A's late writes: blocks 10..30 hold the fill, 31 holds B's write…
    for (let i = 10; i < 31; i++) put(image, i, 0, i, 1_000);
    put(image, 31, 2, 0, 50_000);
    // …except block 12, which A's write did reach (nothing forked there), and block 13, zeroed.
    put(image, 12, 1, 12, 11_200);
    zero(image, 13);
    // An older block lost outside the split brain stays lost.
    put(image, 2, 0, 2, 1_000);
    const v = emptyVerification();
    verifyBlocks(image, BS, 0, 64, latest, v, forked);
    expect(v).toMatchObject({ divergedBytes: 20 * BS, lostBytes: BS, lostSample: [2], corruptBytes: 0 });
  });
});

describe('the overlap rule: writes of two instances at overlapping times', () => {
  /**
   * The fixture plus instance 2's writes. Intervals are issue → ack:
   * - block 5: A [20_000, 20_500] and B [20_100, 20_300] overlap (both possible);
   * - block 6: the same overlap;
   * - block 7: B [20_600, 20_700] strictly after A [20_000, 20_500] (only B possible);
   * - block 8: the same overlap as block 5;
   * - block 9: A1 [30_000, 30_100], B [30_050, 30_400], A2 [30_200, 30_300]: A2 strictly follows
   *   A1, so the possible versions are B and A2.
   */
  function overlapping() {
    const { journal, image } = volumeFixture();
    const a = (index: number, epoch: number, seq: number, stampNs: number, ackNs: number) => ({ type: 1 as const, index, epoch, seq, stampNs, ackNs });
    const acks = [
      ...journal.acks,
      a(5, 1, 500, 20_000, 20_500),
      a(5, 2, 0, 20_100, 20_300),
      a(6, 1, 600, 20_000, 20_500),
      a(6, 2, 1, 20_100, 20_300),
      a(7, 1, 700, 20_000, 20_500),
      a(7, 2, 2, 20_600, 20_700),
      a(8, 1, 800, 20_000, 20_500),
      a(8, 2, 3, 20_100, 20_300),
      a(9, 1, 900, 30_000, 30_100),
      a(9, 2, 4, 30_050, 30_400),
      a(9, 1, 901, 30_200, 30_300),
    ];
    // The image starts acceptable: the latest version of every block.
    for (const [i, epoch, seq, stampNs] of [
      [5, 1, 500, 20_000],
      [6, 1, 600, 20_000],
      [7, 2, 2, 20_600],
      [8, 1, 800, 20_000],
      [9, 1, 901, 30_200],
    ] as const) put(image, i, epoch, seq, stampNs);
    return { image, journal: { ...journal, acks } };
  }

  it('accepts either version of an overlapping pair, and nothing older', () => {
    const { image, journal } = overlapping();
    const latest = latestAcks(journal);
    put(image, 5, 2, 0, 20_100); // B's, though A's was acknowledged later: acceptable
    put(image, 6, 1, 600, 20_000); // A's: acceptable
    put(image, 7, 1, 700, 20_000); // A's, but B's strictly followed it: lost
    put(image, 8, 0, 8, 1_000); // the fill, older than both: lost, once
    put(image, 9, 1, 900, 30_000); // A1, superseded by A2 of the same instance: lost
    const v = emptyVerification();
    verifyBlocks(image, BS, 0, 64, latest, v);
    expect(v).toMatchObject({ lostBytes: 3 * BS, lostSample: [7, 8, 9], corruptBytes: 0, divergedBytes: 0 });
  });

  it('accepts both possible versions of the three-write block', () => {
    const { image, journal } = overlapping();
    const latest = latestAcks(journal);
    for (const [epoch, seq, stampNs] of [
      [2, 4, 30_050],
      [1, 901, 30_200],
    ] as const) {
      put(image, 9, epoch, seq, stampNs);
      const v = emptyVerification();
      verifyBlocks(image, BS, 0, 64, latest, v);
      expect(v.lostBytes, `epoch ${epoch}`).toBe(0);
    }
  });

  it('accepts an unacknowledged write only if issued after the earliest ack of the possible versions', () => {
    const { image, journal } = overlapping();
    const latest = latestAcks(journal);
    put(image, 5, 1, 501, 20_400); // after B's ack (20_300): may have followed it
    put(image, 6, 1, 601, 20_250); // before either ack: cannot have superseded both
    const v = emptyVerification();
    verifyBlocks(image, BS, 0, 64, latest, v);
    expect(v).toMatchObject({ lostBytes: BS, lostSample: [6] });
  });

  it('counts each block in one class only, whatever the order of the journal', () => {
    const { image, journal } = overlapping();
    const latest = latestAcks({ ...journal, acks: [...journal.acks].reverse() });
    // B started acknowledging at 20_300 (its first ack): A's possible versions acknowledged
    // after it fork blocks 5, 6, 8 and 9 (A's fixture acks of blocks 0..31 came before).
    const forked = forkedBlocks(latest, new Map([[2, 20_300]]));
    expect([...forked.keys()].filter((i) => forked[i])).toEqual([5, 6, 8, 9]);
    put(image, 5, 2, 0, 20_100); // acceptable: no class
    zero(image, 6); // forked and lacking: diverged only
    image.fill(0xdeadbeef, 8 * 1024, 9 * 1024); // forked and corrupt: corrupt only
    put(image, 9, 1, 900, 30_000); // forked, superseded version: diverged only
    put(image, 7, 1, 700, 20_000); // not forked (only B possible): lost
    const v = emptyVerification();
    verifyBlocks(image, BS, 0, 64, latest, v, forked);
    expect(v).toMatchObject({ lostBytes: BS, lostSample: [7], corruptBytes: BS, corruptSample: [8], divergedBytes: 2 * BS });
  });
});

describe('verifier at every block size, from any first block', () => {
  /**
   * The fixture with one injected fault of every kind. Epoch 1 wrote blocks 12, 20 and 21 a
   * second time (seq 200..202, acked); the image keeps the newer write only for block 21.
   */
  function faulty(bs: number) {
    const { journal, image } = volumeFixture(64, 32, bs);
    const bw = bs / 4;
    const rewrites = [12, 20, 21].map((index, k) => {
      const stampNs = 30_000 + k * 100;
      return { type: 1 as const, index, epoch: 1, seq: 200 + k, stampNs, ackNs: stampNs + 50 };
    });
    const latest = latestAcks({ ...journal, acks: [...journal.acks, ...rewrites] });
    // Same-instance rollback (what copy-kill-boot loses): 12 and 20 still hold epoch 1's
    // first write, acknowledged before the newer one of the same instance.
    put(image, 21, 1, 202, 30_200, bs);
    // Rollback to the fill.
    put(image, 3, 0, 3, 1_000, bs);
    // Zeros where epoch 1 acked (7) and where only the fill did (40).
    zero(image, 7, bs);
    zero(image, 40, bs);
    // Wrong instance: epoch 2's block 5 with the very seq epoch 1 acked, issued before that ack.
    put(image, 5, 2, 5, 5_000, bs);
    // Torn: one payload bit (10); the first half of epoch 1's write over the fill's second half (11).
    image[10 * bw + bw - 1]! ^= 1 << 7;
    const fillOf11 = new Uint32Array(bw);
    put(fillOf11, 0, 0, 11, 1_000, bs);
    image.set(fillOf11.subarray(bw / 2), 11 * bw + bw / 2);
    // Misplaced: block 49's contents in block 50.
    image.copyWithin(50 * bw, 49 * bw, 50 * bw);
    return { image, latest, bw };
  }

  const LOST = [3, 5, 7, 12, 20, 40];
  const CORRUPT = [10, 11, 50];

  it.each([512, 4096, 65536])('counts every fault in whole %i-byte blocks', (bs) => {
    const { image, latest } = faulty(bs);
    const v = emptyVerification();
    verifyBlocks(image, bs, 0, 64, latest, v);
    expect(v).toEqual({
      lostBytes: LOST.length * bs,
      corruptBytes: CORRUPT.length * bs,
      divergedBytes: 0,
      lostSample: LOST,
      corruptSample: CORRUPT,
      blocksChecked: 64,
    });
  });

  it.each([512, 65536])('gives the same answer in windows that start past block 0 (%i-byte blocks)', (bs) => {
    const { image, latest, bw } = faulty(bs);
    const v = emptyVerification();
    // Window edges fall on and next to faulty blocks (11 | 12, 20 | 21).
    for (const [first, end] of [
      [0, 12],
      [12, 21],
      [21, 50],
      [50, 64],
    ] as const) {
      verifyBlocks(image.subarray(first * bw, end * bw), bs, first, end - first, latest, v);
    }
    expect(v).toMatchObject({ lostBytes: LOST.length * bs, corruptBytes: CORRUPT.length * bs, lostSample: LOST, corruptSample: CORRUPT, blocksChecked: 64 });
  });

  it('checks each block against its own index: words handed over with the wrong first index are all corrupt', () => {
    const { image, latest } = volumeFixture();
    const v = emptyVerification();
    verifyBlocks(image.subarray(0, 8 * 1024), BS, 1, 8, latest, v);
    expect(v).toMatchObject({ corruptBytes: 8 * BS, corruptSample: [1, 2, 3, 4, 5, 6, 7, 8], lostBytes: 0 });
  });

  it('accepts a newer write of the same instance than the one last acknowledged', () => {
    const { journal, image } = volumeFixture();
    // Epoch 1 issued seq 300 to block 4 after its ack at 10_450; the destination has it.
    put(image, 4, 1, 300, 40_000);
    const v = emptyVerification();
    verifyBlocks(image, BS, 0, 64, latestAcks(journal), v);
    expect(v).toMatchObject({ lostBytes: 0, corruptBytes: 0 });
  });

  it('keeps at most 16 sample indices, the first ones, but counts every block', () => {
    const { image, latest } = volumeFixture(64, 32, 512);
    for (let i = 0; i < 20; i++) zero(image, i, 512);
    for (let i = 40; i < 60; i++) image.fill(0x5a5a5a5a, i * 128, (i + 1) * 128);
    const v = emptyVerification();
    verifyBlocks(image, 512, 0, 64, latest, v);
    expect(v.lostBytes).toBe(20 * 512);
    expect(v.lostSample).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(v.corruptBytes).toBe(20 * 512);
    expect(v.corruptSample).toEqual(Array.from({ length: 16 }, (_, i) => 40 + i));
  });

  it('without a fill, a never-acknowledged block may hold zeros or anything valid', () => {
    const { journal, image } = volumeFixture(8, 4);
    const latest = latestAcks({ ...journal, fill: undefined });
    zero(image, 5);
    put(image, 6, 3, 9, 1);
    zero(image, 2); // …but an acknowledged one may not
    const v = emptyVerification();
    verifyBlocks(image, BS, 0, 8, latest, v);
    expect(v).toMatchObject({ lostBytes: BS, lostSample: [2], corruptBytes: 0 });
  });
});

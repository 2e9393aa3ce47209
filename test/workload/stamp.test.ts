import { describe, expect, it } from 'vitest';
import { BlockState, checkBlock, emptyStamp, encodeBlock } from '../../src/workload/stamp.js';

const BW = 1024; // 4 KiB block in words

function block(epoch: number, seq: number, index: number, stampNs = 123_456_789_012): Uint32Array {
  const w = new Uint32Array(BW);
  encodeBlock(w, 0, BW, { epoch, seq, index, stampNs });
  return w;
}

describe('stamped blocks', () => {
  it('round-trips the header', () => {
    const out = emptyStamp();
    const stampNs = 2 ** 50 + 12345;
    expect(checkBlock(block(3, 77, 9, stampNs), 0, BW, 9, out)).toBe(BlockState.Valid);
    expect(out).toEqual({ epoch: 3, seq: 77, index: 9, stampNs });
  });

  it('treats an all-zero block as never written', () => {
    expect(checkBlock(new Uint32Array(BW), 0, BW, 0, emptyStamp())).toBe(BlockState.Zero);
  });

  it('detects a flipped payload word, a flipped header word and garbage', () => {
    const payload = block(1, 1, 5);
    payload[700]! ^= 1;
    expect(checkBlock(payload, 0, BW, 5, emptyStamp())).toBe(BlockState.Corrupt);
    const header = block(1, 1, 5);
    header[2]! ^= 0x10;
    expect(checkBlock(header, 0, BW, 5, emptyStamp())).toBe(BlockState.Corrupt);
    const garbage = new Uint32Array(BW).fill(0xdeadbeef);
    expect(checkBlock(garbage, 0, BW, 5, emptyStamp())).toBe(BlockState.Corrupt);
  });

  it('detects a torn write: header of one version, payload of another', () => {
    const a = block(1, 10, 5);
    const b = block(1, 11, 5);
    const torn = new Uint32Array(BW);
    torn.set(a.subarray(0, 512));
    torn.set(b.subarray(512), 512);
    expect(checkBlock(torn, 0, BW, 5, emptyStamp())).toBe(BlockState.Corrupt);
  });

  it('detects a block written at the wrong index', () => {
    expect(checkBlock(block(1, 1, 5), 0, BW, 6, emptyStamp())).toBe(BlockState.Corrupt);
  });

  it('gives different payloads to different versions', () => {
    expect(block(1, 1, 5)[100]).not.toBe(block(1, 2, 5)[100]);
    expect(block(1, 1, 5)[100]).not.toBe(block(2, 1, 5)[100]);
  });
});

import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../../src/transfer/dirty/nbd-reader.js';

const bytes = (...b: number[]): Buffer => Buffer.from(b);
const range = (from: number, n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (from + i) & 0xff));

/** Resolves to 'pending' if `p` has not settled once queued callbacks have run. */
async function settled<T>(p: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

describe('ByteQueue', () => {
  it('hands out exact-length reads in order from one chunk, leaving the rest', async () => {
    const q = new ByteQueue();
    q.push(range(0, 10));
    expect([...(await q.read(3))]).toEqual([0, 1, 2]);
    expect([...(await q.read(7))]).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(await settled(q.read(1))).toBe('pending');
  });

  it('returns a view, not a copy, when one chunk covers the read', async () => {
    const q = new ByteQueue();
    const chunk = range(0, 16);
    q.push(chunk);
    const first = await q.read(4);
    const second = await q.read(12);
    expect(first.buffer).toBe(chunk.buffer);
    expect(second.byteOffset).toBe(chunk.byteOffset + 4);
  });

  it('assembles a read that spans several chunks and keeps the tail of the last one', async () => {
    const q = new ByteQueue();
    q.push(range(0, 2));
    q.push(range(2, 3));
    q.push(range(5, 6));
    expect([...(await q.read(7))]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...(await q.read(4))]).toEqual([7, 8, 9, 10]);
  });

  it('waits for a read larger than what is buffered and completes it byte by byte', async () => {
    const q = new ByteQueue();
    const reading = q.read(5);
    for (const b of [10, 11, 12, 13]) {
      q.push(bytes(b));
      expect(await settled(reading)).toBe('pending');
    }
    q.push(bytes(14, 15));
    expect([...(await reading)]).toEqual([10, 11, 12, 13, 14]);
    expect([...(await q.read(1))]).toEqual([15]);
  });

  it('skips empty chunks', async () => {
    const q = new ByteQueue();
    q.push(Buffer.alloc(0));
    q.push(bytes(1));
    q.push(Buffer.alloc(0));
    q.push(bytes(2, 3));
    expect([...(await q.read(3))]).toEqual([1, 2, 3]);
  });

  it('answers a zero-length read at once, with or without buffered bytes', async () => {
    const q = new ByteQueue();
    expect(await settled(q.read(0))).toEqual(Buffer.alloc(0));
    q.push(bytes(9));
    expect(await settled(q.read(0))).toEqual(Buffer.alloc(0));
    expect([...(await q.read(1))]).toEqual([9]);
  });

  it('rejects the waiting read and every later one once failed', async () => {
    const q = new ByteQueue();
    q.push(bytes(1, 2));
    const waiting = q.read(4);
    const err = new Error('NBD connection closed');
    q.fail(err);
    await expect(waiting).rejects.toBe(err);
    // Once failed the stream is dead: buffered bytes (a reply cut short) are not handed out.
    await expect(q.read(1)).rejects.toBe(err);
  });

  it('survives a fail with nobody waiting', async () => {
    const q = new ByteQueue();
    q.fail(new Error('reset'));
    await expect(q.read(1)).rejects.toThrow('reset');
  });

  it('moves a large stream through many small reads without losing or reordering bytes', async () => {
    const q = new ByteQueue();
    const total = 1 << 16;
    const source = range(0, total);
    // Odd chunk sizes, so reads straddle chunk boundaries in every way.
    for (let at = 0, size = 1; at < total; at += size, size = (size * 7 + 3) % 997 || 1) q.push(source.subarray(at, Math.min(total, at + size)));
    const got: Buffer[] = [];
    for (let at = 0, size = 16; at < total; at += size, size = (size * 5 + 1) % 4099 || 16) got.push(await q.read(Math.min(size, total - at)));
    expect(Buffer.concat(got).equals(source)).toBe(true);
  });
});

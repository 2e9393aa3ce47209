import { constants } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectWriter, type DeltaSink } from '../../../src/transfer/dirty/direct-writer.js';
import { alignedBuffer } from '../../../src/workload/aligned-buffer.js';

const BS = 4096;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'direct-writer-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Feeds `extents`' bytes (from `src`) to `sink` in chunks of `chunk` bytes, as DeltaStream does, waiting when it takes less. */
async function feed(sink: DeltaSink, src: Buffer, extents: { offset: number; length: number }[], chunk: number): Promise<void> {
  const stream = Buffer.concat(extents.map((e) => src.subarray(e.offset, e.offset + e.length)));
  let i = 0;
  let into = 0;
  for (let at = 0; at < stream.length; ) {
    const end = Math.min(stream.length, at + chunk);
    while (at < end) {
      const e = extents[i]!;
      const n = Math.min(end - at, e.length - into);
      const aligned = e.offset % BS === 0 && e.length % BS === 0;
      const k = sink.put(stream, at, n, e.offset + into, into + n === e.length, aligned);
      at += k;
      into += k;
      if (into === e.length) {
        i++;
        into = 0;
      }
      if (k < n) await sink.free();
    }
  }
  await sink.drain();
}

describe('DirectWriter', () => {
  it('writes every extent at its offset across slot boundaries and waits for busy slots', async (ctx) => {
    const path = join(dir, 'dev');
    await writeFile(path, Buffer.alloc(64 * BS));
    let direct;
    try {
      direct = await open(path, constants.O_RDWR | constants.O_DIRECT);
    } catch {
      return ctx.skip(); // no O_DIRECT on this filesystem
    }
    const buffered = await open(path, 'r+');
    const slots = [await alignedBuffer(direct, 2 * BS), await alignedBuffer(direct, 2 * BS)];
    const src = Buffer.alloc(64 * BS);
    for (let k = 0; k < src.length; k++) src[k] = (k * 31 + (k >> 12)) & 0xff;
    // Single blocks, a run longer than a slot, an unaligned piece, and a block right after a run.
    const extents = [
      { offset: 2 * BS, length: BS },
      { offset: 5 * BS, length: 5 * BS },
      { offset: 12 * BS + 100, length: 300 },
      { offset: 20 * BS, length: BS },
      { offset: 21 * BS, length: 3 * BS },
      { offset: 40 * BS, length: BS },
    ];
    await feed(new DirectWriter(direct.fd, buffered.fd, slots), src, extents, 1500);
    await direct.close();
    await buffered.close();
    const got = await readFile(path);
    const want = Buffer.alloc(64 * BS);
    for (const e of extents) src.copy(want, e.offset, e.offset, e.offset + e.length);
    expect(got.equals(want)).toBe(true);
  });

  it('writes nothing when dry (the warm-up)', async (ctx) => {
    const path = join(dir, 'dry');
    await writeFile(path, Buffer.alloc(8 * BS));
    let direct;
    try {
      direct = await open(path, constants.O_RDWR | constants.O_DIRECT);
    } catch {
      return ctx.skip();
    }
    const buffered = await open(path, 'r+');
    const src = Buffer.alloc(8 * BS, 7);
    await feed(new DirectWriter(direct.fd, buffered.fd, [await alignedBuffer(direct, 2 * BS)], true), src, [{ offset: 0, length: 3 * BS }, { offset: 5 * BS, length: 10 }], 1000);
    await direct.close();
    await buffered.close();
    expect((await readFile(path)).equals(Buffer.alloc(8 * BS))).toBe(true);
  });
});

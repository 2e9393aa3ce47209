import type { FileHandle } from 'node:fs/promises';

/**
 * Node gives no way to ask for an aligned buffer, and O_DIRECT rejects unaligned ones
 * with EINVAL. A large `allocUnsafeSlow` buffer never moves, so we probe 16-byte steps
 * of it with a real O_DIRECT read until one is accepted: that offset is aligned for this
 * device, and the returned view stays aligned for its lifetime.
 */
export async function alignedBuffer(handle: FileHandle, bytes: number, probeOffset = 0): Promise<Buffer> {
  const slack = 4096;
  const backing = Buffer.allocUnsafeSlow(bytes + slack);
  const probeLen = Math.min(bytes, 4096);
  for (let off = 0; off < slack; off += 16) {
    try {
      await handle.read(backing, off, probeLen, probeOffset);
      return backing.subarray(off, off + bytes);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
    }
  }
  throw new Error('no O_DIRECT-aligned offset found in a fresh buffer');
}

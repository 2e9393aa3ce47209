/**
 * The stamped block format: the data-loss oracle's unit of truth.
 *
 * Every block written by a workload instance starts with a 32-byte header and carries a
 * payload derived from the header fields, so any block can be checked on its own:
 *
 * | offset | field                                   |
 * |--------|-----------------------------------------|
 * | 0      | magic `MGB1` (u32 LE)                   |
 * | 4      | instance epoch (u32)                    |
 * | 8      | sequence number within the epoch (u32) |
 * | 12     | block index (u32)                       |
 * | 16     | stamp time, monotonic ns (u64)          |
 * | 24     | payload checksum (u32)                  |
 * | 28     | header checksum over bytes 0..27 (u32)  |
 *
 * The payload is an xorshift32 stream seeded from (epoch, seq, index); its checksum is a
 * fold of the stream, so a torn write (header of one version, payload of another) fails.
 * Pure: works on Uint32Array views, allocates nothing on the hot path.
 */

export const STAMP_MAGIC = 0x3142474d; // "MGB1" little-endian
export const HEADER_WORDS = 8;

/** What a block holds. `zero` is a block never written (all bytes zero). */
export const BlockState = { Valid: 0, Zero: 1, Corrupt: 2 } as const;
export type BlockState = (typeof BlockState)[keyof typeof BlockState];

/** A decoded header; reused across calls by `checkBlock` to avoid allocation. */
export interface StampFields {
  epoch: number;
  seq: number;
  index: number;
  /** Monotonic ns at which the write was issued. */
  stampNs: number;
}

function seedOf(epoch: number, seq: number, index: number): number {
  // A cheap avalanche of the three fields; xorshift32 needs a non-zero seed.
  let h = Math.imul(epoch ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seq ^ 0xc2b2ae35, 0x27d4eb2f);
  h ^= Math.imul(index ^ 0x165667b1, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h === 0 ? 0x6d2b79f5 : h >>> 0;
}

function headerChecksum(w: Uint32Array, base: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 7; i++) h = Math.imul(h ^ w[base + i]!, 0x01000193);
  return h >>> 0;
}

/**
 * Writes one stamped block into `words[base .. base + blockWords)`.
 * `blockWords` is the block size in bytes / 4.
 */
export function encodeBlock(
  words: Uint32Array,
  base: number,
  blockWords: number,
  f: StampFields,
): void {
  let x = seedOf(f.epoch, f.seq, f.index);
  let sum = 0;
  for (let i = base + HEADER_WORDS, end = base + blockWords; i < end; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
    sum = (Math.imul(sum, 31) + x) | 0;
  }
  words[base] = STAMP_MAGIC;
  words[base + 1] = f.epoch;
  words[base + 2] = f.seq;
  words[base + 3] = f.index;
  words[base + 4] = f.stampNs % 0x100000000;
  words[base + 5] = Math.floor(f.stampNs / 0x100000000);
  words[base + 6] = sum >>> 0;
  words[base + 7] = headerChecksum(words, base);
}

/**
 * Checks the block at `words[base ..)` and, when valid, fills `out` with its header.
 * A block whose header names another index is corrupt (misplaced data).
 */
export function checkBlock(
  words: Uint32Array,
  base: number,
  blockWords: number,
  expectedIndex: number,
  out: StampFields,
): BlockState {
  if (words[base] !== STAMP_MAGIC) {
    for (let i = base, end = base + blockWords; i < end; i++) if (words[i] !== 0) return BlockState.Corrupt;
    return BlockState.Zero;
  }
  if (words[base + 7] !== headerChecksum(words, base)) return BlockState.Corrupt;
  const epoch = words[base + 1]!;
  const seq = words[base + 2]!;
  const index = words[base + 3]!;
  if (index !== expectedIndex) return BlockState.Corrupt;
  let x = seedOf(epoch, seq, index);
  let sum = 0;
  for (let i = base + HEADER_WORDS, end = base + blockWords; i < end; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    if (words[i] !== x) return BlockState.Corrupt;
    sum = (Math.imul(sum, 31) + x) | 0;
  }
  if (words[base + 6] !== sum >>> 0) return BlockState.Corrupt;
  out.epoch = epoch;
  out.seq = seq;
  out.index = index;
  out.stampNs = words[base + 4]! + words[base + 5]! * 0x100000000;
  return BlockState.Valid;
}

/** A fresh, reusable `StampFields`. */
export function emptyStamp(): StampFields {
  return { epoch: 0, seq: 0, index: 0, stampNs: 0 };
}
